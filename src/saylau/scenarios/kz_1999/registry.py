"""The 1999 registry: chambers, dates, parties and lists, territories and districts.

Real: the parties, their kinds and 1995 seats (parties.csv [seed, S2]); the calendar
(calendar.csv [seed]). Generated: the list candidates (only the leaders are known), the
territories' weights and the districts (territories.csv, districts.csv).
"""

from __future__ import annotations

from typing import Final

from saylau.registry.election import Chamber
from saylau.registry.facts import ElectionFacts, Officer, PartyFacts
from saylau.registry.model import District, ListCandidate, Party, Territory
from saylau.scenarios.kz_1999 import tables

ELECTION_ID: Final = "kz-1999"
ELECTION_NAMES: Final = (
    ("kk", "Қазақстандағы 1999 жылғы парламент сайлауы"),
    ("ru", "Парламентские выборы в Казахстане 1999 года"),
)
"""The election's name in Kazakh and Russian (written by Saylau; the seed names it in
English only)."""
LIST_LENGTH: Final = 10
"""Each list is generated at the legal maximum of 10 candidates [V S6, S11]."""

CHAMBERS: Final = (
    Chamber("majilis", "Majilis", "kz-1999-majilis", names=(("kk", "Мәжіліс"), ("ru", "Мажилис"))),
    Chamber("senate", "Senate", "kz-1999-senate", names=(("kk", "Сенат"), ("ru", "Сенат"))),
)

DATE_KEYS: Final = (
    ("called", "presidential decree"),
    ("senate", "Senate:"),
    ("round1", "Majilis first round"),
    ("round1_results", "announces first-round results"),
    ("round2", "Majilis second round"),
    ("round2_results", "final second-round results"),
)
"""Keys of `Election.dates`, each found by a phrase of its event in calendar.csv."""


def dates() -> dict[str, str]:
    """The calendar: each key's date, found by its phrase in exactly one event."""
    found: dict[str, str] = {}
    for key, phrase in DATE_KEYS:
        rows = [day for day, event in tables.calendar() if phrase in event]
        if len(rows) != 1:
            raise ValueError(f"calendar.csv: {len(rows)} events match {phrase!r}")
        found[key] = rows[0]
    return found


def parties() -> tuple[Party, ...]:
    """Every party of parties.csv; the registration order was not found [?]: None. The
    colours are chosen (the seed gives none), as parties.csv says."""
    return tuple(
        Party(p.party_id, p.name, p.kind, seats_before=p.seats_1995, colour=p.colour, names=p.names)
        for p in tables.parties()
    )


def facts() -> ElectionFacts:
    """The infobox facts of the seed: leaders and since when, the chairman before and after."""
    chamber = tables.chamber_facts()
    sources = tables.chamber_sources()

    def officer(key: str) -> Officer:
        return Officer(chamber[key], chamber.get(f"{key}_party"))

    return ElectionFacts(
        country=chamber["country"],
        previous_election=chamber["previous_election"],
        next_election=chamber["next_election"],
        parties={
            p.party_id: PartyFacts(p.party_id, p.short_name, p.leader, p.leader_since)
            for p in tables.parties()
        },
        office_title=chamber["chairman_title"],
        before=officer("chairman_before"),
        after=officer("chairman_after"),
        sources=(
            f"leaders, leader-since dates, infobox names: {_leader_source()}",
            f"chairman before and after: {sources['chairman_before']}",
        ),
    )


def _leader_source() -> str:
    found = {
        part.split(":", 1)[1].strip()
        for p in tables.parties()
        for part in p.source.split(";")
        if part.strip().startswith("short_name, leader")
    }
    return "; ".join(sorted(found))


def list_votes() -> dict[str, int]:
    """The published list votes of the 9 lists [S2], in the order of parties.csv."""
    return {p.party_id: p.list_votes for p in tables.parties() if p.list_votes is not None}


def lists() -> tuple[ListCandidate, ...]:
    """Generated ranked lists: "<party> list candidate <rank>" for each party with a list."""
    names = {p.party_id: p.name.split(" (")[0] for p in tables.parties()}
    return tuple(
        ListCandidate(party, rank, f"{names[party]} list candidate {rank}")
        for party in list_votes()
        for rank in range(1, LIST_LENGTH + 1)
    )


def territories() -> tuple[Territory, ...]:
    return tuple(
        Territory(t.territory_id, t.name, t.kind, t.names, t.utc_offset)
        for t in tables.territories()
    )


def districts() -> tuple[District, ...]:
    return tuple(
        District(d.district_id, d.name, d.territory_id, d.names) for d in tables.districts()
    )
