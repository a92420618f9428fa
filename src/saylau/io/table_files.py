"""Small CSV tables of an election directory: read with errors that name file, row and field."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from saylau.errors import InputError
from saylau.io.bounded import records, table_where
from saylau.io.files import CONTROL, nfc, shown
from saylau.limits import MAX_CELL_CHARS, MAX_COUNT

WHOLE = re.compile(r"^[0-9]+$")
"""A whole number of at least 0 as written in a file: digits only."""

Row = tuple[int, dict[str, str]]
"""A data row with its line number in the file (the header is line 1)."""


def read_rows(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """Every row of a UTF-8 CSV file (a byte-order mark is allowed), read line by line within
    the limits (saylau.io.bounded). A missing required column, an unknown or repeated column,
    a row with more cells than columns, a cell over MAX_CELL_CHARS, a control character in a
    cell (but a line break or tab in free text) and a file over MAX_ROWS rows are refused,
    naming the line and field. Headers and cells are read in Unicode NFC, the form ids are
    compared in."""
    rows: list[Row] = []
    header: list[str] = []
    for line, record in records(path, table_where(str(path))):
        if not header:
            header = [nfc(name.strip()) for name in record]
            check_header(path, header, required, optional)
            continue
        if len(record) > len(header):
            raise InputError(f"{path}: line {line}: more cells than columns")
        values = dict.fromkeys(header, "")
        for name, value in zip(header, record, strict=False):
            if len(value) > MAX_CELL_CHARS:
                raise InputError(
                    f"{path}: line {line}: field {name}: {len(value):,} characters, more "
                    f"than the limit of {MAX_CELL_CHARS:,} (MAX_CELL_CHARS)"
                )
            text = nfc(value.strip())
            if CONTROL.search(text) and (name not in FREE_TEXT or FREE_CONTROL.search(text)):
                raise InputError(
                    f"{path}: line {line}: field {name}: '{shown(text)}' holds a control character"
                )
            values[name] = text
        rows.append((line, values))
    if not header:
        check_header(path, header, required, optional)
    return rows


FREE_TEXT = frozenset({"text", "reason", "reference"})
"""Columns of free text, which may hold a line break or a tab."""
FREE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""The control characters even free text may not hold: all but tab and line breaks."""


def check_header(
    path: Path, header: Sequence[str], required: Sequence[str], optional: Sequence[str]
) -> None:
    """Every required column, each once, and no column but the required and optional."""
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    twice = sorted(name for name, n in Counter(header).items() if n > 1)
    if twice:
        raise InputError(f"{path}: line 1: field {shown(twice[0])}: the column appears twice")
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        raise InputError(
            f"{path}: line 1: unknown column(s) {', '.join(map(shown, unknown))}; "
            f"expected {', '.join([*required, *optional])}"
        )


def cell(path: Path, row: Row, field: str) -> str:
    """A required text cell; empty is refused."""
    value = row[1].get(field, "")
    if not value:
        raise InputError(f"{path}: line {row[0]}: field {field}: must not be empty")
    return value


def optional_cell(row: Row, field: str) -> str | None:
    return row[1].get(field) or None


def whole(path: Path, row: Row, field: str, *, required: bool = True) -> int | None:
    """A whole number of at least 0 (or None when empty and not required)."""
    text = row[1].get(field, "")
    if not text:
        if required:
            raise InputError(f"{path}: line {row[0]}: field {field}: must not be empty")
        return None
    return parse_whole(text, f"{path}: line {row[0]}: field {field}")


def parse_whole(text: str, where: str) -> int:
    """A cell that must be a whole number of at least 0; `where` names file, row and field."""
    value = text.strip()
    if not value:
        raise InputError(f"{where}: empty; a whole number is needed")
    if value.startswith("-") and WHOLE.match(value[1:]):
        raise InputError(f"{where}: {value} is negative")
    if not WHOLE.match(value):
        raise InputError(
            f"{where}: '{shown(value)}' is not a whole number (digits only, no separators or "
            f"decimals)"
        )
    if len(value.lstrip("0")) > len(str(MAX_COUNT)) or int(value) > MAX_COUNT:
        raise InputError(f"{where}: {value} is more than the limit of {MAX_COUNT:,}")
    return int(value)


def unique(path: Path, rows: Iterable[Row], field: str) -> None:
    """No id appears twice in a file. Ids are compared in Unicode NFC, as they are read: two
    that differ only in their normal form (an accent as one character or two) are the same."""
    seen: dict[str, int] = {}
    for line, values in rows:
        key = values.get(field, "")
        if key in seen:
            same = "" if key.isascii() else " (the same text in Unicode normal form NFC)"
            raise InputError(
                f"{path}: line {line}: field {field}: {key!r} already on line {seen[key]}{same}"
            )
        seen[key] = line


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> None:
    """A CSV file with a header; None is written as an empty cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
