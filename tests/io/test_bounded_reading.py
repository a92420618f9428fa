"""Bounded reading: a small file that would spend gigabytes once decoded is refused, naming
the limit, after at most the limit's worth of reading. The bombs are built at test time,
small on disk: a gzip of repeated bytes is compressed once and its member repeated (a gzip
of several members is one gzip), a Parquet file of null columns repeats one row group."""

from __future__ import annotations

import gzip
import time
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saylau.errors import InputError
from saylau.io import bounded
from saylau.io.protocols import whole as protocol_whole
from saylau.io.protocols.files import read_protocols
from saylau.io.table_files import read_rows
from saylau.io.text_table import read_text_table
from saylau.io.votes_csv import read_votes_csv
from saylau.limits import MAX_LINE_BYTES, MAX_ROWS
from saylau.protocol.lines import REQUIRED_LINES, STATION

HEADER = b"station_id,registered,ballots_received,took_part,ballots_cancelled,ballots_found,invalid"
ROW = b"0412,1000,1200,900,300,900,20\n"
MEMBER_BYTES = 64 << 20
GIB = 1 << 30


def gzip_bomb(path: Path, head: bytes, body: bytes, inflated: int) -> Path:
    """A gzip of `head` then `body` repeated to `inflated` bytes: one member of MEMBER_BYTES
    compressed once and written again and again."""
    unit = body * max(1, MEMBER_BYTES // len(body))
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = packer.compress(unit) + packer.flush()
    with path.open("wb") as sink:
        sink.write(gzip.compress(head, compresslevel=1))
        for _ in range(inflated // len(unit) + 1):
            sink.write(member)
    return path


def refused_quickly(path: Path, *words: str, seconds: float = 10.0) -> str:
    start = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_protocols(path)
    took = time.monotonic() - start
    message = str(caught.value)
    assert took < seconds, (took, message)
    assert str(path) in message
    for word in words:
        assert word in message, (word, message)
    assert "\n" not in message
    return message


def test_a_parquet_file_of_sixty_million_rows_is_refused_from_its_metadata(
    tmp_path: Path,
) -> None:
    rows = 1_000_000
    table = pa.table(
        {
            STATION: pa.nulls(rows, pa.string()),
            **{name: pa.nulls(rows, pa.int64()) for name in REQUIRED_LINES},
        }
    )
    path = tmp_path / "list.r1.parquet"
    with pq.ParquetWriter(path, table.schema) as writer:
        for _ in range(60):
            writer.write_table(table)
    assert path.stat().st_size < 4 << 20
    refused_quickly(path, "60,000,000 rows", "MAX_ROWS", seconds=2)


def test_a_gzip_of_rows_past_max_rows_is_refused_before_it_is_held(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "list.r1.csv.gz", HEADER + b"\n", ROW, 5 * GIB // 2)
    assert path.stat().st_size < 12 << 20
    refused_quickly(path, f"row {MAX_ROWS + 2}", "MAX_ROWS")


def test_a_gzip_of_blank_lines_counts_them_as_rows(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "list.r1.csv.gz", HEADER + b"\n", b"\n", 5 * GIB // 2)
    refused_quickly(path, "blank lines counted", "MAX_ROWS")


def test_a_plain_file_of_blank_lines_counts_them_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "list.r1.csv"
    with path.open("wb") as sink:
        sink.write(HEADER + b"\n" + ROW)
        sink.truncate(len(HEADER) + 1 + len(ROW) + MAX_ROWS + 10)
    path.write_bytes(path.read_bytes().replace(b"\0", b"\n"))
    refused_quickly(path, "MAX_ROWS")


def test_a_gzip_holding_one_huge_cell_names_max_cell_chars(tmp_path: Path) -> None:
    head = HEADER + b"\n0412,1000,"
    path = gzip_bomb(tmp_path / "list.r1.csv.gz", head, b"9", 5 * GIB // 2)
    message = refused_quickly(path, "row 2, field ballots_received", "MAX_CELL_CHARS")
    assert "straddl" not in message


def test_a_huge_cell_in_a_plain_file_names_max_cell_chars(tmp_path: Path) -> None:
    path = tmp_path / "list.r1.csv"
    path.write_bytes(HEADER + b"\n" + b"s" * (MAX_LINE_BYTES + 10) + b",1,1,1,1,1,1\n")
    refused_quickly(path, "row 2, field station_id", "MAX_CELL_CHARS")


def test_a_line_longer_than_a_block_but_within_the_limits_is_read(tmp_path: Path) -> None:
    """pyarrow's 'straddling object' is never the answer: a line of 2 MB (spaces around a
    figure, which are allowed) is read with a block that holds it."""
    path = tmp_path / "list.r1.csv"
    padded = b"1000" + b" " * (2 << 20)
    path.write_bytes(HEADER + b"\n" + ROW + b"0413," + padded + b",1200,900,300,900,20\n")
    table = read_protocols(path)
    assert table[STATION].to_pylist() == ["0412", "0413"]
    assert table["registered"].to_pylist() == [1000, 1000]


def test_text_past_max_text_bytes_is_refused_as_it_is_inflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "MAX_TEXT_BYTES", 64 << 20)
    path = gzip_bomb(tmp_path / "list.r1.csv.gz", HEADER + b"\n", ROW, 256 << 20)
    refused_quickly(path, "67,108,864 bytes of text", "MAX_TEXT_BYTES")


def test_cells_past_max_cells_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded, "MAX_CELLS", 7_000)
    path = tmp_path / "list.r1.csv.gz"
    path.write_bytes(gzip.compress(HEADER + b"\n" + ROW * 1_001))
    refused_quickly(path, "1,001 rows of 7 columns", "MAX_CELLS")
    plain = tmp_path / "list.r1.csv"
    plain.write_bytes(HEADER + b"\n" + ROW * 1_001)
    assert read_protocols(plain).num_rows == 1_001  # a small plain file: its size bounds it
    monkeypatch.setattr(protocol_whole, "UNSCANNED_BYTES", 0)
    refused_quickly(plain, "1,001 rows of 7 columns", "MAX_CELLS")


def test_a_registry_file_of_blank_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(b"party_id,name\n" + b"\n" * (MAX_ROWS + 1))
    with pytest.raises(InputError, match=r"parties\.csv: line 5000002: more than .*MAX_ROWS"):
        read_rows(path, ("party_id", "name"))


def test_stations_of_one_huge_line_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    with path.open("wb") as sink:
        sink.write(b"station_id,district_id,territory_id\n")
        sink.truncate(1 << 30)  # a sparse file of a gigabyte of NUL: one line
    with pytest.raises(InputError, match=r"stations\.csv: line 2: .*MAX_CELL_CHARS"):
        read_text_table(path, ("station_id", "district_id", "territory_id"))


def test_a_votes_cell_of_200000_characters_names_the_field_and_the_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(f"party,votes\nred,10\n{'p' * 200_000},5\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_votes_csv(path)
    message = str(caught.value)
    assert message == (
        f"{path}: row 3, field party: 200,000 characters, more than the limit of 1,000 "
        f"(MAX_CELL_CHARS)"
    )


def test_a_quoted_votes_cell_past_the_csv_modules_limit_is_one_of_saylaus(
    tmp_path: Path,
) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(f'party,votes\n"{"p" * 200_000}",5\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"votes\.csv: row 2.*MAX_CELL_CHARS"):
        read_votes_csv(path)


def test_a_gzip_whose_lines_end_in_cr_is_counted_by_them(tmp_path: Path) -> None:
    """Lines that end in CR alone are lines: 400,000 short ones are no 12 MB line."""
    path = tmp_path / "list.r1.csv.gz"
    text = HEADER + b"\r" + b"".join(b"%07d,10,10,10,0,10,0\r" % i for i in range(400_000))
    path.write_bytes(gzip.compress(text, compresslevel=1))
    assert read_protocols(path).num_rows == 400_000
