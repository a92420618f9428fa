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

Reading is bounded before memory is spent (saylau.limits): a CSV file's bytes are scanned
first (inflated in chunks, for a gzip), and a file past MAX_TEXT_BYTES, MAX_ROWS lines
(blank lines count), MAX_CELLS cells or a line past MAX_LINE_BYTES (a cell past
MAX_CELL_CHARS) is refused naming the limit; a Parquet file's rows, cells and bytes are
checked from its metadata before a row is decoded. Cells are the text they are: "NA" is a
station id, "NaN" is not a whole number. Column names and station ids are compared in Unicode
NFC; a clash that normalising makes is refused, naming both columns or rows; a control
character in a column name or a station id is refused.
"""

from __future__ import annotations

import bisect
import gzip
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from saylau.errors import InputError
from saylau.io.bounded import LineScan, protocol_where, scan_file
from saylau.io.files import (
    COMPRESSED_ERRORS,
    first_bad_utf8_line,
    nfc,
    regular_file,
    shown,
)
from saylau.io.protocols.cells import convert
from saylau.io.protocols.names import Where, check_columns, csv_header, normal_stations
from saylau.io.protocols.whole import (
    UNSCANNED_BYTES,
    Progress,
    read_csv_whole,
    read_parquet_whole,
)
from saylau.limits import (
    MAX_CELLS,
    MAX_LINE_BYTES,
    MAX_ROWS,
    MAX_TEXT_BYTES,
)
from saylau.protocol.lines import STATION

if TYPE_CHECKING:
    import pyarrow.parquet as pq

Format = Literal["csv", "csv.gz", "parquet"]

BATCH_ROWS: Final = 65_536
"""Rows per batch read from a Parquet file by the careful reader."""
WHOLE_BATCH_ROWS: Final = 1 << 20
"""Rows per batch read from a Parquet file read whole: fewer, longer columns are decoded
and summed faster."""
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
            batches, names, where = _read_parquet(path, entries, progress)
        else:
            batches, names, where = _read_csv(path, kind == "csv.gz", entries, progress)
    except COMPRESSED_ERRORS as exc:
        raise InputError(f"{path}: not a gzip file, or cut short ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    schema = pa.schema([(STATION, pa.string())] + [(name, pa.int64()) for name in names])
    return normal_stations(pa.Table.from_batches(batches, schema), where)


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
            import pyarrow.parquet as pq  # loaded for a Parquet file only

            pq.write_table(table, draft)
        elif kind == "csv.gz":
            with gzip.GzipFile(draft, "wb", compresslevel=6, mtime=0) as sink:
                pcsv.write_csv(table, sink)
        else:
            pcsv.write_csv(table, draft)
        draft.replace(path)
    finally:
        draft.unlink(missing_ok=True)


# CSV


def _read_csv(
    path: Path, gzipped: bool, entries: Collection[str] | None, progress: Progress | None
) -> tuple[list[pa.RecordBatch], list[str], Where]:
    origin = str(path)
    header = csv_header(path, gzipped)
    names = check_columns(origin, header, entries, "row 1, ")
    fast = read_csv_whole(path, gzipped, header, names, progress)
    if fast is not None:
        return fast.to_batches(), names, lambda row: f"{origin}: row {row + 2}"
    if not gzipped and path.stat().st_size <= UNSCANNED_BYTES:
        scan_file(path, False, LineScan(protocol_where(origin), header))
    try:
        return _read_csv_carefully(path, gzipped, header, names, progress, CSV_BLOCK_BYTES)
    except _Straddling:
        # A line longer than a block: the scan has held every line to MAX_LINE_BYTES.
        return _read_csv_carefully(path, gzipped, header, names, progress, MAX_LINE_BYTES + 1)


class _Straddling(Exception):
    """pyarrow met a line longer than its block."""


def _read_csv_carefully(
    path: Path,
    gzipped: bool,
    header: list[str],
    names: list[str],
    progress: Progress | None,
    block_size: int,
) -> tuple[list[pa.RecordBatch], list[str], Where]:
    origin = str(path)
    bad_rows: list[str] = []

    def invalid_row(row: Any) -> str:
        bad_rows.append(
            f"{origin}: row {row.number}: expected {row.expected_columns} fields, "
            f"found {row.actual_columns}"
        )
        return "error"

    total = path.stat().st_size
    batches: list[pa.RecordBatch] = []
    places: list[tuple[int, Callable[[int], str]]] = []
    kept = 0
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
                    block_size=block_size,
                ),
                parse_options=pcsv.ParseOptions(
                    ignore_empty_lines=False, invalid_row_handler=invalid_row
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types={name: pa.string() for name in header},
                    strings_can_be_null=True,
                    null_values=[""],
                ),
            )
            line = 2
            for batch in reader:
                blank = _blank(batch)
                kept_rows = batch.filter(pc.invert(blank)) if pc.any(blank).as_py() else batch
                locate = _csv_rows(origin, blank, line)
                batches.append(convert(kept_rows, names, locate))
                places.append((kept, locate))
                kept += kept_rows.num_rows
                line += batch.num_rows
                if progress is not None:
                    progress(min(raw.tell(), total), total)
        except pa.ArrowInvalid as exc:
            if bad_rows:
                raise InputError(bad_rows[0]) from None
            if "straddling" in str(exc) and block_size <= MAX_LINE_BYTES:
                raise _Straddling from None
            if "UTF8" in str(exc):
                bad = first_bad_utf8_line(path, gzipped)
                where = f"row {bad}: " if bad is not None else ""
                raise InputError(
                    f"{origin}: {where}not UTF-8 text; save the file as UTF-8"
                ) from None
            raise InputError(f"{origin}: {shown(exc)}") from None
    if progress is not None:
        progress(total, total)
    return batches, names, lambda row: _placed(places, row)


def _placed(places: list[tuple[int, Callable[[int], str]]], row: int) -> str:
    """Where the kept row at a position of the whole table is, from its batch's places."""
    starts = [start for start, _ in places]
    index = bisect.bisect_right(starts, row) - 1
    start, locate = places[index]
    return locate(row - start)


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
) -> tuple[list[pa.RecordBatch], list[str], Where]:
    import pyarrow.parquet as pq  # loaded for a Parquet file only

    origin = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except pa.ArrowInvalid as exc:
        raise InputError(f"{origin}: not a Parquet file: {shown(exc)}") from None
    raw_names = list(parquet.schema_arrow.names)
    header = [nfc(name) for name in raw_names]
    names = check_columns(origin, header, entries, "")
    total = _parquet_size(origin, parquet)

    def where(row: int) -> str:
        return f"{origin}: row {row + 1}"

    if raw_names == header:
        fast = read_parquet_whole(path, names, progress, WHOLE_BATCH_ROWS)
        if fast is not None:
            return fast.to_batches(), names, where
    done = 0
    batches: list[pa.RecordBatch] = []
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            named = pa.RecordBatch.from_arrays(batch.columns, names=header)
            batches.append(convert(named, names, _parquet_rows(origin, done + 1)))
            done += batch.num_rows
            if progress is not None:
                progress(done, total)
    except pa.ArrowInvalid as exc:
        raise InputError(f"{origin}: row {done + 1}: cannot read: {shown(exc)}") from None
    if progress is not None and done == 0:
        progress(total, total)
    return batches, names, where


