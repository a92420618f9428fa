"""Protocol files: the protocols of one contest and round, as CSV (optionally gzipped) or Parquet.

The layout is the protocol table of `saylau.protocol.lines`, one row per station:

| column | type | meaning |
|---|---|---|
| `station_id` | text | the station; required, never empty (leading zeros are kept) |
| `registered` | whole number | voters on the list |
| `ballots_received` | whole number | ballots received |
| `took_part` | whole number | ballots issued (voters who took part) |
| `ballots_cancelled` | whole number | ballots cancelled (unused) |
| `ballots_found` | whole number | ballots found in the boxes |
| `invalid` | whole number | invalid ballots |
| `took_part_outside` | whole number | optional: ballots issued outside the station |
| `ballots_lost` | whole number | optional: ballots lost |
| `ballots_unaccounted` | whole number | optional: ballots not accounted for on receipt |
| `valid` | whole number | optional: valid ballots, where the form records them as a line |
| `against_all` | whole number | optional: the "against all" line |
| any other name | whole number | the votes for the entry (party or candidate id) of that name |

The six lines from `registered` to `invalid` are required columns; the five optional ones may
be left out. An empty cell means the line was not recorded: on a required line or an entry
the table check reports it (`line_missing`), on an optional line the form did not carry it.
Whole numbers are digits with an optional leading minus sign, no separators or decimals.
A negative number loads (the table check reports it as `negative`, and the protocol is kept
for review); a fraction, a float column or text is a file error. Blank CSV lines are skipped.
In Parquet, line and entry columns are integers (or text holding whole numbers) and
`station_id` is text.

Errors are `InputError`s that name the file, the row and the field: in a CSV file the row
is the line number (the header is row 1); in a Parquet file it is the protocol's position
(the first protocol is row 1). A file with an error yields nothing: no half-read table.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from saylau.errors import InputError
from saylau.io.files import COMPRESSED_ERRORS, decode, first_bad_utf8_line, regular_file
from saylau.io.protocols.cells import convert
from saylau.io.protocols.whole import Progress, read_csv_whole, read_parquet_whole
from saylau.limits import MAX_CELL_CHARS, MAX_COLUMNS
from saylau.protocol.lines import LINES, REQUIRED_LINES, STATION

Format = Literal["csv", "csv.gz", "parquet"]

BATCH_ROWS: Final = 65_536
"""Rows per batch read from a Parquet file."""
CSV_BLOCK_BYTES: Final = 1 << 20
"""Bytes per batch read from a CSV file."""


def file_format(path: Path) -> Format:
    """The format a protocol file's name says: .csv, .csv.gz or .parquet."""
    name = path.name.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".csv.gz"):
        return "csv.gz"
    if name.endswith(".parquet"):
        return "parquet"
    raise InputError(f"{path}: a protocol file ends in .csv, .csv.gz or .parquet")


