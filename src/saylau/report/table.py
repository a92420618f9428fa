"""The results of a run as text tables in the published form (Rich renderables).

Majilis 1999 as published (Nohlen et al.; the seed article): party, district seats, list
votes and %, list seats, total seats and the change since the previous election; then
against all, invalid and the totals; registered voters and turnout; the majority line.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from saylau.results import ChamberResult, ElectionResult, PartyResult
from saylau.rules.exact import fixed, percent_of

GENERATED_MARK = "†"


def render_result(result: ElectionResult) -> RenderableType:
    """Every chamber's table, the stages, the notes and what was generated."""
    parts: list[RenderableType] = [Text(f"{result.name}", style="bold")]
    if result.generated:
        parts.append(
            Text(
                f"{GENERATED_MARK} Figures computed from generated data (never published; "
                f"seeded with {result.seed}, reproducible): {', '.join(sorted(result.generated))}",
                style="yellow",
            )
        )
    for chamber in result.chambers:
        parts.append(Text(""))
        if chamber.parties:
            parts.append(chamber_table(chamber, bool(result.generated)))
            parts.extend(Text(line) for line in chamber_lines(chamber))
        if chamber.seats_contested:
            parts.append(college_table(chamber, bool(result.generated)))
    parts.append(Text(""))
    parts.append(Text("Calendar", style="bold"))
    for stage in result.stages:
        when = f" ({stage.date})" if stage.date else ""
        parts.append(Text(f"  {stage.stage}{when} [{stage.chamber}]: {stage.summary}"))
    if result.rejected:
        parts.append(
            Text(f"{len(result.rejected)} protocol(s) rejected, not counted, kept for review:")
        )
        parts.extend(Text(f"  {r.messages[0]}") for r in result.rejected[:20])
    if result.flagged:
        parts.append(Text(f"{len(result.flagged)} protocol(s) counted and flagged for review:"))
        parts.extend(Text(f"  {r.messages[0]}") for r in result.flagged[:20])
    if result.notes:
        parts.append(Text(""))
        parts.append(Text("Notes", style="bold"))
        parts.extend(Text(f"  [{n.kind}] {n.text}") for n in result.notes)
    return Group(*parts)


def chamber_table(chamber: ChamberResult, generated: bool) -> Table:
    """Party rows, then against all, invalid and totals."""
    mark = GENERATED_MARK if generated else ""
    before = "change"
    table = Table(title=f"{chamber.name}: {chamber.seats_total} seats", title_justify="left")
    for header in ("Party", f"District seats{mark}", "List votes", "List %", "List seats"):
        table.add_column(header, justify="left" if header == "Party" else "right")
    table.add_column("Total seats", justify="right")
    table.add_column(before.capitalize(), justify="right")
    took = chamber.took_part or 0
    for row in ordered_parties(chamber):
        table.add_row(
            row.name,
            str(row.district_seats),
            _n(row.list_votes),
            _share(row.list_votes, took),
            str(row.list_seats) if row.list_votes is not None else "",
            str(row.total_seats),
            _signed(row.seat_change),
        )
    table.add_section()
    if chamber.against_all is not None:
        table.add_row(
            "Against all",
            "",
            _n(chamber.against_all),
            _share(chamber.against_all, took),
            "",
            "",
            "",
        )
    if chamber.invalid is not None:
        table.add_row(
            "Invalid ballots", "", _n(chamber.invalid), _share(chamber.invalid, took), "", "", ""
        )
    table.add_section()
    district = sum(p.district_seats for p in chamber.parties)
    listed = sum(p.list_seats for p in chamber.parties)
    table.add_row(
        "Total (voters who took part)",
        str(district),
        _n(chamber.took_part),
        "100.00" if took else "",
        str(listed),
        str(district + listed),
        "",
    )
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


def chamber_lines(chamber: ChamberResult) -> list[str]:
    """Registered voters, turnout and its change, the majority line, the rounds."""
    lines = []
    if chamber.registered is not None and chamber.took_part is not None:
        turnout = chamber.turnout
        text = f"Registered voters {chamber.registered:,}; turnout {chamber.took_part:,}"
        if turnout is not None:
            text += f" ({fixed(100 * turnout)}%"
            if chamber.turnout_before is not None:
                change = 100 * (turnout - chamber.turnout_before)
                text += f", {fixed(change, 1)} points on the previous election"
            text += ")"
        lines.append(text)
    lines.append(
        f"Seats filled {chamber.seats_filled} of {chamber.seats_total}; "
        f"a majority is {chamber.majority} seats"
    )
    if chamber.runoffs or chamber.districts_decided_round1:
        text = (
            f"Districts decided in round 1: {chamber.districts_decided_round1}; "
            f"second rounds: {chamber.runoffs}; new voting: {chamber.new_voting}"
        )
        runoff = chamber.runoff_turnout
        if runoff is not None:
            text += f"; second-round turnout {fixed(100 * runoff)}%"
        lines.append(text)
    for vacancy in chamber.vacancies:
        lines.append(f"Vacant: {vacancy.contest_id}: {vacancy.reason}")
    return lines


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
    for header in ("Contest", f"Elected{mark}", "Nominated by", "Round", f"Votes{mark}"):
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


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _share(value: int | None, base: int) -> str:
    if value is None:
        return ""
    return percent_of(value, base) or ""


def _signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value:+d}" if value else "0"
