"""The St Petersburg 2021 importer, against the real station files shipped in the package
(src/saylau/importers/spb2021/data/SOURCES.md).

The oracle is a plain read of the same files with the csv module. Seats: United Russia
took 11 of the 25 list seats, as the press reported (data/real/SOURCES.md); district winners
are those of data/real/spb2021_smd_winners.csv, whose sums equal the official city summary.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from saylau.importers.spb2021.city import LIST_CONTEST, read_spb2021
from saylau.importers.spb2021.files import SHOWN, shipped
from saylau.inputs import ElectionInputs
from saylau.law import load_law
from saylau.protocol.lines import LINES, STATION
from saylau.protocol.table import check_table
from saylau.registry.stations import station_rows
from saylau.rules.apportion import allocate_list_tier
from tests.conftest import DATA
from tests.protocol.helpers import form_of

ZAKS_FORM = form_of("spb-2021-zaks")

REAL = shipped()
WINNERS = DATA / "real" / "spb2021_smd_winners.csv"
LIST = REAL / "spb2021_zaks_list_by_uik.csv.gz"
DISTRICTS = REAL / "spb2021_zaks_smd_by_uik.csv.gz"

NOT_COUNTED_LIST = {26, 40, 302, 336, 339, 362, 372, 393, 493, 592, 601, 604, 1332, 2325}
NOT_COUNTED_DISTRICTS = {9, 14, 26, 40, 348, 392, 493, 601, 604, 1326, 1332}
"""Stations recording ballots not counted on receipt: the only breaks of Saylau's balance."""
FOUND_OVER_ISSUED = {("zaks-18", "764")}
"""Station 764, district 18: 284 ballots found, 283 issued (850 - 567 - 0 + 0)."""


@pytest.fixture(scope="module")
def spb() -> ElectionInputs:
    return read_spb2021()


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _sums(table: pa.Table) -> dict[str, int]:
    return {name: pc.sum(table[name]).as_py() for name in _entries(table)}


def _entries(table: pa.Table) -> list[str]:
    return [name for name in table.column_names if name != STATION and name not in LINES]


def test_stations_and_the_list_ballot_totals(spb: ElectionInputs) -> None:
    table = spb.protocols[(LIST_CONTEST, 1)]
    assert len(spb.election.stations) == 1976
    assert table.num_rows == 1976
    assert sum(_sums(table).values()) == 1_333_177
    assert pc.sum(table["invalid"]).as_py() == 39_229
    assert pc.sum(table["registered"]).as_py() == 3_882_917
    assert spb.published.figures == {
        "zaks.registered": 3_882_917,
        "zaks.valid": 1_333_177,
        "zaks.invalid": 39_229,
        "zaks.stations_list": 1976,
        "zaks.stations_district": 1975,
    }
    assert set(spb.published.sources.values()) == {"spb2021 station files"}
    # sums of the same station files the run reads: a check of the reading, not of the count
    assert {spb.published.kind(key) for key in spb.published.figures} == {"sum_of_inputs"}
    votes: Counter[str] = Counter()
    for row in _rows(LIST):
        votes[row["party_id"]] += int(row["votes"])
    assert _sums(table) == dict(votes)


def test_the_registry(spb: ElectionInputs) -> None:
    election = spb.election
    assert [(c.chamber_id, c.law) for c in election.chambers] == [("zaks", "spb-2021-zaks")]
    assert len(election.territories) == 64
    assert election.territory_by_id["5"].kind == "area"
    assert [d.district_id for d in election.districts] == [f"{n:02d}" for n in range(1, 26)]
    assert [c.contest_id for c in election.contests_of("zaks", "district")] == [
        f"zaks-{n:02d}" for n in range(1, 26)
    ]
    assert [c.contest_id for c in election.contests_of("zaks", "list")] == [LIST_CONTEST]
    assert [p.party_id for p in election.parties] == ["1", "3", "4", "5", "6", "7", "8", "9", "13"]
    assert election.party_by_id["5"].name == "Единая Россия"
    assert sorted(spb.protocols) == sorted((c.contest_id, 1) for c in election.contests)
    assert spb.generated == frozenset()
    kinds = Counter(note.kind for note in spb.notes)
    assert kinds["source"] == 3
    assert any("took_part = ballots_received" in note.text for note in spb.notes)
    for station in station_rows(election.stations):
        assert station.district_id in election.district_by_id
        assert station.territory_id in election.territory_by_id


