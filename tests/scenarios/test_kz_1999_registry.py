"""The conventions a run depends on: ids, chambers, dates, parties, lists, contests, stations."""

from __future__ import annotations

import re
from collections import Counter

from saylau.registry.election import Chamber
from saylau.registry.stations import station_rows
from saylau.scenarios.kz_1999 import tables
from tests.scenarios.helpers import built

OBLASTS = (
    "Akmola",
    "Aktobe",
    "Almaty Region",
    "Atyrau",
    "East Kazakhstan",
    "Jambyl",
    "Karaganda",
    "Kostanay",
    "Kyzylorda",
    "Mangystau",
    "North Kazakhstan",
    "Pavlodar",
    "South Kazakhstan",
    "West Kazakhstan",
)


def test_the_election_and_its_chambers() -> None:
    election = built().election
    assert election.election_id == "kz-1999"
    assert election.chambers == (
        Chamber(
            "majilis", "Majilis", "kz-1999-majilis", names=(("kk", "Мәжіліс"), ("ru", "Мажилис"))
        ),
        Chamber("senate", "Senate", "kz-1999-senate", names=(("kk", "Сенат"), ("ru", "Сенат"))),
    )
    assert election.dates["senate"] == "1999-09-17"
    assert election.dates["round1"] == "1999-10-10"
    assert election.dates["round2"] == "1999-10-24"
    assert set(election.dates.values()) == {day for day, _ in tables.calendar()}


def test_the_parties_as_published() -> None:
    parties = built().election.parties
    assert [p.party_id for p in parties] == [p.party_id for p in tables.parties()]
    by_id = {p.party_id: p for p in parties}
    assert by_id["trade_unions"].kind == "public_association"
    assert by_id["independent"].kind == "independent"
    assert by_id["otan"].seats_before == 25
    assert by_id["agrarian"].seats_before is None
    assert all(p.registration_order is None for p in parties)


def test_nine_ranked_lists_of_up_to_ten() -> None:
    election = built().election
    with_lists = [p.party_id for p in tables.parties() if p.list_votes is not None]
    assert len(with_lists) == 9
    assert sorted({c.party_id for c in election.lists}) == sorted(with_lists)
    for party in with_lists:
        ranks = [c.rank for c in election.list_of(party)]
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 10
    assert election.list_of("otan")[2].name == "Otan list candidate 3"


def test_territories_and_districts() -> None:
    election = built().election
    names = {t.name: t for t in election.territories}
    assert len(election.territories) == 16
    assert all(names[o].kind == "oblast" for o in OBLASTS)
    assert (
        names["Almaty city"].territory_id == "almaty_city" and names["Almaty city"].kind == "city"
    )
    assert names["Astana"].territory_id == "astana" and names["Astana"].kind == "capital"
    assert [d.district_id for d in election.districts] == [f"{n:02d}" for n in range(1, 68)]
    per = Counter(d.territory_id for d in election.districts)
    assert set(per) == set(election.territory_by_id) and per["almaty_city"] >= 3
    atyrau_city = [d for d in election.districts if d.name == "Atyrau city"]
    assert len(atyrau_city) == 1 and atyrau_city[0].territory_id == "atyrau"


def test_contests() -> None:
    election = built().election
    tiers = Counter(c.tier for c in election.contests)
    assert tiers == {"list": 1, "district": 67, "new_voting": 3, "college": 16}
    for contest in election.contests_of("majilis", "district"):
        assert contest.contest_id == f"majilis-{contest.district_id}"
        assert (
            contest.territory_id == election.district_by_id[contest.district_id or ""].territory_id
        )
    new = election.contests_of("majilis", "new_voting")
    assert [c.contest_id for c in new] == [f"{c.replaces}-new" for c in new]
    places = {election.district_by_id[c.district_id or ""].name for c in new}
    territories = {c.territory_id for c in new}
    assert "Atyrau city" in places and territories == {"atyrau", "south_kazakhstan", "jambyl"}
    senate = election.contests_of("senate", "college")
    assert sorted(c.contest_id for c in senate) == sorted(
        f"senate-{t.territory_id}" for t in election.territories
    )


def test_candidates() -> None:
    election = built().election
    parties = {p.party_id for p in election.parties}
    for contest in election.contests:
        slate = election.candidates_in(contest.contest_id)
        if contest.tier == "list":
            assert not slate
            continue
        assert [c.candidate_id for c in slate] == [
            f"{contest.contest_id}-c{k}" for k in range(1, len(slate) + 1)
        ]
        if contest.tier == "college":
            assert {c.nominator for c in slate} <= {"maslikhat", "self"}
            continue
        nominators = [c.nominator for c in slate if c.nominator != "self"]
        assert len(nominators) == len(set(nominators)), contest.contest_id
        assert set(nominators) <= parties - {"independent"}


def test_new_voting_candidates_are_all_new() -> None:
    election = built().election
    for contest in election.contests_of("majilis", "new_voting"):
        new = election.candidates_in(contest.contest_id)
        old = election.candidates_in(contest.replaces or "")
        assert new and old
        assert not {c.candidate_id for c in new} & {c.candidate_id for c in old}
        assert not {c.name for c in new} & {c.name for c in old}


def test_stations() -> None:
    election = built().election
    pattern = re.compile(r"^(\d\d)-(\d\d\d)$")
    per = Counter(s.district_id for s in station_rows(election.stations))
    for station in station_rows(election.stations):
        match = pattern.match(station.station_id)
        assert match and match[1] == station.district_id
        assert election.district_by_id[station.district_id].territory_id == station.territory_id
    assert all(40 <= n <= 120 for n in per.values())
    assert 2_000 <= len(election.stations) <= 8_000
    small = built(1999, 3).election
    assert Counter(s.district_id for s in station_rows(small.stations)) == dict.fromkeys(per, 3)
