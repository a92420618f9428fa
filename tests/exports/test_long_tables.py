"""The CSV and Parquet long tables: every protocol row kept with its status, the areas
the sums of the counted ones, the nation the engine's figures; and the seats."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from saylau import run
from saylau.cli import app
from saylau.exports.long_tables import COLUMNS
from tests.conftest import ROOT

LEVELS = ("station", "district", "territory", "nation")


def export(out: Path, election: str, *formats: str) -> None:
    args = ["export", election, "--out", str(out)]
    for found in formats:
        args += ["--format", found]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output


@pytest.fixture(scope="module")
def kz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kz")
    export(out, "kz-1999", "csv", "parquet")
    return out


def rows(table: pa.Table, **where: str | int) -> pa.Table:
    for column, value in where.items():
        table = table.filter(pc.equal(table.column(column), value))
    return table


def test_csv_and_parquet_hold_the_same_rows(kz: Path) -> None:
    for level in LEVELS:
        parquet = pq.read_table(kz / f"results_{level}.parquet")
        assert tuple(parquet.column_names) == COLUMNS
        types = pa_csv.ConvertOptions(column_types=parquet.schema, strings_can_be_null=True)
        csv = pa_csv.read_csv(kz / f"results_{level}.csv", convert_options=types)
        assert csv.equals(parquet), level


def test_the_nation_is_the_engine_s(kz: Path) -> None:
    nation = pq.read_table(kz / "results_nation.parquet")
    figures = {r["item"]: r["count"] for r in rows(nation, contest_id="majilis-list").to_pylist()}
    majilis = run("kz-1999").chamber("majilis")
    assert figures["registered"] == majilis.registered == 8_411_757
    assert figures["took_part"] == majilis.took_part == 5_253_864
    assert figures["against_all"] == 373_440 and figures["invalid"] == 361_534
    for party in majilis.parties:
        if party.list_votes is not None:
            assert figures[party.party_id] == party.list_votes
    published = rows(nation, item="otan").column("generated").to_pylist()
    assert published == [False]
    assert rows(nation, item="protocols").column("generated").to_pylist() == [True]


def test_every_level_sums_the_counted_stations(kz: Path) -> None:
    stations = pq.read_table(kz / "results_station.parquet")
    assert set(stations.column("generated").to_pylist()) == {True}
    counted = stations.filter(pc.not_equal(stations.column("status"), "rejected"))
    for level, key in (("district", "district_id"), ("territory", "territory_id")):
        area = pq.read_table(kz / f"results_{level}.parquet")
        area = rows(area, contest_id="majilis-list", item_kind="votes")
        summed = (
            rows(counted, contest_id="majilis-list", item_kind="votes")
            .group_by([key, "item"])
            .aggregate([("count", "sum")])
        )
        found = {(r[key], r["item"]): r["count_sum"] for r in summed.to_pylist()}
        assert found == {(r["area_id"], r["item"]): r["count"] for r in area.to_pylist()}


def test_a_rejected_protocol_is_kept_with_its_status_and_not_summed(tmp_path: Path) -> None:
    election = tmp_path / "election"
    shutil.copytree(ROOT / "examples" / "demo-election", election)
    protocols = election / "protocols" / "house-list.r1.csv"
    text = protocols.read_text(encoding="utf-8")
    protocols.write_text(text.replace("s1,1000,750,700,", "s1,600,750,700,"), encoding="utf-8")
    export(tmp_path / "out", str(election), "parquet")
    stations = pq.read_table(tmp_path / "out" / "results_station.parquet")
    s1 = rows(stations, contest_id="house-list", area_id="s1")
    assert set(s1.column("status").to_pylist()) == {"rejected"}
    assert rows(s1, item="registered").column("count").to_pylist() == [600]
    nation = pq.read_table(tmp_path / "out" / "results_nation.parquet")
    red = rows(nation, contest_id="house-list", item="red").column("count").to_pylist()
    assert red == [250 + 200 + 150 + 210 + 180]  # every station but s1
    assert rows(nation, contest_id="house-list", item="rejected").column("count").to_pylist() == [1]


def test_the_seats_table_holds_every_seat(kz: Path) -> None:
    seats = pq.read_table(kz / "seats.parquet")
    majilis = rows(seats, chamber="majilis")
    assert majilis.num_rows == 77
    assert rows(majilis, tier="list").num_rows == 10
    assert rows(seats, chamber="senate").num_rows == 16
    otan = rows(majilis, party_id="otan").num_rows
    assert otan == 23
