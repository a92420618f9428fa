"""The results of a run as text tables in the published form (Rich renderables).

Majilis 1999 as published (Nohlen et al.; the seed article): party, district seats, list
votes and %, list seats, total seats and the change since the previous election; then
against all, invalid and the totals; registered voters and turnout; the majority line.
A counterfactual run says so first; every chamber names its law; every figure that rests
on generated data carries the mark; in the text of a run, every figure compared with a
published one carries the mark of that figure's kind (COMPARED_MARKS, explained in a legend
line); the indices of each chamber close its table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from saylau.analysis.indices import Indices, chamber_indices, list_tier_indices
from saylau.report import i18n
from saylau.report.cells import marked as _marked
from saylau.report.cells import n as _n
from saylau.report.i18n import gettext as _
from saylau.report.lines import chamber_lines, law_line
from saylau.report.words import base_label
from saylau.results import (
    COMPARED_LEGEND,
    COMPARED_MARKS,
    GENERATED_MARK,
    ChamberResult,
    ElectionResult,
    PartyResult,
)
from saylau.rules.decision import BASE_LABELS
from saylau.rules.exact import fixed, percent_of

__all__ = [
    "GENERATED_MARK",
    "PublishedTable",
    "chamber_lines",
    "chamber_table",
    "published_table",
    "render_result",
]


def render_result(result: ElectionResult) -> RenderableType:
    """Every chamber's table, the stages, the notes and what was generated."""
    parts: list[RenderableType] = []
    if result.counterfactual:
        parts.append(
            Text("COUNTERFACTUAL: not the election as held and published", style="bold red")
        )
        parts.extend(Text(f"  {reason}", style="red") for reason in result.counterfactual)
    parts.append(Text(f"{result.name}", style="bold"))
    if result.generated:
        parts.append(
            Text(
                f"{GENERATED_MARK} Figures that rest on generated data (never published; "
                f"seeded with {result.seed}, reproducible): {', '.join(sorted(result.generated))}",
                style="yellow",
            )
        )
    legend = compared_legend(result)
    if legend:
        parts.append(Text(legend))
    for chamber in result.chambers:
        parts.append(Text(""))
        parts.append(Text(law_line(chamber)))
        if chamber.parties:
            parts.append(chamber_table(chamber, bool(result.counterfactual), marks=True))
        if chamber.seats_contested:
            parts.append(college_table(chamber, bool(result.generated)))
        parts.extend(Text(line) for line in chamber_lines(chamber, marks=True))
        if chamber.parties:
            parts.extend(Text(line) for line in indices_lines(chamber, result))
        parts.extend(Text(line) for line in seated_lines(chamber, result))
    parts.append(Text(""))
    parts.append(Text("Calendar", style="bold"))
    for stage in result.stages:
        when = f" ({stage.date})" if stage.date else ""
        parts.append(Text(f"  {stage.stage}{when} [{stage.chamber}]: {stage.summary}"))
    if result.rejected:
        rejected = len(result.rejected)
        parts.append(Text(f"{rejected} protocol(s) rejected, not counted, kept for review:"))
        parts.extend(Text(f"  {r.messages[0]}") for r in result.rejected[:20])
    if result.flagged:
        parts.append(Text(f"{len(result.flagged)} protocol(s) counted and flagged for review:"))
        parts.extend(Text(f"  {r.messages[0]}") for r in result.flagged[:20])
    if result.notes:
        parts.append(Text(""))
        parts.append(Text("Notes", style="bold"))
        parts.extend(Text(f"  [{n.kind}] {n.text}") for n in result.notes)
    return Group(*parts)


def compared_legend(result: ElectionResult) -> str:
    """What the marks of compared figures say, for each kind of figure the run compared."""
    kinds = {c.kind for chamber in result.chambers for c in chamber.compared}
    said = [
        f"{mark} {COMPARED_LEGEND[kind]}" for kind, mark in COMPARED_MARKS.items() if kind in kinds
    ]
    return "Compared figures: " + "; ".join(said) if said else ""


