"""Small CSV tables of an election directory: read with errors that name file, row and field."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from saylau.errors import InputError

WHOLE = re.compile(r"^[0-9]+$")
"""A whole number of at least 0 as written in a file: digits only."""

Row = tuple[int, dict[str, str]]
"""A data row with its line number in the file (the header is line 1)."""


def read_rows(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """Every row of a CSV file; a missing required column or an unknown column is refused."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
            unknown = [c for c in header if c not in required and c not in optional]
            if unknown:
                raise InputError(
                    f"{path}: line 1: unknown column(s) {', '.join(unknown)}; "
                    f"expected {', '.join([*required, *optional])}"
                )
            rows = []
            for row in reader:
                if None in row:
                    raise InputError(f"{path}: line {reader.line_num}: more cells than columns")
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
            return rows
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None


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
