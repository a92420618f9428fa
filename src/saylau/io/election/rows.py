"""The rows of the registry's small files as the registry's values: each cell checked, each
error naming the file, the line and the field (saylau.io.election.read lists the files)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from saylau.errors import InputError
from saylau.inputs import Invalidation, Note, PreferenceVotes, Resolution, Withdrawal
from saylau.io.files import shown
from saylau.io.table_files import Row, cell, optional_cell, whole
from saylau.registry.model import (
    NAME_LANGUAGES,
    Candidate,
    Contest,
    District,
    ListCandidate,
    Names,
    Party,
    Territory,
    utc_offset_minutes,
)

NAME_COLUMNS = tuple(f"name_{language}" for language in NAME_LANGUAGES)
"""Optional columns of parties, candidates, territories and districts: the name in each
language (a column for another language is refused as an unknown column)."""

CONTEST_ID_BYTES = 200
"""The most bytes of UTF-8 in a contest id: with ".r<round>.csv.gz" its file name stays
within the 255 bytes a file system allows."""


def choice(path: Path, row: Row, field: str, allowed: tuple[str, ...], default: str) -> str:
    value = optional_cell(row, field) or default
    if value not in allowed:
        raise InputError(
            f"{path}: line {row[0]}: field {field}: {value!r} is not one of {', '.join(allowed)}"
        )
    return value


NAMED = ("parties.csv", "candidates.csv", "territories.csv", "districts.csv")
"""The registry files whose rows may give a name in each language (NAME_COLUMNS)."""

Columns = Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]


def with_names(columns: Columns) -> Columns:
    """The columns of the directory's files, NAME_COLUMNS added to the optional columns of
    the NAMED files."""
    return {
        name: (required, (*optional, *NAME_COLUMNS) if name in NAMED else optional)
        for name, (required, optional) in columns.items()
    }


def names(row: Row) -> Names:
    """The row's names in other languages, from its name_<language> cells."""
    found = ((language, optional_cell(row, f"name_{language}")) for language in NAME_LANGUAGES)
    return tuple((language, name) for language, name in found if name)


def name_columns(value: Party | Territory | District | Candidate) -> dict[str, str]:
    """The name_<language> cells of a value, as written back."""
    return {f"name_{language}": name for language, name in value.names}


def party(path: Path, row: Row) -> Party:
    kinds = ("party", "public_association", "independent", "coalition")
    kind = choice(path, row, "kind", kinds, "party")
    members = tuple(m.strip() for m in (optional_cell(row, "members") or "").split(";"))
    return Party(
        cell(path, row, "party_id"),
        cell(path, row, "name"),
        cast(Any, kind),
        whole(path, row, "registration_order", required=False),
        optional_cell(row, "colour"),
        whole(path, row, "seats_before", required=False),
        tuple(m for m in members if m),
        names(row),
    )


def list_candidate(path: Path, row: Row) -> ListCandidate:
    return ListCandidate(
        cell(path, row, "party_id"), whole(path, row, "rank") or 0, cell(path, row, "name")
    )


def territory(path: Path, row: Row) -> Territory:
    kind = choice(path, row, "kind", ("oblast", "city", "capital", "area"), "oblast")
    return Territory(
        cell(path, row, "territory_id"),
        cell(path, row, "name"),
        cast(Any, kind),
        names(row),
        utc_offset(path, row),
    )


def utc_offset(path: Path, row: Row) -> int | None:
    """A territory's utc_offset cell (+HH:MM or -HH:MM) as minutes ahead of UTC; None where
    the cell is empty or the column left out."""
    value = optional_cell(row, "utc_offset")
    if value is None:
        return None
    minutes = utc_offset_minutes(value)
    if minutes is None:
        raise InputError(
            f"{path}: line {row[0]}: field utc_offset: {shown(value)!r} is not an offset from "
            "UTC written +HH:MM or -HH:MM (such as +05:00 or -03:30), from -12:00 to +14:00"
        )
    return minutes


def district(path: Path, row: Row) -> District:
    return District(
        cell(path, row, "district_id"),
        cell(path, row, "name"),
        cell(path, row, "territory_id"),
        names(row),
    )


def contest(path: Path, row: Row) -> Contest:
    tier = choice(
        path, row, "tier", ("list", "district", "new_voting", "repeat_election", "college"), ""
    )
    return Contest(
        contest_id(path, row, "contest_id"),
        cell(path, row, "chamber"),
        cast(Any, tier),
        optional_cell(row, "district_id"),
        optional_cell(row, "territory_id"),
        optional_cell(row, "replaces"),
    )


def contest_id(path: Path, row: Row, field: str) -> str:
    """A contest id: text a file name can hold (see the module docstring)."""
    value = cell(path, row, field)
    where = f"{path}: line {row[0]}: field {field}: {shown(value)!r}"
    if value.startswith("."):
        raise InputError(f"{where} starts with a dot; a contest id names its protocol files")
    if "/" in value or "\\" in value:
        raise InputError(f"{where} holds a slash; a contest id names its protocol files")
    size = len(value.encode("utf-8"))
    if size > CONTEST_ID_BYTES:
        raise InputError(
            f"{path}: line {row[0]}: field {field}: {size:,} bytes of UTF-8, more than the "
            f"{CONTEST_ID_BYTES} a contest id may have, since it names its protocol files"
        )
    return value


def candidate(path: Path, row: Row) -> Candidate:
    return Candidate(
        cell(path, row, "candidate_id"),
        cell(path, row, "contest_id"),
        cell(path, row, "name"),
        optional_cell(row, "nominator") or "self",
        optional_cell(row, "member"),
        names(row),
    )


def invalidation(path: Path, row: Row) -> Invalidation:
    return Invalidation(
        cell(path, row, "contest_id"),
        whole(path, row, "round") or 0,
        optional_cell(row, "reason") or "",
        cell(path, row, "new_contest_id"),
    )


def withdrawal(path: Path, row: Row) -> Withdrawal:
    return Withdrawal(
        cell(path, row, "contest_id"),
        cell(path, row, "candidate_id"),
        optional_cell(row, "reason") or "",
    )


def resolution(path: Path, row: Row) -> Resolution:
    method = choice(path, row, "method", ("lot", "commission_decision", "court_decision"), "")
    return Resolution(
        cell(path, row, "contest_id"),
        whole(path, row, "round") or 0,
        cell(path, row, "winner"),
        cast(Any, method),
        optional_cell(row, "reference") or "",
    )


def preference(path: Path, row: Row) -> PreferenceVotes:
    """A row of preference votes: a list candidate (party and rank) at a station, or for
    the whole constituency where station_id is left empty."""
    return PreferenceVotes(
        cell(path, row, "contest_id"),
        cell(path, row, "party_id"),
        whole(path, row, "rank") or 0,
        whole(path, row, "votes") or 0,
        optional_cell(row, "station_id"),
    )


def note(path: Path, row: Row) -> Note:
    kind = choice(
        path,
        row,
        "kind",
        ("conflict", "generated", "source", "assumption", "unused", "missing"),
        "",
    )
    return Note(cast(Any, kind), cell(path, row, "text"))
