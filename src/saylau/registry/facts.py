"""What an infobox shows beside the results: leaders, the chamber's chairman, neighbours.

These are facts about an election, not inputs of a run: nothing in the count reads them.
Each value says where it comes from (`sources`); a report shows only the facts it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartyFacts:
    """A party's leader, since when (an ISO date, or a year and month: `1996-04`), and the
    short name an infobox uses."""

    party_id: str
    short_name: str | None = None
    leader: str | None = None
    leader_since: str | None = None


@dataclass(frozen=True)
class Officer:
    """Who held an office (the chamber's chairman), and for which party."""

    name: str
    party_id: str | None = None


@dataclass(frozen=True)
class ElectionFacts:
    """An election's infobox facts; empty where none are known."""

    country: str | None = None
    previous_election: str | None = None
    next_election: str | None = None
    parties: Mapping[str, PartyFacts] = field(default_factory=dict)
    office_title: str | None = None
    before: Officer | None = None
    after: Officer | None = None
    sources: tuple[str, ...] = ()

    def party(self, party_id: str) -> PartyFacts:
        """The facts of a party, or none at all."""
        return self.parties.get(party_id, PartyFacts(party_id))