def test_every_district_has_its_candidates(spb: ElectionInputs) -> None:
    expected: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    votes: Counter[str] = Counter()
    for row in _rows(DISTRICTS):
        candidate_id = f"zaks-{int(row['smd']):02d}-{row['entry_position']}"
        expected[f"zaks-{int(row['smd']):02d}"][candidate_id] = (
            row["entry_name"],
            row["party_id"] or "self",
        )
        votes[candidate_id] += int(row["votes"])
    assert len(expected) == 25
    for contest_id, candidates in expected.items():
        found = spb.election.candidates_in(contest_id)
        assert {c.candidate_id: (c.name, c.nominator) for c in found} == candidates
        table = spb.protocols[(contest_id, 1)]
        assert _entries(table) == [c.candidate_id for c in found]
        assert _sums(table) == {cid: votes[cid] for cid in candidates}
    assert len(spb.election.candidates) == 165
    assert sum(1 for c in spb.election.candidates if c.nominator == "self") == 6


def test_districts_cross_the_commissions(spb: ElectionInputs) -> None:
    """Territories are commissions, and no district lies in one: the brief's model, noted."""
    spans: defaultdict[str, set[str]] = defaultdict(set)
    for station in station_rows(spb.election.stations):
        spans[station.district_id].add(station.territory_id)
    assert min(len(tiks) for tiks in spans.values()) == 2
    assert max(len(tiks) for tiks in spans.values()) == 6
    assert any(n.kind == "assumption" and "do not nest" in n.text for n in spb.notes)


def test_one_city_territory_lets_districts_nest(spb: ElectionInputs) -> None:
    city = read_spb2021(REAL, territories="city")
    assert [t.territory_id for t in city.election.territories] == ["spb"]
    assert {s.territory_id for s in station_rows(city.election.stations)} == {"spb"}
    assert {d.territory_id for d in city.election.districts} == {"spb"}
    assert city.protocols.keys() == spb.protocols.keys()
    assert all(city.protocols[key].equals(spb.protocols[key]) for key in spb.protocols)
    # a folder given is named by its path; the shipped copy by its place in the package,
    # the same on every machine
    (given,) = [n.text for n in city.notes if "Station 2208" in n.text]
    (shipped_note,) = [n.text for n in spb.notes if "Station 2208" in n.text]
    assert f"of {LIST}) but no district protocol in {DISTRICTS}:" in given
    assert f"of {SHOWN}/{LIST.name}) but no district protocol in {SHOWN}/{DISTRICTS.name}:" in (
        shipped_note
    )


def test_station_2208_has_no_district_protocol(spb: ElectionInputs) -> None:
    station = next(s for s in station_rows(spb.election.stations) if s.station_id == "2208")
    assert (station.district_id, station.territory_id) == ("02", "64")
    assert "2208" in spb.protocols[(LIST_CONTEST, 1)][STATION].to_pylist()
    assert "2208" not in spb.protocols[("zaks-02", 1)][STATION].to_pylist()
    assert any(n.kind == "conflict" and "Station 2208" in n.text for n in spb.notes)
    district_stations = sum(t.num_rows for (c, _), t in spb.protocols.items() if c != LIST_CONTEST)
    assert district_stations == spb.published.figures["zaks.stations_district"] == 1975


@pytest.mark.parametrize("base", ["ballots_found", "took_part"])
def test_the_list_tier_gives_the_published_seats(spb: ElectionInputs, base: str) -> None:
    """The law's threshold base, ballots found (as Russian law counts those who took part),
    gives the published seats; ballots issued would give the same."""
    tier = load_law("spb-2021-zaks").list_tier
    assert tier is not None and tier.threshold is not None
    assert tier.threshold.base == "ballots_found"
    table = spb.protocols[(LIST_CONTEST, 1)]
    votes = _sums(table)
    sheet = tier.model_copy(update={"threshold": tier.threshold.model_copy(update={"base": base})})
    result = allocate_list_tier(
        sheet,
        votes,
        took_part=pc.sum(table["took_part"]).as_py(),
        ballots_found=pc.sum(table["ballots_found"]).as_py(),
        valid=sum(votes.values()),
    )
    assert {party: seats for party, seats in result.seats.items() if seats} == {
        "5": 11,
        "1": 5,
        "6": 3,
        "4": 2,
        "7": 2,
        "3": 2,
    }


