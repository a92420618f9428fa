"""Reading a CSV file within the limits, before memory is spent on it.

A file is read in chunks of SCAN_BYTES (inflated first, for a gzip); as each arrives its
lines are counted and measured, so that a file past a limit is refused after at most the
limit's worth of reading, never after it has been held whole:

- its text past MAX_TEXT_BYTES (a gzip that inflates to gigabytes),
- more lines than MAX_ROWS after the header (blank lines count: a file of blank lines is
  refused like a file of rows),
- more cells than MAX_CELLS (lines times the header's columns),
- a line longer than MAX_LINE_BYTES: it can only hold a cell past MAX_CELL_CHARS, or more
  than MAX_COLUMNS cells.

A chunk is shorter than MAX_LINE_BYTES, so a line that long spans chunks, and only the
bytes since the last line break need counting. A line ends in LF (or CRLF); in a file with no
LF in its first chunk but a CR, in CR. `records` reads a small CSV file (the
registry, a votes file) record by record under the same limits.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Final

from saylau.errors import InputError
from saylau.io.files import COMPRESSED_ERRORS, first_bad_utf8_line, regular_file, shown
from saylau.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    MAX_ROWS,
    MAX_TEXT_BYTES,
)

SCAN_BYTES: Final = 1 << 20
"""Bytes scanned at a time; fewer than MAX_LINE_BYTES."""
assert SCAN_BYTES < MAX_LINE_BYTES

Where = Callable[[int, str | None], str]
"""The words that name a line (and a field, when known) in a message: `file: row 3, field x`."""


def protocol_where(origin: str) -> Where:
    """`file: row N, field F`, as protocol files name a place."""
    return lambda line, field: (
        f"{origin}: row {line}" + (f", field {shown(field)}" if field is not None else "")
    )


def table_where(origin: str) -> Where:
    """`file: line N: field F`, as the registry's files name a place."""
    return lambda line, field: (
        f"{origin}: line {line}" + (f": field {shown(field)}" if field is not None else "")
    )


class LineScan:
    """Counts and measures the lines of a CSV file's bytes as they are fed in chunks;
    raises InputError naming the file, the line and the limit as soon as one is passed."""

    def __init__(self, where: Where, header: Sequence[str] = ()) -> None:
        self.where = where
        self.header = list(header)
        self.size = 0
        self.breaks = 0
        self.since = 0
        self.commas = 0
        self.end: bytes | None = None
        """The byte that ends a line: LF, or CR in a file whose lines end in CR alone."""

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_TEXT_BYTES:
            raise InputError(
                f"{self.where(self.breaks + 1, None)}: more than {MAX_TEXT_BYTES:,} bytes of "
                f"text, the limit (MAX_TEXT_BYTES)"
            )
        if self.end is None:
            self.end = b"\n" if b"\n" in chunk else b"\r" if b"\r" in chunk else None
        end = self.end or b"\n"
        last = chunk.rfind(end)
        first = chunk.find(end) if last >= 0 else len(chunk)
        if self.since + first > MAX_LINE_BYTES:
            self.commas += chunk.count(b",", 0, MAX_LINE_BYTES - self.since + 1)
            self._long_line()
        if last < 0:
            self.since += len(chunk)
            self.commas += chunk.count(b",")
        else:
            self.breaks += chunk.count(end)
            self.since = len(chunk) - last - 1
            self.commas = chunk.count(b",", last + 1)
            self._count()

    def finish(self) -> int:
        """The number of lines, the header's included."""
        lines = self.breaks + (1 if self.since else 0)
        if self.since:
            self.breaks += 1
            self._count()
        return lines

    def _count(self) -> None:
        rows = self.breaks - 1
        if rows > MAX_ROWS:
            raise InputError(
                f"{self.where(MAX_ROWS + 2, None)}: more than {MAX_ROWS:,} rows, blank lines "
                f"counted, the limit (MAX_ROWS)"
            )
        if self.header and rows * len(self.header) > MAX_CELLS:
            raise InputError(
                f"{self.where(self.breaks, None)}: {rows:,} rows of {len(self.header):,} columns "
                f"are more than {MAX_CELLS:,} cells, the limit (MAX_CELLS)"
            )

    def _long_line(self) -> None:
        line = self.breaks + 1
        if self.commas >= MAX_COLUMNS:
            raise InputError(
                f"{self.where(line, None)}: more than {MAX_COLUMNS:,} cells, the limit "
                f"(MAX_COLUMNS)"
            )
        field = self.header[self.commas] if self.commas < len(self.header) else None
        raise InputError(
            f"{self.where(line, field)}: more than {MAX_CELL_CHARS:,} characters in a cell, "
            f"the limit (MAX_CELL_CHARS): the line runs past {MAX_LINE_BYTES:,} bytes"
        )


