"""The promise at the size of the largest elections: on the benchmark's election of a million
stations, one bad cell in row 700,000 stops the run naming the file, the row and the field,
and nothing is written; one protocol that breaks a relation there is kept, reported and not
counted."""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import ROOT

runner = CliRunner()
STATIONS = 1_000_000
ROW = 700_000
"""The protocol (1-based, in file order) that is spoilt."""


def _national() -> ModuleType:
    spec = importlib.util.spec_from_file_location("national", ROOT / "bench" / "national.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's seeded election of a million stations, protocols as CSV."""
    root: Path = _national().build(tmp_path_factory.mktemp("national") / "csv", STATIONS)
    return root


def _copy(national: Path, tmp_path: Path) -> Path:
    root = tmp_path / "election"
    shutil.copytree(national, root)
    return root


def _csv_with_cell(path: Path, row: int, field: str, value: str) -> str:
    """Write `value` into `field` of data row `row`; the station id of that row."""
    lines = path.read_bytes().split(b"\n")
    header = lines[0].decode().replace('"', "").split(",")
    cells = lines[row].decode().split(",")
    cells[header.index(field)] = value
    lines[row] = ",".join(cells).encode()
    path.write_bytes(b"\n".join(lines))
    return cells[0].strip('"')


def _refused(root: Path, *words: str, out: Path | None = None) -> None:
    args = ["run", str(root), "--json"] + ([] if out is None else ["--out", str(out)])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output[-2000:]
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert result.stdout == ""


def test_the_benchmark_election_runs_clean(national: Path) -> None:
    result = runner.invoke(app, ["run", str(national), "--json"])
    assert result.exit_code == 0, result.output[-2000:]
    found = json.loads(result.stdout)
    nation = found["house"]["lists"][0]["areas"]["nation"]
    assert nation["protocols"] + nation["rejected"] + nation["missing"] == STATIONS
    assert nation["rejected"] == len(found["rejected"]) > 0
    assert {code for r in found["rejected"] for code in r["codes"]} == {"received_balance"}


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("12x", "'12x' is not a whole number"),
        ("0x1f", "'0x1f' is not a whole number"),
        ("1.5", "'1.5' is not a whole number"),
        ("10000000000001", "is beyond the limit"),
    ],
)
def test_a_bad_cell_in_row_700000_of_a_million_stops_the_run(
    national: Path, tmp_path: Path, value: str, complaint: str
) -> None:
    root = _copy(national, tmp_path)
    protocols = root / "protocols" / "national.r1.csv"
    _csv_with_cell(protocols, ROW, "party07", value)
    out = tmp_path / "out"
    _refused(root, str(protocols), f"row {ROW + 1}, field party07", complaint, out=out)
    assert not out.exists()


def test_a_short_row_700000_stops_the_run(national: Path, tmp_path: Path) -> None:
    root = _copy(national, tmp_path)
    protocols = root / "protocols" / "national.r1.csv"
    lines = protocols.read_bytes().split(b"\n")
    lines[ROW] = lines[ROW].rsplit(b",", 1)[0]
    protocols.write_bytes(b"\n".join(lines))
    _refused(root, str(protocols), f"row {ROW + 1}: expected 21 fields, found 20")


def test_a_bad_cell_in_row_700000_of_gzipped_protocols(national: Path, tmp_path: Path) -> None:
    root = _copy(national, tmp_path)
    plain = root / "protocols" / "national.r1.csv"
    _csv_with_cell(plain, ROW, "invalid", "-")
    packed = plain.with_name("national.r1.csv.gz")
    packed.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=1))
    plain.unlink()
    _refused(root, str(packed), f"row {ROW + 1}, field invalid", "'-' is not a whole number")


def _parquet(national: Path, tmp_path: Path, spoil: Callable[[pa.Table], pa.Table]) -> Path:
    """The election with its protocols as Parquet, after `spoil`."""
    root = _copy(national, tmp_path)
    plain = root / "protocols" / "national.r1.csv"
    table = pcsv.read_csv(plain)
    plain.unlink()
    path = root / "protocols" / "national.r1.parquet"
    pq.write_table(spoil(table), path)
    return path


def _with(table: pa.Table, field: str, cell: pa.Array) -> pa.Table:
    """`field` replaced by `cell`, a column of the same length."""
    return table.set_column(table.schema.get_field_index(field), field, cell)


def test_a_bad_cell_in_row_700000_of_parquet_protocols(national: Path, tmp_path: Path) -> None:
    def spoil(table: pa.Table) -> pa.Table:
        text = pc.cast(table.column("party03"), pa.string()).to_pylist()
        text[ROW - 1] = "1 000"
        return _with(table, "party03", pa.array(text, pa.string()))

    path = _parquet(national, tmp_path, spoil)
    _refused(path.parent.parent, str(path), f"row {ROW}, field party03", "'1 000' is not")


def test_a_too_large_cell_in_row_700000_of_parquet_protocols(
    national: Path, tmp_path: Path
) -> None:
    def spoil(table: pa.Table) -> pa.Table:
        numbers = table.column("registered").to_pylist()
        numbers[ROW - 1] = 10**13
        return _with(table, "registered", pa.array(numbers, pa.int64()))

    path = _parquet(national, tmp_path, spoil)
    _refused(path.parent.parent, str(path), f"row {ROW}, field registered", "beyond the limit")


def test_a_protocol_breaking_a_relation_in_row_700000_is_kept_and_not_counted(
    national: Path, tmp_path: Path
) -> None:
    root = _copy(national, tmp_path)
    protocols = root / "protocols" / "national.r1.csv"
    before = json.loads(runner.invoke(app, ["run", str(national), "--json"]).stdout)
    table = pcsv.read_csv(protocols)
    row = table.slice(ROW - 1, 1).to_pylist()[0]
    assert row["station_id"] not in {r["station_id"] for r in before["rejected"]}
    station = _csv_with_cell(protocols, ROW, "took_part", str(row["registered"] + 1))
    result = runner.invoke(app, ["run", str(root), "--json"])
    assert result.exit_code == 0, result.output[-2000:]
    after = json.loads(result.stdout)
    kept = [r for r in after["rejected"] if r["station_id"] == station]
    assert len(kept) == 1
    assert "issued_within_list" in kept[0]["codes"]
    counted = [after, before]
    nation = [found["house"]["lists"][0]["areas"]["nation"] for found in counted]
    assert nation[0]["rejected"] == nation[1]["rejected"] + 1
    assert nation[0]["protocols"] == nation[1]["protocols"] - 1
    assert nation[0]["registered"] == nation[1]["registered"] - row["registered"]
