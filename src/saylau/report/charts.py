"""Charts of a chamber's parties: list votes and seats against the threshold, seats by
tier, and seats against votes with the Gallagher index.

Bar lengths are floats only to be drawn; every number printed on a chart is worked out
exactly and rounded once (`saylau.rules.exact`). A chart whose figures rest on generated
data carries the mark in its title and says so in its caption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from saylau.analysis.indices import chamber_indices, list_tier_indices
from saylau.report import i18n
from saylau.report.figures import Picture, drawing, render, titled
from saylau.report.i18n import gettext
from saylau.report.table import ordered_parties
from saylau.report.words import base_label
from saylau.results import ChamberResult, ListDecision, PartyResult
from saylau.rules.exact import fixed


def _any_generated(chamber: ChamberResult, figure: str, parties: Sequence[PartyResult]) -> bool:
    return any(chamber.generated(f"{figure}.{p.party_id}") for p in parties)


def list_chart(
    chamber: ChamberResult, decision: ListDecision, colours: Mapping[str, str]
) -> Picture:
    """Each list's votes as a share of the threshold's base, its list seats, and the line
    of the threshold."""
    allocation = decision.allocation
    test = allocation.threshold
    rows = sorted(allocation.qualification, key=lambda q: (-q.votes, q.party_id))
    names = {p.party_id: p.name for p in chamber.parties}
    base = test.base_value if test else sum(q.votes for q in rows)
    base_name = test.base if test else "list_votes"
    generated = any(chamber.generated(f"list_votes.{q.party_id}") for q in rows)
    with drawing(7.2, 0.42 * len(rows) + 1.4) as figure:
        axes = figure.add_subplot()
        labels = [names.get(q.party_id, q.party_id) for q in rows]
        shares = [float(100 * Fraction(q.votes, base)) if base else 0.0 for q in rows]
        axes.barh(labels, shares, color=[colours.get(q.party_id, "#888888") for q in rows])
        axes.invert_yaxis()
        for at, q in enumerate(rows):
            seats = allocation.seats.get(q.party_id, 0)
            shown = fixed(100 * Fraction(q.votes, base)) if base else "-"
            said = gettext("%(share)s%%, %(votes)s votes: %(seats)s seat(s)") % {
                "share": i18n.decimal(shown),
                "votes": i18n.number(q.votes),
                "seats": seats,
            }
            axes.text(shares[at], at, f"  {said}", va="center")
        if test is not None:
            line = float(100 * test.share)
            axes.axvline(line, linestyle="--", color="#333333", linewidth=1)
            threshold = gettext("threshold %(share)s%%") % {
                "share": i18n.decimal(fixed(100 * test.share))
            }
            axes.text(line, len(rows) - 0.45, f" {threshold}", va="top")
        axes.set_xlim(0, max(shares, default=1) * 2.0 or 1)
        of = {"base": base_label(base_name), "n": i18n.number(base)}
        axes.set_xlabel(gettext("%% of %(base)s (%(n)s)") % of)
        title = gettext("%(chamber)s: list votes and list seats") % {"chamber": chamber.name}
        titled(figure, title, generated)
    return render(
        figure,
        f"list-{chamber.chamber_id}",
        title,
        generated=generated,
        caption=gettext(
            "%(seats)s list seats by %(method)s; the dashed line is the threshold a list had "
            "to reach."
        )
        % {"seats": allocation.seats_total, "method": allocation.method},
    )


def tiers_chart(chamber: ChamberResult, colours: Mapping[str, str]) -> Picture:
    """Each party's seats, list and district, stacked."""
    rows = [p for p in ordered_parties(chamber) if p.total_seats or p.list_vacant]
    generated = _any_generated(chamber, "list_seats", rows) or _any_generated(
        chamber, "district_seats", rows
    )
    with drawing(7.2, 0.4 * len(rows) + 1.3) as figure:
        axes = figure.add_subplot()
        labels = [p.name for p in rows]
        fills = [colours.get(p.party_id, "#888888") for p in rows]
        axes.barh(labels, [p.list_seats for p in rows], color=fills, label="list seats")
        axes.barh(
            labels,
            [p.district_seats for p in rows],
            left=[p.list_seats for p in rows],
            color=fills,
            alpha=0.55,
            hatch="///",
            edgecolor="#ffffff",
            label="district seats",
        )
        axes.invert_yaxis()
        for at, party in enumerate(rows):
            axes.text(
                party.list_seats + party.district_seats,
                at,
                f"  {party.list_seats} + {party.district_seats} = {party.total_seats}",
                va="center",
            )
        axes.set_xlim(0, max((p.list_seats + p.district_seats for p in rows), default=1) * 1.35)
        axes.set_xlabel(gettext("seats"))
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
        title = gettext("%(chamber)s: seats by tier") % {"chamber": chamber.name}
        titled(figure, title, generated)
    return render(
        figure,
        f"tiers-{chamber.chamber_id}",
        title,
        generated=generated,
        caption=gettext("Solid: seats won on the party lists; hatched: seats won in districts."),
    )


