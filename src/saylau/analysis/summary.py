"""An election at a glance, as an infobox shows it: the dates, and the parties that won seats
with their leaders, seats, change, votes and share.

Shared by the HTML report and the wikitext export, so that both say the same. Shares stay
exact here; each edge rounds once, to the digits it prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from saylau.registry.facts import ElectionFacts
from saylau.results import ChamberResult, PartyResult

MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DATE_LABELS: Final = {
    "called": "called",
    "senate": "Senate",
    "round1": "first round",
    "round1_results": "first-round results",
    "round2": "second round",
    "round2_results": "second-round results",
    "voting_from": "voting from",
    "voting_to": "voting to",
}
"""How the keys of `Election.dates` read; other keys are shown as written."""

POPULAR_DATES: Final = ("round1", "round2", "voting_from", "voting_to")
"""The dates on which the voters voted, as an infobox gives them."""
VOTING_DATES: Final = ("senate", *POPULAR_DATES)
"""The dates on which the voters or electors (the Senate's colleges) voted."""


def long_date(text: str) -> str:
    """`1999-03-01` as `1 March 1999`, `1996-04` as `April 1996`; anything else as written."""
    parts = text.strip().split("-")
    if not all(part.isdigit() for part in parts) or not 2 <= len(parts) <= 3:
        return text
    year, month = parts[0], int(parts[1])
    if not 1 <= month <= 12:
        return text
    if len(parts) == 2:
        return f"{MONTHS[month - 1]} {year}"
    return f"{int(parts[2])} {MONTHS[month - 1]} {year}"


def voting_dates(
    dates: Mapping[str, str], keys: tuple[str, ...] = POPULAR_DATES
) -> list[tuple[str, str]]:
    """(label, long date) of each voting day of `keys` the election names, in calendar
    order; by default the days the voters voted."""
    found = [(dates[key], DATE_LABELS[key]) for key in keys if key in dates]
    return [(label, long_date(day)) for day, label in sorted(found)]


@dataclass(frozen=True)
class InfoboxParty:
    """One party of an infobox: its name there, leader, seats, change, votes and share."""

    party: PartyResult
    name: str
    leader: str | None
    leader_since: str | None
    last_election: str
    """The seats it held before, `new party`, or empty where unknown."""
    share: Fraction | None
    """Its list votes over the base of the list percentages."""


def infobox_parties(chamber: ChamberResult, facts: ElectionFacts) -> list[InfoboxParty]:
    """The parties that won seats, independents left out, by seats and then votes."""
    base = chamber.percent_base_value or 0
    rows = [p for p in chamber.parties if p.total_seats and p.party_id != "independent"]
    rows.sort(key=lambda p: (-p.total_seats, -(p.list_votes or 0), p.party_id))
    found = []
    for party in rows:
        known = facts.party(party.party_id)
        if not party.previous_known:
            last = ""
        elif party.seats_before is None:
            last = "new party"
        else:
            last = str(party.seats_before)
        share = Fraction(party.list_votes, base) if party.list_votes is not None and base else None
        found.append(
            InfoboxParty(
                party,
                known.short_name or party.name,
                known.leader,
                long_date(known.leader_since) if known.leader_since else None,
                last,
                share,
            )
        )
    return found
