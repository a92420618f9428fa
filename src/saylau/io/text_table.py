"""A CSV file of text columns read whole by pyarrow, as strictly as the row-by-row reader.

For the files that grow with the electorate (stations.csv): the header must name every
required column and no other, none twice; every cell is trimmed; an empty cell of a
required column, a cell over MAX_CELL_CHARS, a row with another number of cells, bytes that
are not UTF-8 and a file over MAX_ROWS rows are refused with the file, the line and the
field. The file is scanned within the limits (saylau.io.bounded) before it is read; cells are
read as the text they are ("NA" is NA, not a missing cell) and compared in Unicode NFC (two
ids the same in NFC but written apart are refused, naming both lines); a control character in
a cell is refused. Nothing is half-read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from saylau.errors import InputError
from saylau.inputs import TableOrigin
from saylau.io.bounded import LineScan, scan_file, table_where
from saylau.io.control import control_row
from saylau.io.csv_rows import RowNumbers, first, row_numbers, wrong_width
from saylau.io.files import (
    decode,
    first_bad_utf8_line,
    nfc,
    read_bytes,
    regular_file,
    shown,
)
from saylau.io.table_files import check_header
from saylau.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES


def read_text_table(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[pa.Table, TableOrigin]:
    """The file's rows as a table of text columns (required ones first, then the optional
    ones it has, in that order), and where each row lies in the file."""
    regular_file(path)
    scan_file(path, gzipped=False, scan=LineScan(table_where(str(path))))
    data = read_bytes(path, MAX_TEXT_BYTES, "MAX_TEXT_BYTES")
    header = [nfc(name) for name in _header(path, data)]
    check_header(path, header, required, optional)
    table = _parse(path, data, header)
    if table.num_rows > MAX_ROWS:
        raise InputError(f"{path}: {table.num_rows:,} rows, more than the limit of {MAX_ROWS:,}")
    lines = row_numbers(data, table.num_rows)
    spaced = _spaced(data)
    trimmed = {name: _trimmed(table.column(name), spaced) for name in header}
    for name in header:
        column = _normal(path, name, trimmed[name], lines)
        trimmed[name] = column
        if (
            _longest_bytes(column) > MAX_CELL_CHARS
            and pc.any(long := pc.greater(pc.utf8_length(column), MAX_CELL_CHARS)).as_py()
        ):
            row = first(long)
            raise InputError(
                f"{path}: line {lines(row)}: field {name}: more than {MAX_CELL_CHARS:,} characters "
                f"(MAX_CELL_CHARS)"
            )
        if name in required:
            empty = pc.or_kleene(pc.is_null(column), pc.equal(column, ""))
            if pc.any(empty).as_py():
                raise InputError(
                    f"{path}: line {lines(first(empty))}: field {name}: must not be empty"
                )
    names = [*required, *(c for c in optional if c in header)]
    found = pa.table({name: trimmed[name].combine_chunks() for name in names})
    return found, _origin(path, data, table.num_rows)


SPACES = (b" ", b"\t", b"\r", b"\x0b", b"\x0c")
"""The ASCII whitespace a cell may be trimmed of (besides the line ends between rows)."""


def _spaced(data: bytes) -> bool:
    """Whether a cell of the file may have whitespace to trim: a file of ASCII text with no
    whitespace but line ends has none, which a scan of its bytes shows (once per file)."""
    return not data.isascii() or any(space in data for space in SPACES)


def _trimmed(column: pa.ChunkedArray, spaced: bool) -> pa.ChunkedArray:
    """The cells without surrounding whitespace (`spaced`: the file may have some)."""
    return pc.utf8_trim_whitespace(column) if spaced else column


def _normal(path: Path, name: str, column: pa.ChunkedArray, lines: RowNumbers) -> pa.ChunkedArray:
    """The column in Unicode NFC, without control characters; a clash that normalising
    makes (two ids written apart, the same in NFC) is refused naming both lines."""
    row = control_row(column)
    if row is not None:
        raise InputError(
            f"{path}: line {lines(row)}: field {name}: '{shown(column[row].as_py())}' holds a "
            f"control character"
        )
    if pc.all(pc.fill_null(pc.string_is_ascii(column), True)).as_py():
        return column
    normal = pc.utf8_normalize(column, form="NFC")
    if (
        name == required_id(path)
        and pc.count_distinct(normal).as_py() < pc.count_distinct(column).as_py()
    ):
        seen: dict[str, tuple[int, str]] = {}
        for row, (raw, value) in enumerate(
            zip(column.to_pylist(), normal.to_pylist(), strict=True)
        ):
            if value in seen and seen[value][1] != raw:
                raise InputError(
                    f"{path}: line {lines(row)}: field {name}: {shown(value)!r} is on line "
                    f"{lines(seen[value][0])} too, written apart but the same in Unicode "
                    f"normal form NFC"
                )
            seen.setdefault(value, (row, raw))
    return normal


def required_id(path: Path) -> str:
    """The column of a table's ids: its first, by the file's name (stations.csv: station_id)."""
    return path.name.removesuffix(".csv").removesuffix("s") + "_id"


def _longest_bytes(column: pa.ChunkedArray) -> int:
    """The most bytes in a cell: a cell has at least as many bytes as characters."""
    longest = pc.max(pc.binary_length(column)).as_py()
    return 0 if longest is None else int(longest)


def _header(path: Path, data: bytes) -> list[str]:
    most = MAX_COLUMNS * (MAX_CELL_CHARS + 3)
    end = data.find(b"\n", 0, most)
    first = data[: most if end < 0 else end]  # the header line, not a copy of the rest
    names = next(csv.reader(io.StringIO(decode(first, str(path)), newline="")), [])
    if len(names) > MAX_COLUMNS:
        raise InputError(f"{path}: line 1: more than {MAX_COLUMNS:,} columns")
    return [name.strip() for name in names]


def _parse(path: Path, data: bytes, header: list[str]) -> pa.Table:
    try:
        return pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=header, skip_rows=1),
            convert_options=pcsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc):
            line = first_bad_utf8_line(path, gzipped=False)
            where = f"line {line}: " if line is not None else ""
            raise InputError(f"{path}: {where}not UTF-8 text; save the file as UTF-8") from None
        width = wrong_width(data, len(header))
        if width is not None:
            raise InputError(
                f"{path}: line {width[0]}: {width[1]} cells for {len(header)} columns"
            ) from None
        raise InputError(f"{path}: not valid CSV: {exc}") from None


def _origin(path: Path, data: bytes, rows: int) -> TableOrigin:
    """Where each row lies: `offset` when every row is one line, else each line listed."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines == rows + 1:
        return TableOrigin(str(path), offset=2)
    locate = row_numbers(data, rows)
    return TableOrigin(str(path), tuple(locate(i) for i in range(rows)))


def write_text_table(table: pa.Table, path: Path) -> None:
    """A table of text columns as CSV that `read_text_table` reads back the same."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcsv.write_csv(table, path, pcsv.WriteOptions(quoting_style="needed"))
