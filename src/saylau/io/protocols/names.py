"""The names in a protocol file: its columns, checked, and its station ids, in Unicode NFC.

A column name or a station id is compared in Unicode NFC: two written apart that normalise
the same are one (a doubled column, a repeated station), and the error names both places. A
control character in a column name is refused; every name is shown escaped.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from saylau.errors import InputError
from saylau.io.files import CONTROL, decode, nfc, shown
from saylau.limits import MAX_CELL_CHARS, MAX_COLUMNS
from saylau.protocol.lines import LINES, REQUIRED_LINES, STATION

Where = Callable[[int], str]
"""Where the protocol at a position of the whole table is: `file: row N`."""


def normal_stations(table: pa.Table, where: Where) -> pa.Table:
    """The table with its station ids in Unicode NFC; two ids written apart that are the
    same in NFC are refused, naming both rows."""
    station = table.column(STATION)
    if not table.num_rows or pc.all(pc.string_is_ascii(station)).as_py():
        return table
    normal = pc.utf8_normalize(station, form="NFC")
    if pc.count_distinct(normal).as_py() < pc.count_distinct(station).as_py():
        first: dict[str, tuple[int, str]] = {}
        pairs = zip(station.to_pylist(), normal.to_pylist(), strict=True)
        for row, (raw, value) in enumerate(pairs):
            if value in first and first[value][1] != raw:
                earlier = where(first[value][0]).rpartition(": ")[2]
                raise InputError(
                    f"{where(row)}, field {STATION}: {shown(value)!r} is the station of "
                    f"{earlier} too, written apart but the same in Unicode normal form NFC"
                )
            first.setdefault(value, (row, raw))
    return table.set_column(0, STATION, normal)


def check_columns(
    origin: str, names: list[str], entries: Collection[str] | None, row: str
) -> list[str]:
    """The columns in protocol table order; a missing, doubled or unknown column is an error.
    `names` are in Unicode NFC: two written apart that normalise the same are doubled."""
    if not names or names == [""]:
        raise InputError(f"{origin}: the file is empty; expected the columns {STATION}, ...")
    if len(names) > MAX_COLUMNS:
        raise InputError(
            f"{origin}: {row}{len(names):,} columns, more than the limit of {MAX_COLUMNS:,} "
            f"(MAX_COLUMNS)"
        )
    counts = Counter(names)
    for place, name in enumerate(names, start=1):
        if not name:
            raise InputError(f"{origin}: {row}a column has no name")
        if len(name) > MAX_CELL_CHARS:
            raise InputError(
                f"{origin}: {row}a column name is longer than {MAX_CELL_CHARS:,} (MAX_CELL_CHARS)"
            )
        if CONTROL.search(name):
            raise InputError(
                f"{origin}: {row}column {place}: the name {shown(name)!r} holds a control character"
            )
        if counts[name] > 1:
            again = names.index(name, place) + 1
            same = "" if name.isascii() else ", the same in Unicode normal form NFC"
            raise InputError(
                f"{origin}: {row}field {shown(name)}: the column appears twice (columns "
                f"{place} and {again}{same})"
            )
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
                    f"{origin}: {row}field {shown(name)}: unknown column (not on the ballot of "
                    f"candidates.csv or lists.csv); a column is {STATION}, "
                    f"a line ({', '.join(LINES)}) or an entry on the ballot"
                )
    return lines + others


def csv_header(path: Path, gzipped: bool) -> list[str]:
    """The column names of a CSV file's first line, without surrounding spaces, in NFC."""
    with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
        line = handle.readline(MAX_COLUMNS * (MAX_CELL_CHARS + 3))
    try:
        text = decode(line, f"{path}")
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise InputError(f"{path}: row 1: cannot read the header: {shown(exc)}") from None
    return [nfc(name.strip()) for name in first]


__all__ = ["Where", "check_columns", "csv_header", "normal_stations"]
