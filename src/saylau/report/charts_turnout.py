"""Charts of where and how people voted: turnout by territory, a histogram of station
turnout, and the rounds of one district.

Turnout is read from the chamber's list ballot (round 1), or from its first-round district
ballots where it has no list. Only accepted protocols count. Station turnout is binned
with integer arithmetic, so a station at exactly 50% falls in the bin that starts at 50.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from textwrap import fill

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.analysis.counts import STATUS
from saylau.registry.model import Candidate
from saylau.report import i18n
from saylau.report.data import ReportData
from saylau.report.figures import Picture, drawing, render, titled
from saylau.report.i18n import gettext
from saylau.report.words import base_label
from saylau.results import ChamberResult, ContestDecision
from saylau.rules.exact import fixed
from saylau.tabulate.totals import LineTotals, sum_totals

BINS_PER_100 = 40
"""Station turnout bins of 2.5 points."""
LABEL_WIDTH = 40
"""Characters of a candidate's label per line."""


@dataclass(frozen=True)
class Areas:
    """A chamber's first-round totals by area: `territory`, or `district` where it lies in
    one territory; and each area's name."""

    level: str
    totals: dict[str, LineTotals]
    names: dict[str, str]


def area_turnout(data: ReportData, chamber: ChamberResult) -> Areas | None:
    """The first-round totals of each territory (or of each district, where the chamber
    lies in one territory), from its list ballot or else its district ballots."""
    counts = data.counts
    found: dict[str, list[LineTotals]] = {}
    by_district: dict[str, LineTotals] = {}
    for ballot in counts.principal(chamber.chamber_id):
        counted = counts.counted(ballot, 1)
        if counted is None:
            continue
        for territory, total in counted.totals.by_territory.items():
            found.setdefault(territory, []).append(total)
        by_district.update(counted.totals.by_district.items())
    election = data.election
    if len(found) >= 2:
        totals = {t: sum_totals(found[t], ()) for t in sorted(found)}
        return Areas("territory", totals, {t.territory_id: t.name for t in election.territories})
    if by_district:
        names = {d.district_id: d.name for d in election.districts}
        return Areas("district", dict(sorted(by_district.items())), names)
    return None


def turnout_chart(data: ReportData, chamber: ChamberResult) -> Picture | None:
    """Voters who took part over voters on the list, by territory (or district)."""
    areas = area_turnout(data, chamber)
    if areas is None:
        return None
    rows = sorted(
        (
            (Fraction(t.took_part, t.registered) if t.registered else Fraction(0), a)
            for a, t in areas.totals.items()
        ),
        reverse=True,
    )
    generated = data.below_nation_generated
    level = areas.level
    with drawing(7.2, 0.28 * len(rows) + 1.3) as figure:
        axes = figure.add_subplot()
        labels = [areas.names.get(area, area) for _, area in rows]
        axes.barh(labels, [float(100 * share) for share, _ in rows], color="#4e79a7")
        axes.invert_yaxis()
        for at, (share, _) in enumerate(rows):
            shown = i18n.decimal(fixed(100 * share))
            axes.text(float(100 * share), at, f" {shown}%", va="center", fontsize=7)
        national = chamber.turnout
        if national is not None:
            axes.axvline(float(100 * national), linestyle="--", color="#333333", linewidth=1)
        axes.set_xlim(0, 110)
        axes.set_xlabel(gettext("% of the voters on the list who took part"))
        title = (
            gettext("%(chamber)s: turnout by district")
            if level == "district"
            else gettext("%(chamber)s: turnout by territory")
        ) % {"chamber": chamber.name}
        titled(figure, title, generated)
    return render(
        figure,
        f"turnout-{chamber.chamber_id}",
        title,
        generated=generated,
        caption=gettext(
            "Round 1; the dashed line is the national turnout. Accepted protocols only."
        ),
    )


def station_turnout(data: ReportData, chamber: ChamberResult) -> pa.Table | None:
    """registered and took_part of every accepted first-round station of the chamber's
    principal ballot (its list, else its districts)."""
    counts = data.counts
    tables = []
    for ballot in counts.principal(chamber.chamber_id):
        table = counts.stations(ballot, 1)
        if table is not None:
            kept = table.filter(pc.not_equal(table.column(STATUS), "rejected"))
            tables.append(kept.select(["registered", "took_part"]))
    return pa.concat_tables(tables) if tables else None


