"""A chamber's result as wikitext for English Wikipedia, ready to paste: the infobox
(`{{Infobox legislative election}}`) and the results table (`{{Election results}}`).

The infobox's percentages are rounded once, from the exact shares, to one decimal, as the
1999 article prints them (30.9%, and turnout 62.5%); its turnout change takes as many
decimals as the source of the previous turnout gives. The results table gives votes and
seats by tier; the template works out its own percentages (of the votes in the table).
A figure resting on generated data is followed by a comment saying so; a counterfactual
run opens with a comment that says it is not the election as held.
"""

from __future__ import annotations

import re
from typing import Final

from saylau.analysis.summary import infobox_parties, voting_dates
from saylau.registry.colours import party_colours
from saylau.registry.election import Election
from saylau.registry.facts import ElectionFacts
from saylau.report.table import ordered_parties
from saylau.results import GENERATED_MARK, ChamberResult, ElectionResult
from saylau.rules.exact import fixed

MINUS: Final = "\u2212"
GENERATED_NOTE: Final = f"<!-- {GENERATED_MARK} rests on generated data, never published -->"
INFOBOX_DIGITS: Final = 1
"""Decimals of the infobox's percentages, as the article prints them."""


def _count(value: int) -> str:
    return f"{value:,}"


def _change(value: int | None) -> str:
    if value is None:
        return ""
    if value > 0:
        return f"{{{{increase}}}} {value}"
    if value < 0:
        return f"{{{{decrease}}}} {-value}"
    return "{{steady}}"


def _signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else f"{MINUS}{-value}" if value < 0 else "0"


def _year(name: str | None) -> str:
    found = re.match(r"\d{4}", name or "")
    return found[0] if found else ""


def _mark(chamber: ChamberResult, figure: str) -> str:
    return GENERATED_NOTE if chamber.generated(figure) else ""


def infobox(
    result: ElectionResult, chamber: ChamberResult, election: Election, facts: ElectionFacts
) -> str:
    """`{{Infobox legislative election}}` of a chamber elected by the voters."""
    when = "<br>".join(f"{day} ({label})" for label, day in voting_dates(election.dates))
    lines = [
        "{{Infobox legislative election",
        f"| election_name = {result.name}",
        f"| country = {facts.country or ''}",
        "| type = legislative",
        f"| previous_election = {facts.previous_election or ''}",
        f"| previous_year = {_year(facts.previous_election)}",
        f"| next_election = {facts.next_election or ''}",
        f"| next_year = {_year(facts.next_election)}",
        f"| seats_for_election = All {chamber.seats_total} seats in the {chamber.name}",
        f"| majority_seats = {chamber.majority}",
        f"| election_date = {when}",
    ]
    if chamber.registered is not None:
        lines.append(f"| registered = {_count(chamber.registered)}{_mark(chamber, 'registered')}")
    turnout = chamber.turnout
    if turnout is not None:
        text = f"{fixed(100 * turnout, INFOBOX_DIGITS)}%"
        before = chamber.turnout_before
        if before is not None:
            change = 100 * (turnout - before)
            shown = fixed(abs(change), chamber.turnout_before_places)
            arrow = "{{increase}}" if change > 0 else "{{decrease}}" if change < 0 else "{{steady}}"
            text += f" ({arrow} {shown}[[percentage point|pp]])"
        lines.append(f"| turnout = {text}{_mark(chamber, 'took_part')}")
    for n, found in enumerate(infobox_parties(chamber, facts), start=1):
        party = found.party
        pid = party.party_id
        lines.append(f"<!-- {party.name} -->")
        lines += [f"| leader{n} = {found.leader or ''}", f"| party{n} = {found.name}"]
        lines.append(f"| leader_since{n} = {found.leader_since or ''}")
        last = "New party" if found.last_election == "new party" else found.last_election
        lines.append(f"| last_election{n} = {last}")
        lines.append(f"| seats{n} = {party.total_seats}{_mark(chamber, f'total_seats.{pid}')}")
        lines.append(f"| seat_change{n} = {_change(party.seat_change)}")
        if party.list_votes is not None:
            votes = _count(party.list_votes) + _mark(chamber, f"list_votes.{pid}")
            lines.append(f"| popular_vote{n} = {votes}")
        if found.share is not None:
            lines.append(f"| percentage{n} = {fixed(100 * found.share, INFOBOX_DIGITS)}%")
    names = {p.party_id: p.name for p in election.parties}
    short = {pid: facts.party(pid).short_name or name for pid, name in names.items()}
    if facts.before is not None or facts.after is not None:
        lines.append(f"| title = {facts.office_title or ''}")
    for when_, officer in (("before", facts.before), ("after", facts.after)):
        if officer is not None:
            lines.append(f"| {when_}_election = {officer.name}")
            lines.append(
                f"| {when_}_party = {short.get(officer.party_id or '', officer.party_id or '')}"
            )
    lines.append("}}")
    return "\n".join(line for line in lines if not line.endswith(" = "))


def results_table(chamber: ChamberResult, election: Election) -> str:
    """`{{Election results}}`: each party's list votes, list and district seats, total and
    change; against all, the invalid ballots and the registered voters."""
    colours = party_colours(election.parties)
    lines = ["{{Election results", "|seattype1=Party list|seattype2=Districts"]
    n = 0
    for n, party in enumerate(ordered_parties(chamber), start=1):
        pid = party.party_id
        row = f"|party{n}={party.name}|color{n}={colours.get(pid, '#999999')}"
        if party.list_votes is not None:
            row += f"|votes{n}={_count(party.list_votes)}{_mark(chamber, f'list_votes.{pid}')}"
        row += f"|st{n}t1={party.list_seats}|st{n}t2={party.district_seats}"
        row += f"|seats{n}={party.total_seats}{_mark(chamber, f'total_seats.{pid}')}"
        if party.seat_change is not None:
            row += f"|sc{n}={_signed(party.seat_change)}"
        lines.append(row)
    if chamber.against_all is not None:
        n += 1
        against = _count(chamber.against_all) + _mark(chamber, "against_all")
        lines.append(f"|row{n}=Against all|votes{n}={against}")
    if chamber.invalid is not None:
        lines.append(f"|invalid={_count(chamber.invalid)}{_mark(chamber, 'invalid')}")
    if chamber.registered is not None:
        lines.append(f"|electorate={_count(chamber.registered)}{_mark(chamber, 'registered')}")
    lines.append("}}")
    return "\n".join(lines)


def wikitext(result: ElectionResult, election: Election, facts: ElectionFacts) -> str:
    """Every chamber elected by the voters: its infobox, then its results table."""
    parts = []
    if result.counterfactual:
        reasons = " ".join(result.counterfactual)
        parts.append(f"<!-- COUNTERFACTUAL: not the election as held and published. {reasons} -->")
    for chamber in result.chambers:
        if chamber.parties:
            parts.append(f"<!-- {chamber.name} -->")
            parts.append(infobox(result, chamber, election, facts))
            parts.append(results_table(chamber, election))
    return "\n\n".join(parts) + "\n"