def _parquet_size(origin: str, parquet: pq.ParquetFile) -> int:
    """The file's rows, from its metadata, once its rows, cells and bytes (uncompressed, as
    the metadata states them) are within the limits: nothing is decoded before."""
    meta = parquet.metadata
    rows, columns = meta.num_rows, meta.num_columns
    if rows > MAX_ROWS:
        raise InputError(
            f"{origin}: {rows:,} rows (its metadata says), more than {MAX_ROWS:,}, the limit "
            f"(MAX_ROWS)"
        )
    if rows * columns > MAX_CELLS:
        raise InputError(
            f"{origin}: {rows:,} rows of {columns:,} columns are more than {MAX_CELLS:,} cells, "
            f"the limit (MAX_CELLS)"
        )
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > MAX_TEXT_BYTES:
        raise InputError(
            f"{origin}: {size:,} bytes once decoded (its metadata says), more than "
            f"{MAX_TEXT_BYTES:,}, the limit (MAX_TEXT_BYTES)"
        )
    return int(rows)


def _parquet_rows(origin: str, first: int) -> Callable[[int], str]:
    """Where row i of a batch is, given the position of the batch's first protocol."""
    return lambda row: f"{origin}: row {first + row}"


__all__ = ["file_format", "read_protocols", "write_protocols"]
