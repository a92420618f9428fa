"""Reading list votes from CSV: `party,votes`, optionally `kind`, `registration_order` and
`members` (a coalition's number of member parties, where its threshold grows with them).

Every error names the file, the row (as the line number a spreadsheet shows) and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from saylau.errors import InputError
from saylau.io.bounded import records
from saylau.io.files import CONTROL, nfc, shown
from saylau.io.table_files import parse_whole
from saylau.limits import MAX_CELL_CHARS, MAX_ENTRIES
from saylau.rules.allocation import ListEntry, ListKind, PartyId

REQUIRED = ("party", "votes")
OPTIONAL = ("kind", "registration_order", "members")


def read_votes_csv(path: Path) -> list[ListEntry]:
    """Read a votes file; nothing is dropped, and any bad row stops the whole read. The file
    is read line by line within the limits (saylau.io.bounded): a regular file only, a cell
    of at most MAX_CELL_CHARS characters."""
    origin = str(path)
    return parse_votes_csv(records(path, lambda line, field: _where(origin, line, field)), origin)


def _where(origin: str, line: int, field: str | None) -> str:
    return f"{origin}: row {line}" + (f", field {shown(field)}" if field is not None else "")


def parse_votes_csv(rows: Iterable[tuple[int, list[str]]], origin: str) -> list[ListEntry]:
    """The entries of a votes file's records, each with its line number."""
    found = iter(rows)
    first = next(found, None)
    header = [nfc(name.strip()) for name in first[1]] if first is not None else []
    if not header:
        raise InputError(f"{origin}: the file is empty; expected the columns party,votes")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(
            f"{origin}: row 1: missing column {', '.join(missing)} "
            f"(the columns are party, votes and optionally kind, registration_order, members)"
        )
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(f"{origin}: row 1: unknown column {', '.join(map(shown, unknown))}")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise InputError(f"{origin}: row 1, field {twice[0]}: the column appears twice")
    entries: list[ListEntry] = []
    first_row: dict[str, int] = {}
    order_row: dict[int, int] = {}
    for line, record in found:
        if len(entries) == MAX_ENTRIES:
            raise InputError(
                f"{origin}: row {line}: more than {MAX_ENTRIES:,} lists, the limit of a ballot"
            )
        if len(record) != len(header):
            raise InputError(f"{origin}: row {line}: expected {len(header)} fields")
        row = dict(zip(header, record, strict=True))
        for name, value in row.items():
            if len(value.strip()) > MAX_CELL_CHARS:
                raise InputError(
                    f"{_where(origin, line, name)}: {len(value.strip()):,} characters, more "
                    f"than the limit of {MAX_CELL_CHARS:,} (MAX_CELL_CHARS)"
                )
            if CONTROL.search(value):
                raise InputError(
                    f"{_where(origin, line, name)}: '{shown(value.strip())}' holds a control "
                    f"character"
                )
        party = nfc(row["party"].strip())
        if not party:
            raise InputError(f"{origin}: row {line}, field party: the party is empty")
        if party in first_row:
            raise InputError(
                f"{origin}: row {line}, field party: '{party}' already appears on row "
                f"{first_row[party]}; each party has one row"
            )
        first_row[party] = line
        votes = _whole(row["votes"], origin, line, "votes")
        kind = _kind(row.get("kind", ""), origin, line)
        order = None
        if row.get("registration_order", "").strip():
            order = _whole(row["registration_order"], origin, line, "registration_order")
            if order in order_row:
                raise InputError(
                    f"{origin}: row {line}, field registration_order: {order} is already "
                    f"used on row {order_row[order]}"
                )
            order_row[order] = line
        members = None
        if row.get("members", "").strip():
            if kind != "coalition":
                raise InputError(
                    f"{origin}: row {line}, field members: only a coalition has members"
                )
            members = _whole(row["members"], origin, line, "members")
        entries.append(ListEntry(PartyId(party), votes, kind, order, members))
    if not entries:
        raise InputError(f"{origin}: no rows after the header")
    return entries


def _whole(text: str, origin: str, line: int, field: str) -> int:
    return parse_whole(text, f"{origin}: row {line}, field {field}")


def _kind(text: str, origin: str, line: int) -> ListKind:
    value = text.strip() or "party"
    if value == "party":
        return "party"
    if value == "coalition":
        return "coalition"
    raise InputError(
        f"{origin}: row {line}, field kind: '{shown(value)}' is neither 'party' nor 'coalition'"
    )
