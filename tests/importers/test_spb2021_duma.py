"""The St Petersburg Duma 2021 importer, against the real station files shipped in the package
(src/saylau/importers/spb2021/data/SOURCES.md) and the national published seats
(data/ru-2021-duma/seats.csv)."""

from __future__ import annotations

import csv
from collections import Counter

import pyarrow.compute as pc
import pytest

from saylau.importers.spb2021.duma import LIST_CONTEST, read_spb2021_duma
from saylau.inputs import ElectionInputs
from saylau.protocol.table import check_table
from saylau.registry.stations import station_rows
from tests.conftest import DATA
from tests.protocol.helpers import RU_FORM

STATION_FIGURES = {
    "duma.registered": 3_931_555,
    "duma.valid": 1_430_296,
    "duma.invalid": 36_297,
    "duma.ballots_found": 1_466_593,
    "duma.stations_list": 2_043,
    "duma.stations_district": 2_045,
}
"""Sums of the station files, as the importer's published.csv holds them."""
LIST_SEATS = {
    "5": 126,
    "1": 48,
    "3": 19,
    "6": 19,
    "4": 13,
    **dict.fromkeys(("2", "7", "8", "9", "10", "11", "12", "13", "14"), 0),
}
"""The national list seats by party id: United Russia 126, the Communists 48, LDPR 19,
A Just Russia 19, New People 13; every other list 0."""
ABROAD = {"8050": "217", "8317": "217", "8413": "211", "8418": "216", "8425": "214", "8429": "213"}
"""Stations abroad, each in the district the files attach it to."""


@pytest.fixture(scope="module")
def duma() -> ElectionInputs:
    return read_spb2021_duma()


def test_the_registry(duma: ElectionInputs) -> None:
    election = duma.election
    assert [(c.chamber_id, c.law) for c in election.chambers] == [("duma", "ru-2021-duma")]
    assert [c.contest_id for c in election.contests] == [LIST_CONTEST] + [
        f"duma-{n}" for n in range(211, 219)
    ]
    assert [p.party_id for p in election.parties] == [str(n) for n in range(1, 15)]
    assert len(election.stations) == 2045
    assert len(election.territories) == 64
    assert len(election.candidates) == 96
    district = {s.station_id: s.district_id for s in station_rows(election.stations)}
    assert {uik: district[uik] for uik in ABROAD} == ABROAD
    assert duma.generated == frozenset()


def test_the_list_ballot_and_its_published_figures(duma: ElectionInputs) -> None:
    table = duma.protocols[(LIST_CONTEST, 1)]
    assert table.num_rows == STATION_FIGURES["duma.stations_list"] == 2043
    district_rows = sum(t.num_rows for (c, _), t in duma.protocols.items() if c != LIST_CONTEST)
    assert district_rows == STATION_FIGURES["duma.stations_district"] == 2045
    for line in ("registered", "valid", "invalid", "ballots_found"):
        assert pc.sum(table[line]).as_py() == STATION_FIGURES[f"duma.{line}"], line
    for key, value in STATION_FIGURES.items():
        assert duma.published.figures[key] == value
        assert duma.published.sources[key] == "spb2021 Duma station files"
        # a sum of the same files the run reads, not an official summary
        assert duma.published.kind(key) == "sum_of_inputs"


def test_the_national_list_seats_are_the_published_ones(duma: ElectionInputs) -> None:
    with (DATA / "ru-2021-duma" / "seats.csv").open(encoding="utf-8", newline="") as handle:
        published = {
            r["party_id"]: int(r["list_seats"]) for r in csv.DictReader(handle) if r["party_id"]
        }
    won = {party: seats for party, seats in published.items() if seats}
    assert {party: seats for party, seats in LIST_SEATS.items() if seats} == won
    assert set(LIST_SEATS) == {p.party_id for p in duma.election.parties}
    assert sum(LIST_SEATS.values()) == 225
    for party, seats in LIST_SEATS.items():
        key = f"duma.list_seats.{party}"
        assert duma.published.figures[key] == seats
        assert duma.published.sources[key].startswith("Central Election Commission, national")
        assert duma.published.kind(key) == "published"
    assert len(duma.published.figures) == len(STATION_FIGURES) + len(LIST_SEATS)


def test_stations_with_no_list_protocol_are_noted(duma: ElectionInputs) -> None:
    listed = set(duma.protocols[(LIST_CONTEST, 1)]["station_id"].to_pylist())
    assert {s.station_id for s in station_rows(duma.election.stations)} - listed == {"2151", "2431"}
    conflicts = [n.text for n in duma.notes if n.kind == "conflict"]
    assert sum("no list protocol" in text for text in conflicts) == 2
    assert any("6 stations vote abroad" in n.text for n in duma.notes)


def test_the_law_of_the_form_rejects_nothing_and_flags_one(duma: ElectionInputs) -> None:
    found: Counter[tuple[str, str, str, str]] = Counter()
    stations = duma.election.stations_table["station_id"]
    for (contest_id, round_no), table in duma.protocols.items():
        check = check_table(table, contest_id, round_no, stations, form=RU_FORM)
        assert check.rejected_count == 0, check.violations
        found.update((v.contest_id, v.station_id, v.code, v.severity) for v in check.violations)
    assert found == {("duma-212", "764", "found_within_issued", "flag"): 1}
    assert "valid_balance" in {r.code for r in RU_FORM.relations}
