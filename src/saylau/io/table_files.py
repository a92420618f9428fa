"""Small CSV tables of an election directory: read with errors that name file, row and field."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from saylau.errors import InputError
from saylau.io.files import read_text
from saylau.limits import MAX_CELL_CHARS, MAX_COUNT, MAX_ROWS

WHOLE = re.compile(r"^[0-9]+$")
"""A whole number of at least 0 as written in a file: digits only."""

Row = tuple[int, dict[str, str]]
"""A data row with its line number in the file (the header is line 1)."""


def read_rows(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """Every row of a UTF-8 CSV file (a byte-order mark is allowed). A missing required
    column, an unknown or repeated column, a row with more cells than columns, a cell over
    MAX_CELL_CHARS and a file over MAX_ROWS rows are refused, naming the line and field."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        check_header(path, header, required, optional)
        rows: list[Row] = []
        for record in reader:
            if not record:
                continue
            line = reader.line_num
            if len(record) > len(header):
                raise InputError(f"{path}: line {line}: more cells than columns")
            for name, value in zip(header, record, strict=False):
                if len(value) > MAX_CELL_CHARS:
                    raise InputError(
                        f"{path}: line {line}: field {name}: {len(value):,} characters, more "
                        f"than the limit of {MAX_CELL_CHARS:,}"
                    )
            if len(rows) == MAX_ROWS:
                raise InputError(f"{path}: line {line}: more than {MAX_ROWS:,} rows")
            values = dict.fromkeys(header, "")
            values.update(
                {name: value.strip() for name, value in zip(header, record, strict=False)}
            )
            rows.append((line, values))
        return rows
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: not valid CSV: {exc}") from None


def check_header(
    path: Path, header: Sequence[str], required: Sequence[str], optional: Sequence[str]
) -> None:
    """Every required column, each once, and no column but the required and optional."""
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    twice = sorted(name for name, n in Counter(header).items() if n > 1)
    if twice:
        raise InputError(f"{path}: line 1: field {twice[0]}: the column appears twice")
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        raise InputError(
            f"{path}: line 1: unknown column(s) {', '.join(unknown)}; "
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
            f"{where}: '{value}' is not a whole number (digits only, no separators or decimals)"
        )
    if len(value.lstrip("0")) > len(str(MAX_COUNT)) or int(value) > MAX_COUNT:
        raise InputError(f"{where}: {value} is more than the limit of {MAX_COUNT:,}")
    return int(value)


def unique(path: Path, rows: Iterable[Row], field: str) -> None:
    """No id appears twice in a file."""
    seen: dict[str, int] = {}
    for line, values in rows:
        key = values.get(field, "")
        if key in seen:
            raise InputError(
                f"{path}: line {line}: field {field}: {key!r} already on line {seen[key]}"
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