def proportionality_chart(
    chamber: ChamberResult, decision: ListDecision | None, colours: Mapping[str, str]
) -> Picture:
    """Each party's share of the seats against its share of the list votes, with the
    Gallagher index of the list tier and of the whole chamber."""
    rows = [p for p in ordered_parties(chamber) if p.list_votes or p.total_seats]
    votes = sum(p.list_votes or 0 for p in rows)
    held = sum(p.total_seats for p in rows)
    listed = sum(p.list_seats for p in rows)
    whole = chamber_indices(chamber)
    parts = [gettext("whole chamber %(index)s") % {"index": i18n.decimal(whole.gallagher)}]
    if decision is not None:
        tier = i18n.decimal(list_tier_indices(chamber, decision).gallagher)
        parts.insert(0, gettext("list tier %(index)s") % {"index": tier})
    generated = _any_generated(chamber, "list_votes", rows) or _any_generated(
        chamber, "total_seats", rows
    )
    with drawing(6.0, 5.0) as figure:
        axes = figure.add_subplot()
        top = 0.0
        for party in rows:
            x = _percent(party.list_votes or 0, votes)
            colour = colours.get(party.party_id, "#888888")
            y = _percent(party.total_seats, held)
            axes.scatter([x], [y], color=colour, marker="o", s=40, zorder=3)
            top = max(top, x, y)
            if decision is not None and party.list_votes is not None:
                y_list = _percent(party.list_seats, listed)
                axes.scatter([x], [y_list], color=colour, marker="s", s=28, zorder=3)
                top = max(top, y_list)
            if party.total_seats:
                axes.annotate(
                    party.name, (x, y), fontsize=7, xytext=(4, 3), textcoords="offset points"
                )
        top = top * 1.1 or 1
        axes.plot([0, top], [0, top], linestyle="--", color="#888888", linewidth=0.8)
        axes.set_xlim(0, top)
        axes.set_ylim(0, top)
        axes.set_xlabel(gettext("% of the list votes"))
        axes.set_ylabel(gettext("% of the seats (circles: all seats; squares: list seats)"))
        title = gettext("%(chamber)s: seats against votes") % {"chamber": chamber.name}
        gallagher = gettext("Gallagher: %(indices)s") % {"indices": ", ".join(parts)}
        titled(figure, f"{title}\n{gallagher}", generated)
    return render(
        figure,
        f"proportionality-{chamber.chamber_id}",
        title,
        generated=generated,
        caption=gettext(
            "On the dashed line a party's share of the seats equals its share of the list "
            "votes. Gallagher's least-squares index: %(indices)s."
        )
        % {"indices": "; ".join(parts)},
    )


def _percent(part: int, whole: int) -> float:
    return float(Fraction(100 * part, whole)) if whole else 0.0
