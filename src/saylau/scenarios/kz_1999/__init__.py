"""The bundled kz-1999 scenario: Kazakhstan's 1999 Majilis and Senate elections.

The published figures (data/, unchanged copies of the repository's data/kz-1999; sources in
docs/kz-1999-law.md) are kept exactly; everything never published (territorial splits,
stations, candidates, district and Senate votes) is generated from a seed, reproducibly,
and named in `ElectionInputs.generated` with a note for each part.
"""

from __future__ import annotations

import random
from typing import Final

from saylau.inputs import ElectionInputs
from saylau.registry.election import Election
from saylau.registry.stations import station_table
from saylau.scenarios.kz_1999 import notes, registry, tables
from saylau.scenarios.kz_1999.electorate import build_electorate
from saylau.scenarios.kz_1999.majilis import district_contests, majilis_vote
from saylau.scenarios.kz_1999.plan import outline
from saylau.scenarios.kz_1999.protocols import AGAINST_ALL, INVALID
from saylau.scenarios.kz_1999.senate import senate_vote

NEW_VOTING_PLACES: Final = ("Atyrau city", "south_kazakhstan", "jambyl")
"""Where new voting was held [seed]: the district Atyrau city, a district of each region."""
SENATE_SELF_NOMINATED: Final = 4
"""Senators of 1999 who nominated themselves; the other 12 were maslikhat nominees [seed]."""
PARTS: Final = ("electorate", "lines", "list", "districts", "round2", "new", "senate")
"""Each part draws from a generator of its own, so that one part never shifts another."""

__all__ = ["build_kz_1999"]


def build_kz_1999(seed: int = 1999, stations_per_district: int | None = None) -> ElectionInputs:
    """The 1999 election as inputs of a run: published figures exact, the rest from `seed`.

    `stations_per_district` fixes the number of stations in every district (1-999); by
    default each district has 40-120, near one per 1,700 voters (generated).
    """
    if stations_per_district is not None and not 1 <= stations_per_district <= 999:
        raise ValueError(f"stations_per_district must be 1-999, not {stations_per_district}")
    rng = {part: random.Random(f"kz-1999:{seed}:{part}") for part in PARTS}
    took_part = tables.total("voters_took_part")
    list_totals = {
        **registry.list_votes(),
        AGAINST_ALL: tables.total("against_all_list"),
        INVALID: tables.total("invalid_list"),
    }
    electorate = build_electorate(
        rng["electorate"],
        tables.territories(),
        tables.districts(),
        tables.total("registered_voters"),
        took_part,
        stations_per_district,
        took_part - sum(list_totals.values()),
    )
    seats = {s.party_id: s.district_seats for s in tables.published_seats() if s.district_seats}
    plan = outline(
        rng["districts"],
        tables.districts(),
        seats,
        tables.total("districts_decided_round1"),
        NEW_VOTING_PLACES,
    )
    majilis = majilis_vote(
        rng, electorate, tables.territories(), tables.districts(), plan, list_totals
    )
    territories = registry.territories()
    senate = senate_vote(
        rng["senate"], [(t.territory_id, t.name) for t in territories], SENATE_SELF_NOMINATED
    )
    districts = registry.districts()
    election = Election(
        registry.ELECTION_ID,
        tables.chamber_facts()["election_name"],
        registry.CHAMBERS,
        parties=registry.parties(),
        lists=registry.lists(),
        territories=territories,
        districts=districts,
        stations=station_table(electorate.stations),
        contests=(*district_contests(districts), *majilis.contests, *senate.contests),
        candidates=(*majilis.candidates, *senate.candidates),
        dates=registry.dates(),
        names=registry.ELECTION_NAMES,
    )
    return ElectionInputs(
        election,
        majilis.protocols,
        college_ballots=senate.ballots,
        invalidations=majilis.invalidations,
        published=notes.published(),
        notes=notes.notes(electorate.list_gap),
        generated=frozenset(notes.GENERATED),
        seed=seed,
    )
