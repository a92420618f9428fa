"""The St Petersburg Duma 2021 importer, against the real station files (data/real/SOURCES.md)
and the national published seats (data/ru-2021-duma/seats.csv)."""

from __future__ import annotations

import csv
from collections import Counter

import pyarrow.compute as pc
import pytest

from saylau.importers.spb2021.duma import (
    LIST_CONTEST,
    LIST_SEATS,
    NATIONAL_SEATS,
    STATION_FIGURES,
    STATION_FILES,
    read_spb2021_duma,
)
from saylau.inputs import ElectionInputs
from saylau.protocol.table import check_table
from saylau.registry.stations import station_rows
from tests.conftest import DATA
from tests.protocol.helpers import RU_FORM

REAL = DATA / "real"
ABROAD = {"8050": "217", "8317": "217", "8413": "211", "8418": "216", "8425": "214", "8429": "213"}
"""Stations abroad, each in the district the files attach it to."""


@pytest.fixture(scope="module")
def duma() -> ElectionInputs:
    return read_spb2021_duma(REAL)


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
    for key in STATION_FIGURES:
        assert duma.published.sources[key] == STATION_FILES


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
        assert duma.published.figures[f"duma.list_seats.{party}"] == seats
        assert duma.published.sources[f"duma.list_seats.{party}"] == NATIONAL_SEATS


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