def histogram(registered: np.ndarray, took_part: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Counts of stations in each 2.5-point bin of turnout (0 to 100), the stations above
    100% and the stations with nobody on the list."""
    known = registered > 0
    above = known & (took_part > registered)
    inside = known & ~above
    bins = (took_part[inside] * BINS_PER_100) // registered[inside]
    counts = np.bincount(np.minimum(bins, BINS_PER_100 - 1), minlength=BINS_PER_100)
    return counts, int(np.count_nonzero(above)), int(np.count_nonzero(~known))


def histogram_chart(data: ReportData, chamber: ChamberResult) -> Picture | None:
    """How many stations had each turnout."""
    table = station_turnout(data, chamber)
    if table is None or table.num_rows == 0:
        return None
    registered = table.column("registered").to_numpy(zero_copy_only=False).astype(np.int64)
    took_part = table.column("took_part").to_numpy(zero_copy_only=False).astype(np.int64)
    counts, over, empty = histogram(registered, took_part)
    generated = data.below_nation_generated
    width = 100 / BINS_PER_100
    with drawing(7.2, 3.2) as figure:
        axes = figure.add_subplot()
        edges = [at * width for at in range(BINS_PER_100)]
        axes.bar(edges, counts, width=width, align="edge", color="#59a14f", edgecolor="#ffffff")
        axes.set_xlim(0, 100)
        axes.set_xlabel(gettext("turnout at the station, % (bins of 2.5 points)"))
        axes.set_ylabel(gettext("stations"))
        title = gettext("%(chamber)s: station turnout (%(count)s stations)") % {
            "chamber": chamber.name,
            "count": i18n.number(table.num_rows),
        }
        titled(figure, title, generated)
    apart = []
    if over:
        said = gettext("%(count)s station(s) above 100%% are not drawn")
        apart.append(said % {"count": i18n.number(over)})
    if empty:
        said = gettext("%(count)s station(s) with nobody on the list are not drawn")
        apart.append(said % {"count": i18n.number(empty)})
    return render(
        figure,
        f"stations-{chamber.chamber_id}",
        title,
        generated=generated,
        caption=gettext("Round 1, accepted protocols (flagged ones included).")
        + (" " + "; ".join(apart) if apart else " "),
    )


def district_rounds(
    data: ReportData, chamber: ChamberResult
) -> tuple[str, list[ContestDecision]] | None:
    """The chosen district's contest id and its counted decisions in order: round 1, round 2
    and any new voting or repeat election that replaced it. By default the first district with
    a second round."""
    by_contest = {
        contest_id: [d for d in decided if d.count is not None]
        for contest_id, decided in data.district_decisions(chamber).items()
    }
    by_contest = {contest_id: rounds for contest_id, rounds in by_contest.items() if rounds}
    if not by_contest:
        return None
    wanted = data.district
    if wanted is not None:
        contests = data.election.contest_by_id
        for contest_id, rounds in by_contest.items():
            if wanted in (contest_id, contests[contest_id].district_id):
                return contest_id, rounds
        return None
    for contest_id, rounds in by_contest.items():
        if any(d.round == 2 for d in rounds):
            return contest_id, rounds
    return next(iter(by_contest.items()))


def rounds_chart(data: ReportData, chamber: ChamberResult) -> Picture | None:
    """A district's candidates and their shares in each round (and any new voting)."""
    found = district_rounds(data, chamber)
    if found is None:
        return None
    contest_id, rounds = found
    people = data.election.candidate_by_id
    generated = data.below_nation_generated
    series: list[tuple[str, Mapping[str, Fraction]]] = []
    for decided in rounds:
        count = decided.count
        assert count is not None
        base = count.took_part
        label = gettext("round %(round)s") % {"round": decided.round}
        if decided.contest_id != contest_id:
            tier = data.election.contest_by_id[decided.contest_id].tier
            label = gettext("new voting")
            if tier == "repeat_election":
                label = gettext("repeat election round %(round)s") % {"round": decided.round}
        series.append(
            (label, {c: Fraction(v, base) if base else Fraction(0) for c, v in count.votes.items()})
        )
    candidates = list(dict.fromkeys(c for _, shares in series for c in shares))
    with drawing(7.2, 0.45 * len(candidates) * max(1, len(series)) ** 0.5 + 1.4) as figure:
        axes = figure.add_subplot()
        height = 0.8 / len(series)
        for at, (label, shares) in enumerate(series):
            ys = [row + at * height for row in range(len(candidates))]
            values = [float(100 * shares.get(c, Fraction(0))) for c in candidates]
            axes.barh(ys, values, height=height, label=label)
            for y, c in zip(ys, candidates, strict=True):
                if c in shares:
                    axes.text(
                        float(100 * shares[c]),
                        y,
                        f" {i18n.decimal(fixed(100 * shares[c]))}%",
                        va="center",
                        fontsize=7,
                    )
        axes.set_yticks(
            [row + 0.4 - height / 2 for row in range(len(candidates))],
            [_candidate(data, people.get(c), c) for c in candidates],
        )
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.set_xlabel(gettext("%% of the %(base)s") % {"base": base_label("took_part")})
        axes.legend(loc="lower right", frameon=False)
        title = gettext("%(chamber)s: district %(district)s, round by round") % {
            "chamber": chamber.name,
            "district": contest_id,
        }
        titled(figure, title, generated)
    return render(
        figure,
        f"rounds-{chamber.chamber_id}",
        title,
        generated=generated,
        caption=gettext(
            "Each candidate's votes as a share of the voters who took part in that round."
        ),
    )


def _candidate(data: ReportData, person: Candidate | None, candidate_id: str) -> str:
    """A candidate's label: the name and the nominator, wrapped to fit beside the bars."""
    if person is None:
        return candidate_id
    return fill(f"{person.name} ({data.nominator_name(person.nominator)})", LABEL_WIDTH)