@dataclass(frozen=True)
class PublishedTable:
    """A chamber's table in the published form, as text cells: the party rows (each with
    its party id), against all and invalid, and the totals."""

    title: str
    headers: tuple[str, ...]
    parties: tuple[tuple[str, tuple[str, ...]], ...]
    others: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]


def published_table(
    chamber: ChamberResult,
    counterfactual: bool = False,
    *,
    marks: bool = False,
    names: Mapping[str, str] | None = None,
) -> PublishedTable:
    """Party rows, then against all, invalid and totals; with the published seats beside a
    counterfactual's own; with `marks`, each compared figure carries its kind's mark. The
    words are in the current language (saylau.report.i18n), the parties named by `names`
    where it has them."""
    base_name = chamber.percent_base or "took_part"
    base = chamber.percent_base_value or 0
    share = _("List %% (of %(base)s)") % {"base": base_label(base_name)}
    headers = [_("Party"), _("District seats"), _("List votes"), share, _("List seats")]
    headers += [_("Total seats"), _("Change")]
    beside = counterfactual and any(p.published_total is not None for p in chamber.parties)
    if beside:
        headers.append(_("Published"))
    parties = []
    for row in ordered_parties(chamber):
        pid = row.party_id
        cells = [
            (names or {}).get(pid, row.name),
            _marked(chamber, f"district_seats.{pid}", str(row.district_seats), marks),
            _marked(chamber, f"list_votes.{pid}", _n(row.list_votes), marks),
            _marked(chamber, f"list_share.{pid}", _share(row.list_votes, base), marks),
            _marked(chamber, f"list_seats.{pid}", _list_seats(row), marks),
            _marked(chamber, f"total_seats.{pid}", str(row.total_seats), marks),
            _marked(chamber, f"seat_change.{pid}", signed(row.seat_change), marks),
        ]
        if beside:
            cells.append(_n(row.published_total))
        parties.append((pid, tuple(cells)))
    with_base = base_name in ("took_part", "ballots_found")
    others = []
    for label, figure, value in (
        (_("Against all"), "against_all", chamber.against_all),
        (_("Invalid ballots"), "invalid", chamber.invalid),
    ):
        if value is not None:
            share = _share(value, base) if with_base or figure == "against_all" else ""
            shown = _marked(chamber, f"{figure}_percent", share, marks)
            empty = [""] * (3 if beside else 2)
            counted = _marked(chamber, figure, _n(value), marks)
            others.append((label, "", counted, shown, "", *empty))
    district = sum(p.district_seats for p in chamber.parties)
    held = sum(p.total_seats for p in chamber.parties)
    listed = sum(p.list_seats for p in chamber.parties)
    total = [
        _("Total (%(base)s)") % {"base": base_label(base_name)},
        str(district),
        _marked(chamber, base_name, _n(base or None), marks),
        "100.00" if base else "",
        str(listed),
        str(held),
        "",
    ]
    return PublishedTable(
        _("%(chamber)s: %(seats)s seats") % {"chamber": chamber.name, "seats": chamber.seats_total},
        tuple(headers),
        tuple(parties),
        tuple(others),
        (*total, *([""] if beside else [])),
    )


def chamber_table(
    chamber: ChamberResult, counterfactual: bool = False, *, marks: bool = False
) -> Table:
    """The published table of a chamber as a Rich table (`marks` as in `published_table`)."""
    found = published_table(chamber, counterfactual, marks=marks)
    table = Table(title=found.title, title_justify="left")
    for index, header in enumerate(found.headers):
        table.add_column(header, justify="left" if index == 0 else "right")
    for _party, cells in found.parties:
        table.add_row(*cells)
    table.add_section()
    for cells in found.others:
        table.add_row(*cells)
    table.add_section()
    table.add_row(*found.total)
    return table


def ordered_parties(chamber: ChamberResult) -> Iterator[PartyResult]:
    """Lists by votes; then those that won district seats only; independents last."""
    rows = chamber.parties
    listed = sorted(
        (p for p in rows if p.list_votes is not None), key=lambda p: -(p.list_votes or 0)
    )
    others = [p for p in rows if p.list_votes is None and p.party_id != "independent"]
    independents = [p for p in rows if p.party_id == "independent"]
    yield from listed
    yield from sorted(others, key=lambda p: -p.total_seats)
    yield from independents


