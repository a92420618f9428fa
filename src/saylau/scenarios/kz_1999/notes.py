"""What a reader of the kz-1999 scenario must know: sources, generated parts, conflicts.

The conflicts are those of docs/kz-1999-law.md, "Data conflicts to carry, not hide".
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Final

from saylau.inputs import FigureKind, Note, Published
from saylau.said import N_, Said
from saylau.scenarios.kz_1999 import tables

LAW_SOURCES: Final = "docs/kz-1999-law.md"
LIST_VOTES_SOURCE: Final = "Nohlen, Grotz & Hartmann (2001) p.420"
SEATS_SOURCE: Final = "seed (English Wikipedia, '1999 Kazakh legislative election')"

GENERATED: Final[dict[str, str]] = {
    "territories.registered": N_(
        "the registered voters of each territory, district and station: the national "
        "8,411,757 split by rounded population weights (territories.csv)"
    ),
    "territories.took_part": N_(
        "the voters who took part by territory, district and station: the reported pattern "
        "(see the assumption note), the rest fitted to the national 5,253,864"
    ),
    "districts": N_(
        "the 67 districts' names and territories, roughly by population (districts.csv)"
    ),
    "stations": N_(
        "the polling stations and their number (never published): 40-120 per district, "
        "near one per 1,700 voters, unless the builder is given stations_per_district"
    ),
    "lists": N_("the party lists' candidates, named '<party> list candidate <rank>'"),
    "candidates": N_(
        "every district, new-voting and Senate candidate, their names and nominators, within "
        "the published seats by nominator and the 12 maslikhat / 4 self-nominated senators"
    ),
    "list_protocols.station_split": N_(
        "how the published list-ballot totals split by territory (leaning by region) and by "
        "station; the national sums are exact"
    ),
    "district_protocols": N_(
        "every district ballot, round 1, round 2 and new voting, by station; planned so the "
        "1999 law gives the published 20 / 47 / 3 split and the seats by nominator"
    ),
    "college_ballots": N_(
        "the Senate colleges: the number of maslikhat deputies (40-120), attendance and "
        "every vote; which territories needed a second round"
    ),
}
"""Each generated part of the scenario and how it was made (a message: the report says it
in its language)."""

CONFLICTS: Final = (
    N_(
        "The published total who took part on the list ballot, 5,253,864 [S2], exceeds the "
        "sum of its parts (9 lists 4,518,881 + against all 373,440 + invalid 361,534 = "
        "5,253,855) by 9. The scenario keeps the published total and carries the 9 as "
        "ballots issued but not found in the boxes (ballots_found = took_part - 9 in the "
        "nation), at the stations %(stations)s; nothing else absorbs them."
    ),
    N_(
        "Azamat: the seed says it was not on the ballot; Nohlen's table gives it 240,132 list "
        "votes (4.6%%). The scenario follows the published table and puts Azamat's list on "
        "the ballot, so the list votes add up to the published parts."
    ),
    N_(
        "1995 turnout: 79.8%% is implied by the infobox's -17.3 pp; other sources say 79%% or "
        "78%%. The scenario records 79.8%% (published.turnout_before) and notes the others."
    ),
    N_(
        "Otan's 1995 baseline: 25 seats (its predecessor, the People's Unity party) in the "
        "infobox, 'new' in Nohlen. The scenario keeps 25 as seats_before, as parties.csv does."
    ),
)

ASSUMPTIONS: Final = (
    N_(
        "The three new votings (Atyrau city, one South Kazakhstan and one Jambyl district) are "
        "taken to follow second rounds the Central Election Commission declared invalid: that "
        "they were runoff districts, and which round was invalidated, is not published."
    ),
    N_(
        "Regional turnout on the list ballot follows the reported pattern: Almaty city about "
        "33%%, Astana about 43%%, the northern oblasts (Akmola, East Kazakhstan, Kostanay, "
        "North Kazakhstan, Pavlodar) about 74%%; the other oblasts share what makes the "
        "national total exact. The pattern's source is not among those of %(sources)s."
    ),
    N_(
        "Every voter received both ballots: at each station the district ballot of round 1 "
        "has the same voters on the list and the same voters who took part as the list ballot."
    ),
    N_(
        "Round 2 turnout in the 47 runoff districts is about 49%% of their registered voters "
        "('just under 50 percent', RFE/RL 26 Oct 1999, preliminary); the new votings' turnout "
        "and date are unknown, and they are decided in their round 1 by a majority."
    ),
    N_(
        "No ballots were recorded as lost (ballots_lost = 0); the register is the same in "
        "every round; one Senate seat in each of the 16 territories was contested."
    ),
)

SOURCE_NOTE: Final = N_(
    "Published figures (sources in %(sources)s): registered 8,411,757 (Wikipedia infobox); "
    "took part 5,253,864, the list votes, against all 373,440 and invalid 361,534 "
    "(%(list_votes)s); seats by party, the 20 / 47 / 3 district split, the calendar, the "
    "12 / 4 Senate nominations (%(seats)s); round-2 turnout (RFE/RL 26 Oct 1999). Nothing "
    "below the nation was published."
)


def notes(list_gap: Mapping[str, int]) -> tuple[Note, ...]:
    """Every note, each a message (saylau.said) the report says in its language; `list_gap`
    names the stations carrying the list ballot's missing ballots."""
    stations = ", ".join(f"{s} ({n})" for s, n in sorted(list_gap.items()))
    sources = {"sources": LAW_SOURCES, "list_votes": LIST_VOTES_SOURCE, "seats": SEATS_SOURCE}
    found = [Note("source", Said(SOURCE_NOTE, **sources))]
    found += [
        Note("generated", Said("%(part)s: %(how)s", part=name, how=Said(text)))
        for name, text in GENERATED.items()
    ]
    found += [Note("conflict", Said(text, stations=stations)) for text in CONFLICTS]
    found += [Note("assumption", Said(text, sources=LAW_SOURCES)) for text in ASSUMPTIONS]
    return tuple(found)


