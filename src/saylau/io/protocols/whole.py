"""A protocol file read whole at full speed: the common case, CSV, CSV.gz or Parquet.

pyarrow reads a CSV file on every core with the declared types: the station id as text and
every other column as int64. Its whole numbers are Saylau's (digits with an optional
minus, spaces around allowed) but for one form, hexadecimal (0x10): a file that holds
"0x" anywhere is left to the careful reader, as is any file with a cell pyarrow cannot
take (text in a figure, a blank line, a row of another width). A Parquet file is read
whole when its station ids are text and its figures integers. Either is left to the
careful reader for an empty or long station id, a figure past MAX_COUNT or more rows than
MAX_ROWS, a station id with a control character, or station ids that only Unicode
normalisation (NFC) makes equal. The careful reader (saylau.io.protocols.files) then names the
file, the row and the field.

Before pyarrow parses a CSV file, its bytes are scanned within the limits
(saylau.io.bounded): a file past MAX_TEXT_BYTES once inflated, MAX_ROWS lines (blank lines
too), MAX_CELLS cells or MAX_LINE_BYTES in a line is refused naming the limit, having read at
most that much. A gzipped file is inflated once, in chunks; its text is held (in the chunks,
never joined) only up to INFLATED_BYTES, past which the careful reader streams it. Cells are
read as the text they are: "NA" and "NaN" are no missing values.
"""

from __future__ import annotations

import gzip
import io
import mmap
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from saylau.io.bounded import SCAN_BYTES, LineScan, protocol_where
from saylau.io.control import control_row
from saylau.io.files import COMPRESSED_ERRORS
from saylau.limits import MAX_CELL_CHARS, MAX_COUNT, MAX_ROWS
from saylau.protocol.lines import STATION

Progress = Callable[[int, int], None]
"""Called as a file is read: bytes done, bytes in all."""
BLOCK_BYTES: Final = 4 << 20
"""Bytes pyarrow parses at a time, on each core; and inflated at a time, fewer than
MAX_LINE_BYTES (saylau.io.bounded)."""
INFLATED_BYTES: Final = 1 << 30
"""A gzipped file larger than this once inflated is left to the careful reader, which
streams it: the fast reading holds the inflated text in memory, and then its table."""
UNSCANNED_BYTES: Final = 1 << 28
"""A plain file no larger is parsed without a scan: what pyarrow makes of it is bounded by
its size (a cell is a byte at least). The careful reader scans it first."""
HEXADECIMAL: Final = re.compile(rb"0[xX]")


