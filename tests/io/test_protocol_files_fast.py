"""The fast reading of a protocol file (CSV, CSV.gz, Parquet) agrees with the careful one,
cell for cell.

`read_csv_whole` and `read_parquet_whole` read the common file in one go; any file they
are not sure of goes to the careful reader. Either way the table (or the refusal) must be
the same.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.errors import InputError
from saylau.io.protocols import files as protocol_files
from saylau.io.protocols.files import read_protocols
from saylau.io.protocols.whole import read_csv_whole
from saylau.limits import MAX_COUNT

CELLS = [
    "0",
    "7",
    "007",
    " 12 ",
    "\u00a012",
    "\t8",
    "1 ",
    "-3",
    "+5",
    "",
    " ",
    "5.0",
    "1e3",
    "0x10",
    "0X1f",
    "1_000",
    "1,000",
    "12a",
    "٣",
    "9" * 19,
    str(MAX_COUNT),
    str(MAX_COUNT + 1),
    f"-{MAX_COUNT + 1}",
    '"4"',
    '" 4"',
    "nan",
    "null",
    "NA",
    "true",
    "-",
    "--1",
    "3 4",
]
STATIONS = ["s1", " s2 ", "\u00a0s5", "\ts6", "", '"s,3"', "x" * 1001, "0x9", "s4", "NA", "null"]


def _outcome(path: Path) -> object:
    try:
        table = read_protocols(path)
    except InputError as exc:
        return ("refused", str(exc))
    return ("read", table.to_pylist())


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(STATIONS), st.sampled_from(CELLS), st.sampled_from(CELLS)),
        max_size=4,
    ),
    blank_line=st.booleans(),
    gzipped=st.booleans(),
)
def test_fast_and_careful_reading_agree(
    rows: list[tuple[str, str, str]],
    blank_line: bool,
    gzipped: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = ["station_id,took_part,p1"] + [",".join(row) for row in rows]
    if blank_line:
        lines.insert(len(lines) // 2 + 1, "")
    text = ("\n".join(lines) + "\n").encode()
    path = tmp_path / ("c.r1.csv.gz" if gzipped else "c.r1.csv")
    path.write_bytes(gzip.compress(text) if gzipped else text)
    fast = _outcome(path)
    with monkeypatch.context() as patch:
        patch.setattr(protocol_files, "read_csv_whole", lambda *args: None)
        careful = _outcome(path)
    assert fast == careful


@pytest.mark.parametrize("gzipped", [False, True])
def test_the_fast_reading_is_taken_for_a_plain_file(tmp_path: Path, gzipped: bool) -> None:
    text = b"station_id,took_part,p1\ns1, 10 ,4\ns2,-0,\n"
    path = tmp_path / ("c.r1.csv.gz" if gzipped else "c.r1.csv")
    path.write_bytes(gzip.compress(text) if gzipped else text)
    header = ["station_id", "took_part", "p1"]
    table = read_csv_whole(path, gzipped, header, ["took_part", "p1"], None)
    assert table is not None
    assert table.to_pylist() == [
        {"station_id": "s1", "took_part": 10, "p1": 4},
        {"station_id": "s2", "took_part": 0, "p1": None},
    ]


FIGURES = st.one_of(
    st.lists(st.one_of(st.none(), st.integers(-(2**40), 2**40)), min_size=3, max_size=3).map(
        lambda cells: pa.array(cells, pa.int64())
    ),
    st.lists(st.integers(0, 2**64 - 1), min_size=3, max_size=3).map(
        lambda cells: pa.array(cells, pa.uint64())
    ),
    st.lists(st.integers(-(2**31), 2**31 - 1), min_size=3, max_size=3).map(
        lambda cells: pa.array(cells, pa.int32())
    ),
    st.lists(st.sampled_from(CELLS), min_size=3, max_size=3).map(
        lambda cells: pa.array(cells, pa.string())
    ),
    st.just(pa.array([1.0, 2.5, None], pa.float64())),
)
IDS = st.lists(st.one_of(st.none(), st.sampled_from(STATIONS)), min_size=3, max_size=3)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=IDS, took_part=FIGURES, votes=FIGURES, large=st.booleans())
def test_fast_and_careful_parquet_reading_agree(
    ids: list[str | None],
    took_part: pa.Array,
    votes: pa.Array,
    large: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    station = pa.array(ids, pa.large_string() if large else pa.string())
    path = tmp_path / "c.r1.parquet"
    pq.write_table(pa.table({"station_id": station, "took_part": took_part, "p1": votes}), path)
    fast = _outcome(path)
    with monkeypatch.context() as patch:
        patch.setattr(protocol_files, "read_parquet_whole", lambda *args: None)
        careful = _outcome(path)
    assert fast == careful