def read_protocols(
    path: Path,
    *,
    entries: Collection[str] | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Read a protocol file into a protocol table, in batches; see the module docstring.

    `entries`, when given, are the entry ids the ballot allows; any other column that is not
    a line is an error. `progress(done, total)` is called after each batch, in bytes of a CSV
    file or in rows of a Parquet file, and last with done == total.
    """
    kind = file_format(path)
    regular_file(path)
    try:
        if kind == "parquet":
            batches, names = _read_parquet(path, entries, progress)
        else:
            batches, names = _read_csv(path, kind == "csv.gz", entries, progress)
    except COMPRESSED_ERRORS as exc:
        raise InputError(f"{path}: not a gzip file, or cut short ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    schema = pa.schema([(STATION, pa.string())] + [(name, pa.int64()) for name in names])
    return pa.Table.from_batches(batches, schema)


def write_protocols(table: pa.Table, path: Path) -> None:
    """Write a protocol table as CSV (.csv, .csv.gz) or Parquet (.parquet), by the suffix.

    The file is written beside its place and then moved there, so a reader never sees half
    of it. An empty cell (CSV) or a null (Parquet) stands for a line not recorded.
    """
    kind = file_format(path)
    if STATION not in table.column_names:
        raise ValueError(f"a protocol table has a {STATION} column; found {table.column_names}")
    draft = path.with_name(f".{path.name}.partial")
    try:
        if kind == "parquet":
            pq.write_table(table, draft)
        elif kind == "csv.gz":
            with gzip.GzipFile(draft, "wb", compresslevel=6, mtime=0) as sink:
                pcsv.write_csv(table, sink)
        else:
            pcsv.write_csv(table, draft)
        draft.replace(path)
    finally:
        draft.unlink(missing_ok=True)


# The header


def _check_columns(
    origin: str, names: list[str], entries: Collection[str] | None, row: str
) -> list[str]:
    """The columns in protocol table order; a missing, doubled or unknown column is an error."""
    if not names or names == [""]:
        raise InputError(f"{origin}: the file is empty; expected the columns {STATION}, ...")
    if len(names) > MAX_COLUMNS:
        raise InputError(
            f"{origin}: {row}{len(names):,} columns, more than the limit of {MAX_COLUMNS:,}"
        )
    counts = Counter(names)
    for name in names:
        if not name:
            raise InputError(f"{origin}: {row}a column has no name")
        if len(name) > MAX_CELL_CHARS:
            raise InputError(f"{origin}: {row}a column name is longer than {MAX_CELL_CHARS:,}")
        if counts[name] > 1:
            raise InputError(f"{origin}: {row}field {name}: the column appears twice")
    for name in (STATION, *REQUIRED_LINES):
        if name not in names:
            rule = "every protocol names its station" if name == STATION else "a required line"
            raise InputError(f"{origin}: {row}field {name}: missing column ({rule})")
    lines = [name for name in LINES if name in names]
    others = [name for name in names if name != STATION and name not in LINES]
    if entries is not None:
        allowed = set(entries)
        for name in others:
            if name not in allowed:
                raise InputError(
                    f"{origin}: {row}field {name}: unknown column (not on the ballot of "
                    f"candidates.csv or lists.csv); a column is {STATION}, "
                    f"a line ({', '.join(LINES)}) or an entry on the ballot"
                )
    return lines + others


# CSV


def _read_csv(
    path: Path, gzipped: bool, entries: Collection[str] | None, progress: Progress | None
) -> tuple[list[pa.RecordBatch], list[str]]:
    origin = str(path)
    header = _csv_header(path, gzipped)
    names = _check_columns(origin, header, entries, "row 1, ")
    fast = read_csv_whole(path, gzipped, header, names, progress)
    if fast is not None:
        return fast.to_batches(), names
    bad_rows: list[str] = []

    def invalid_row(row: Any) -> str:
        bad_rows.append(
            f"{origin}: row {row.number}: expected {row.expected_columns} fields, "
            f"found {row.actual_columns}"
        )
        return "error"

    total = path.stat().st_size
    batches: list[pa.RecordBatch] = []
    with path.open("rb") as raw:
        source = pa.PythonFile(raw, mode="r")
        stream = pa.CompressedInputStream(source, "gzip") if gzipped else source
        try:
            reader = pcsv.open_csv(
                stream,
                read_options=pcsv.ReadOptions(
                    column_names=header,
                    skip_rows=1,
                    use_threads=False,  # row numbers of bad rows are known only so
                    block_size=CSV_BLOCK_BYTES,
                ),
                parse_options=pcsv.ParseOptions(
                    ignore_empty_lines=False, invalid_row_handler=invalid_row
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types={name: pa.string() for name in header}, strings_can_be_null=True
                ),
            )
            line = 2
            for batch in reader:
                blank = _blank(batch)
                kept = batch.filter(pc.invert(blank)) if pc.any(blank).as_py() else batch
                batches.append(convert(kept, names, _csv_rows(origin, blank, line)))
                line += batch.num_rows
                if progress is not None:
                    progress(min(raw.tell(), total), total)
        except pa.ArrowInvalid as exc:
            if bad_rows:
                raise InputError(bad_rows[0]) from None
            if "UTF8" in str(exc):
                bad = first_bad_utf8_line(path, gzipped)
                where = f"row {bad}: " if bad is not None else ""
                raise InputError(
                    f"{origin}: {where}not UTF-8 text; save the file as UTF-8"
                ) from None
            raise InputError(f"{origin}: {exc}") from None
    if progress is not None:
        progress(total, total)
    return batches, names


def _csv_header(path: Path, gzipped: bool) -> list[str]:
    """The column names of a CSV file's first line, without surrounding spaces."""
    with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
        line = handle.readline(MAX_COLUMNS * (MAX_CELL_CHARS + 3))
    try:
        text = decode(line, f"{path}")
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise InputError(f"{path}: row 1: cannot read the header: {exc}") from None
    return [name.strip() for name in first]


def _blank(batch: pa.RecordBatch) -> pa.Array:
    """Rows with every cell empty: blank lines."""
    blank = pc.is_null(batch.column(0))
    for column in batch.columns[1:]:
        blank = pc.and_(blank, pc.is_null(column))
    return blank


def _csv_rows(origin: str, blank: pa.Array, first: int) -> Callable[[int], str]:
    """Where kept row i of a batch is, given the batch's first file line and its blank rows."""
    if not pc.any(blank).as_py():
        return lambda row: f"{origin}: row {first + row}"
    lines = [first + i for i, skip in enumerate(blank.to_pylist()) if not skip]
    return lambda row: f"{origin}: row {lines[row]}"


# Parquet


def _read_parquet(
    path: Path, entries: Collection[str] | None, progress: Progress | None
) -> tuple[list[pa.RecordBatch], list[str]]:
    origin = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except pa.ArrowInvalid as exc:
        raise InputError(f"{origin}: not a Parquet file: {exc}") from None
    header = list(parquet.schema_arrow.names)
    names = _check_columns(origin, header, entries, "")
    total = parquet.metadata.num_rows
    fast = read_parquet_whole(path, names, progress, BATCH_ROWS)
    if fast is not None:
        return fast.to_batches(), names
    done = 0
    batches: list[pa.RecordBatch] = []
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            batches.append(convert(batch, names, _parquet_rows(origin, done + 1)))
            done += batch.num_rows
            if progress is not None:
                progress(done, total)
    except pa.ArrowInvalid as exc:
        raise InputError(f"{origin}: row {done + 1}: cannot read: {exc}") from None
    if progress is not None and done == 0:
        progress(total, total)
    return batches, names


def _parquet_rows(origin: str, first: int) -> Callable[[int], str]:
    """Where row i of a batch is, given the position of the batch's first protocol."""
    return lambda row: f"{origin}: row {first + row}"


__all__ = ["file_format", "read_protocols", "write_protocols"]