def read_csv_whole(
    path: Path, gzipped: bool, header: list[str], names: list[str], progress: Progress | None
) -> pa.Table | None:
    """The protocol table of the file, or None when the careful reader must read it. The
    file is scanned whole first (a plain one only past UNSCANNED_BYTES); a file past a limit
    is refused (InputError)."""
    total = path.stat().st_size
    types = dict.fromkeys(header, pa.int64())
    types[STATION] = pa.string()
    scan = LineScan(protocol_where(str(path)), header)
    try:
        with path.open("rb") as handle:
            if gzipped:
                parts = _inflated(handle, total, progress, scan)
                if parts is None:
                    return None
                source: Any = pa.PythonFile(_Parts(parts), mode="r")
            else:
                if total:
                    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                        if total > UNSCANNED_BYTES:
                            for start in range(0, total, SCAN_BYTES):
                                scan.feed(data[start : start + SCAN_BYTES])
                            scan.finish()
                        if _holds(data, HEXADECIMAL, (b"x", b"X")):
                            return None
                source = pa.PythonFile(_Told(handle, total, progress), mode="r")
            table = pcsv.read_csv(
                source,
                read_options=pcsv.ReadOptions(
                    column_names=header, skip_rows=1, block_size=BLOCK_BYTES
                ),
                parse_options=pcsv.ParseOptions(ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(column_types=types, null_values=[""]),
            )
    except (pa.ArrowInvalid, *COMPRESSED_ERRORS):
        return None
    if progress is not None:
        progress(total, total)
    return _within_limits(table, names)


def read_parquet_whole(
    path: Path, names: list[str], progress: Progress | None, batch_rows: int
) -> pa.Table | None:
    """The protocol table of a Parquet file, or None when the careful reader must read it."""
    import pyarrow.parquet as pq  # loaded for a Parquet file only

    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
        if not _is_text(schema.field(STATION).type):
            return None
        if not all(pa.types.is_integer(schema.field(name).type) for name in names):
            return None
        total = parquet.metadata.num_rows
        batches = []
        for batch in parquet.iter_batches(batch_size=batch_rows, columns=[STATION, *names]):
            batches.append(batch)
            if progress is not None:
                progress(sum(len(b) for b in batches), total)
        table = pa.Table.from_batches(
            batches, pa.schema([schema.field(name) for name in (STATION, *names)])
        )
        figures = {name: pc.cast(table.column(name), pa.int64()) for name in names}
    except (pa.ArrowInvalid, OSError):  # unreadable, or an unsigned figure past int64
        return None
    if progress is not None and total == 0:
        progress(total, total)
    station = pc.cast(table.column(STATION), pa.string())
    return _within_limits(pa.table({STATION: station, **figures}), names)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _within_limits(table: pa.Table, names: list[str]) -> pa.Table | None:
    """The table with its station ids trimmed (in Unicode NFC), or None when a cell is past
    a limit, a station id holds a control character or normalising makes two ids equal."""
    if table.num_rows > MAX_ROWS or table.column(STATION).null_count:
        return None
    station = pc.utf8_trim_whitespace(table.column(STATION))
    if table.num_rows:
        lengths = pc.min_max(pc.utf8_length(station))
        if not 0 < lengths["min"].as_py() <= lengths["max"].as_py() <= MAX_CELL_CHARS:
            return None
        if control_row(station) is not None:
            return None
        if not pc.all(pc.string_is_ascii(station)).as_py():
            normal = pc.utf8_normalize(station, form="NFC")
            if pc.count_distinct(normal).as_py() < pc.count_distinct(station).as_py():
                return None
            station = normal
    for name in names:
        column = table.column(name)
        if column.null_count < len(column):
            bounds = pc.min_max(column)
            low, high = bounds["min"].as_py(), bounds["max"].as_py()
            if high > MAX_COUNT or low < -MAX_COUNT:
                return None
    return pa.table({STATION: station, **{name: table.column(name) for name in names}})


def _holds(data: Any, pattern: re.Pattern[bytes], letters: tuple[bytes, ...]) -> bool:
    """Whether the bytes hold the pattern, which has one of `letters` in it: a scan for a
    single byte (memchr) settles most files, the pattern the rest."""
    if all(data.find(letter) < 0 for letter in letters):
        return False
    return pattern.search(data) is not None


def _inflated(
    handle: Any, total: int, progress: Progress | None, scan: LineScan
) -> list[bytes] | None:
    """The text of a gzipped file in chunks, scanned whole; None past INFLATED_BYTES, for
    a file that holds "0x", or one that is not whole gzip (the careful reader names it)."""
    parts: list[bytes] | None = []
    size = 0
    tail = b""
    try:
        with gzip.GzipFile(fileobj=handle) as text:
            while part := text.read(BLOCK_BYTES):
                scan.feed(part)
                size += len(part)
                if parts is not None and (
                    size > INFLATED_BYTES
                    or _holds(part, HEXADECIMAL, (b"x", b"X"))
                    or HEXADECIMAL.search(tail + part[:1])
                ):
                    parts = None
                if parts is not None:
                    parts.append(part)
                tail = part[-1:]
                if progress is not None:
                    progress(min(handle.tell(), total), total)
    except COMPRESSED_ERRORS:
        return None
    scan.finish()
    return parts


class _Parts(io.RawIOBase):
    """Chunks of text read as one file, each let go once it has been read."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        self.parts.reverse()
        self.at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        done = 0
        while done < len(view) and self.parts:
            part = self.parts[-1]
            piece = part[self.at : self.at + len(view) - done]
            view[done : done + len(piece)] = piece
            done += len(piece)
            self.at += len(piece)
            if self.at == len(part):
                self.parts.pop()
                self.at = 0
        return done


class _Told(io.RawIOBase):
    """A file that tells `progress` how far it has been read."""

    def __init__(self, handle: Any, total: int, progress: Progress | None) -> None:
        self.handle, self.total, self.progress = handle, total, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        done: int = self.handle.readinto(buffer)
        if self.progress is not None and done:
            self.progress(min(self.handle.tell(), self.total), self.total)
        return done