def scan_file(path: Path, gzipped: bool, scan: LineScan) -> int:
    """Scan a whole (gzipped) file; the number of its lines."""
    try:
        with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
            while chunk := handle.read(SCAN_BYTES):
                scan.feed(chunk)
    except COMPRESSED_ERRORS as exc:
        raise InputError(f"{shown(path)}: not a gzip file, or cut short ({exc})") from None
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from None
    return scan.finish()


def records(path: Path, where: Where) -> Iterator[tuple[int, list[str]]]:
    """Each record of a UTF-8 CSV file (a byte-order mark is allowed; lines end in LF, CRLF
    or CR) with the number of its last line, blank lines skipped. The limits are held line
    by line: a line past MAX_LINE_BYTES characters, a line past MAX_ROWS (blank ones count),
    a cell past MAX_CELL_CHARS that the csv module could not take, and a byte that is not
    UTF-8 are refused naming the line (and the field, where it can be told)."""
    regular_file(path)
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            lines = _Lines(path, handle, where)
            reader = csv.reader(lines)
            try:
                for record in reader:
                    if record:
                        yield reader.line_num, record
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise InputError(
                        f"{where(reader.line_num, None)}: more than {MAX_CELL_CHARS:,} "
                        f"characters in a cell, the limit (MAX_CELL_CHARS)"
                    ) from None
                raise InputError(
                    f"{where(reader.line_num, None)}: not valid CSV: {shown(exc)}"
                ) from None
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from None


class _Lines:
    """The lines of an open text file, each checked against the limits as it is read."""

    def __init__(self, path: Path, handle: IO[str], where: Where) -> None:
        self.path = path
        self.handle = handle
        self.where = where
        self.names: list[str] = []

    def __iter__(self) -> Iterator[str]:
        number = 0
        while text := self._line(number + 1):
            number += 1
            if len(text) > MAX_LINE_BYTES:
                raise InputError(
                    f"{self.where(number, None)}: more than {MAX_CELL_CHARS:,} characters in "
                    f"a cell, the limit (MAX_CELL_CHARS): the line runs past "
                    f"{MAX_LINE_BYTES:,} characters"
                )
            if number - 1 > MAX_ROWS:
                raise InputError(
                    f"{self.where(number, None)}: more than {MAX_ROWS:,} rows, blank lines "
                    f"counted, the limit (MAX_ROWS)"
                )
            if number == 1:
                self.names = [n.strip() for n in next(csv.reader([text]), [])]
            elif len(text) > MAX_CELL_CHARS and '"' not in text:
                self._cells(text, number)
            yield text

    def _line(self, number: int) -> str:
        try:
            return self.handle.readline(MAX_LINE_BYTES + 1)
        except UnicodeDecodeError as exc:
            line = first_bad_utf8_line(self.path, gzipped=False) or number
            raise InputError(
                f"{self.where(line, None)}: byte {exc.object[exc.start]:#04x} is not UTF-8 "
                f"text; save the file as UTF-8"
            ) from None

    def _cells(self, text: str, number: int) -> None:
        """A line of unquoted cells: the first cell past MAX_CELL_CHARS, by its column."""
        for index, value in enumerate(text.rstrip("\r\n").split(",")):
            if len(value.strip()) > MAX_CELL_CHARS:
                name = self.names[index] if index < len(self.names) else None
                raise InputError(
                    f"{self.where(number, name)}: {len(value.strip()):,} characters, more than "
                    f"the limit of {MAX_CELL_CHARS:,} (MAX_CELL_CHARS)"
                )


__all__ = ["SCAN_BYTES", "LineScan", "protocol_where", "records", "scan_file", "table_where"]