CHAMBER_FIGURES: Final = {
    "majilis.registered_parties": "registered_parties",
    "majilis.party_lists": "party_lists",
    "majilis.registered": "registered_voters",
    "majilis.took_part": "voters_took_part",
    "majilis.against_all": "against_all_list",
    "majilis.invalid": "invalid_list",
    "majilis.seats_total": "seats_total",
    "majilis.majority": "seats_majority",
    "majilis.districts_decided_round1": "districts_decided_round1",
    "majilis.runoffs": "districts_runoff",
    "majilis.new_voting": "districts_new_voting",
    "senate.seats_contested": "senate_seats_contested",
}
"""Published figures a run computes, as `<chamber>.<figure>` of its chamber result."""


GENERATOR_TARGETS: Final = frozenset(
    {
        "registered_voters",
        "voters_took_part",
        "against_all_list",
        "invalid_list",
        "districts_decided_round1",
        "districts_runoff",
        "districts_new_voting",
    }
)
"""Figures of national_totals.csv that `build_kz_1999` hands to the generator, which splits
them over stations or plans the districts to reach them: the registered voters, those who
took part, against all and invalid, the 20 districts decided in round 1 and the 3 new votings
(so 47 second rounds). So are the list votes (summed into valid and ballots found) and the
district seats by party (published_seats.csv). A run matches them by construction."""


def published() -> Published:
    """Whole-number published figures with their sources; turnout before = 79.8% [infobox].

    Each figure of national_totals.csv keeps its name; those a run computes are repeated
    as `<chamber>.<figure>`; party figures are `majilis.<figure>.<party_id>`. Those the
    generator was told to reach (GENERATOR_TARGETS, the list votes and the district seats)
    are of the kind `generator_target`; the others were published and are not reached on
    purpose (the list seats, which the law allocates, the total seats, the law's figures).
    """
    figures: dict[str, int] = {}
    sources: dict[str, str] = {}
    kinds: dict[str, FigureKind] = {}
    for row in tables.national_totals():
        if row.value.lstrip("-").isdigit():
            figures[row.figure] = int(row.value)
            sources[row.figure] = row.source + (f" ({row.note})" if row.note else "")
            if row.figure in GENERATOR_TARGETS:
                kinds[row.figure] = "generator_target"
    for key, figure in CHAMBER_FIGURES.items():
        figures[key], sources[key] = figures[figure], sources[figure]
        if figure in kinds:
            kinds[key] = kinds[figure]
    parts = 0
    for party in tables.parties():
        if party.list_votes is not None:
            key = f"majilis.list_votes.{party.party_id}"
            figures[key] = party.list_votes
            sources[key] = LIST_VOTES_SOURCE
            kinds[key] = "generator_target"
            parts += party.list_votes
    parts += figures["against_all_list"]
    figures["majilis.valid"] = parts
    sources["majilis.valid"] = (
        f"the published list votes and against all, added ({LIST_VOTES_SOURCE})"
    )
    figures["majilis.ballots_found"] = parts + figures["invalid_list"]
    sources["majilis.ballots_found"] = (
        f"the published parts (list votes, against all, invalid) added ({LIST_VOTES_SOURCE}); "
        f"9 fewer than those who took part, see the conflict note"
    )
    kinds["majilis.valid"] = kinds["majilis.ballots_found"] = "generator_target"
    for chamber, figure in (("majilis", "seats_total"), ("senate", "senate_seats_contested")):
        figures[f"{chamber}.seats_filled"] = figures[figure]
        sources[f"{chamber}.seats_filled"] = f"{SEATS_SOURCE}: every seat was filled"
    for seat in tables.published_seats():
        for line, value in (
            ("district_seats", seat.district_seats),
            ("list_seats", seat.list_seats),
            ("total_seats", seat.total_seats),
        ):
            key = f"majilis.{line}.{seat.party_id}"
            figures[key] = value
            sources[key] = SEATS_SOURCE
            if line == "district_seats":
                kinds[key] = "generator_target"
    sources["turnout_before"] = (
        "Wikipedia infobox: 62.5% with a change of -17.3 pp implies 79.8% in 1995; "
        "other sources say 79% or 78% (see the conflict note)"
    )
    return Published(
        figures,
        sources,
        turnout_before=Fraction(798, 1000),
        turnout_before_derived=Said(
            N_(
                "a figure worked back from the infobox's 62.5%% and its change, not itself "
                "published"
            )
        ),
        turnout_before_places=1,
        kinds=kinds,
    )