def indices_lines(chamber: ChamberResult, result: ElectionResult) -> list[str]:
    """The effective number of parties, Gallagher's and Loosemore-Hanby's indices and the
    wasted list votes, of the list tier and of the whole chamber."""
    lines = []
    lists = result.lists_of(chamber.chamber_id)
    if lists:
        found = list_tier_indices(chamber, lists[0])
        text = f"List tier: {_indices_text(found)}"
        base = BASE_LABELS.get(chamber.percent_base or "", chamber.percent_base or "")
        below, against = found.wasted_below_threshold, found.wasted_against_all
        if below is not None:
            text += f"; wasted list votes {fixed(100 * below)}% below the threshold"
            if against is not None and chamber.against_all is not None:
                text += f" and {fixed(100 * against)}% against all"
            text += f", of the {base}"
        lines.append(text)
    lines.append(
        f"Whole chamber (list votes against all seats): {_indices_text(chamber_indices(chamber))}"
    )
    return lines


def seated_lines(chamber: ChamberResult, result: ElectionResult) -> list[str]:
    """Who took each list seat and why, where the law says how preference votes apply
    (`list_tier.preferences`): one line for the rule, then each list's seats in order."""
    lines = []
    for decision in result.lists_of(chamber.chamber_id):
        if decision.preference_rule is None or not decision.seated:
            continue
        lines.append(f"List seats, in order ({decision.preference_rule}):")
        for party, people in decision.seated.items():
            taken = ", ".join(
                f"{seat} {placed.name} ({placed.why()})"
                for seat, placed in enumerate(people, start=1)
            )
            lines.append(f"  {party}: {taken}")
    return lines


def _indices_text(found: Indices) -> str:
    votes, seats = found.effective_parties_votes, found.effective_parties_seats
    return (
        f"effective number of parties {'-' if votes is None else fixed(votes)} by votes, "
        f"{'-' if seats is None else fixed(seats)} by seats; Gallagher {found.gallagher}; "
        f"Loosemore-Hanby {fixed(found.loosemore_hanby)}"
    )


def college_table(chamber: ChamberResult, generated: bool) -> Table:
    """The seats an electoral college filled: who, nominated by whom, in which round."""
    mark = GENERATED_MARK if generated else ""
    table = Table(
        title=f"{chamber.name}: {chamber.seats_contested} seats contested, "
        f"{len(chamber.seats)} elected"
        + (
            f" ({chamber.seats_total} seats: {chamber.seats_elected} elected, "
            f"{chamber.appointed_seats} appointed)"
            if chamber.seats_elected
            else ""
        ),
        title_justify="left",
    )
    for header in ("Contest", f"Elected{mark}", "Nominated by", f"Round{mark}", f"Votes{mark}"):
        table.add_column(header)
    for seat in chamber.seats:
        decision = seat.decision
        table.add_row(
            seat.contest_id,
            seat.name,
            seat.nominator,
            str(decision.round),
            f"{decision.votes:,} of {decision.base:,}",
        )
    nominators: dict[str, int] = {}
    for seat in chamber.seats:
        nominators[seat.nominator] = nominators.get(seat.nominator, 0) + 1
    table.caption = "; ".join(f"{k}: {v}" for k, v in sorted(nominators.items()))
    return table


def _list_seats(row: PartyResult) -> str:
    if row.list_votes is None:
        return ""
    return (
        f"{row.list_seats} ({row.list_vacant} vacant)" if row.list_vacant else str(row.list_seats)
    )


def _share(value: int | None, base: int) -> str:
    if value is None:
        return ""
    return i18n.decimal(percent_of(value, base) or "")


def signed(value: int | None) -> str:
    """A change as +3, -2 or 0; empty when unknown."""
    if value is None:
        return ""
    return f"{value:+d}" if value else "0"