def test_every_district_winner_is_the_published_one(spb: ElectionInputs) -> None:
    with WINNERS.open(encoding="utf-8") as handle:
        published = [r for r in csv.DictReader(handle) if r["election"] == "RU-SPb-ZakS-2021"]
    assert len(published) == 25
    names = spb.election.candidate_by_id
    for row in published:
        contest_id = f"zaks-{int(row['district']):02d}"
        ranked = sorted(_sums(spb.protocols[(contest_id, 1)]).items(), key=lambda kv: -kv[1])
        (winner, most), (runner_up, next_most) = ranked[0], ranked[1]
        assert most > next_most
        assert (names[winner].name, most) == (row["winner"], int(row["winner_votes"]))
        assert (names[runner_up].name, next_most) == (row["runner_up"], int(row["runner_up_votes"]))
        table = spb.protocols[(contest_id, 1)]
        assert pc.sum(table["invalid"]).as_py() == int(row["invalid"])
        assert pc.sum(table["registered"]).as_py() == int(row["registered"])


def _column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table[name].to_numpy())


def _breaks(spb: ElectionInputs) -> dict[str, set[tuple[str, str]]]:
    """Each control relation with the (contest, station) protocols that break it."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (contest_id, _), table in spb.protocols.items():
        line = {name: _column(table, name) for name in table.column_names if name in LINES}
        votes = sum((_column(table, name) for name in _entries(table)), np.zeros(table.num_rows))
        relations = {
            "negative": np.any([v < 0 for v in line.values()], axis=0),
            "received_balance": line["ballots_received"] + line["ballots_unaccounted"]
            != line["took_part"] + line["ballots_cancelled"] + line["ballots_lost"],
            "found_within_issued": line["ballots_found"] > line["took_part"],
            "found_balance": votes + line["invalid"] != line["ballots_found"],
            "issued_within_list": line["took_part"] > line["registered"],
        }
        stations = table[STATION].to_pylist()
        for code, broken in relations.items():
            found[code] |= {(contest_id, stations[i]) for i in np.flatnonzero(broken)}
    return found


def test_control_relations_hold_except_where_the_real_data_breaks_them(
    spb: ElectionInputs,
) -> None:
    breaks = _breaks(spb)
    assert breaks["found_within_issued"] == FOUND_OVER_ISSUED
    assert not breaks["received_balance"]
    assert not breaks["negative"]
    assert not breaks["found_balance"]
    assert not breaks["issued_within_list"]


def test_the_law_of_the_form_flags_the_real_break_and_rejects_nothing(
    spb: ElectionInputs,
) -> None:
    """Under the Russian form (spb-2021-zaks) more ballots found than issued is no control
    relation: the commission counted station 764, and so does Saylau, flagging it."""
    found = set()
    stations = spb.election.stations_table["station_id"]
    for (contest_id, round_no), table in spb.protocols.items():
        check = check_table(table, contest_id, round_no, stations, form=ZAKS_FORM)
        assert check.rejected_count == 0, check.violations
        found |= {(v.contest_id, v.station_id, v.code, v.severity) for v in check.violations}
    assert found == {(c, s, "found_within_issued", "flag") for c, s in FOUND_OVER_ISSUED}


def test_ballots_not_counted_on_receipt_are_their_own_line(spb: ElectionInputs) -> None:
    not_counted = {
        row["uik"]: int(row["not_counted"]) for row in _rows(LIST) if row["not_counted"] != "0"
    }
    table = spb.protocols[(LIST_CONTEST, 1)].to_pylist()
    unaccounted = {row[STATION]: row["ballots_unaccounted"] for row in table}
    assert {station: n for station, n in unaccounted.items() if n} == not_counted
    assert {int(s) for s in not_counted} == NOT_COUNTED_LIST
    in_districts = {
        row[STATION]
        for (contest_id, _), table in spb.protocols.items()
        if contest_id != LIST_CONTEST
        for row in table.to_pylist()
        if row["ballots_unaccounted"]
    }
    assert {int(s) for s in in_districts} == NOT_COUNTED_DISTRICTS


def test_progress_is_reported_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    read_spb2021(REAL, progress=lambda done, total: seen.append((done, total)))
    total = LIST.stat().st_size + DISTRICTS.stat().st_size
    assert len(seen) > 2
    assert seen[-1] == (total, total)
    assert all(t == total for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# Small files written to tmp_path: the happy path, then each way a file can be broken.
