"""The bundled tables of the kz-1999 scenario, read from the package's `data/` folder.

Published (unchanged copies of data/kz-1999, sources in docs/kz-1999-law.md):
parties.csv, published_seats.csv, national_totals.csv, calendar.csv, chamber.csv.
Generated assumptions, every row saying so: territories.csv, districts.csv.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources

from saylau.registry.model import (
    NAME_LANGUAGES,
    Names,
    PartyKind,
    TerritoryKind,
    utc_offset_minutes,
)

PACKAGE = "saylau.scenarios.kz_1999"

PARTY_KINDS: dict[str, PartyKind] = {
    "party": "party",
    "public_association": "public_association",
    "independent": "independent",
}
TERRITORY_KINDS: dict[str, TerritoryKind] = {
    "oblast": "oblast",
    "city": "city",
    "capital": "capital",
}


@dataclass(frozen=True)
class PartyRow:
    """A row of parties.csv: `list_votes` None for those who filed no list."""

    party_id: str
    name: str
    kind: PartyKind
    list_votes: int | None
    seats_1995: int | None
    note: str
    leader: str | None = None
    leader_since: str | None = None
    short_name: str | None = None
    colour: str | None = None
    source: str = ""
    names: Names = ()


@dataclass(frozen=True)
class SeatRow:
    """A row of published_seats.csv: the Majilis after all rounds."""

    party_id: str
    district_seats: int
    list_seats: int
    total_seats: int
    seat_change: int


@dataclass(frozen=True)
class TotalRow:
    """A row of national_totals.csv: a figure as written, its source and note."""

    figure: str
    value: str
    source: str
    note: str


@dataclass(frozen=True)
class TerritoryRow:
    """A row of territories.csv (generated): `turnout_target` None where chosen to fit."""

    territory_id: str
    name: str
    kind: TerritoryKind
    region: str
    weight: int
    turnout_target: Fraction | None
    names: Names = ()
    utc_offset: int | None = None


@dataclass(frozen=True)
class DistrictRow:
    """A row of districts.csv (generated): a district's id, name and territory."""

    district_id: str
    name: str
    territory_id: str
    names: Names = ()


def read_rows(name: str) -> list[dict[str, str]]:
    """One bundled CSV as rows of text."""
    text = resources.files(PACKAGE).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _names(row: dict[str, str]) -> Names:
    """The name_<language> cells of a row (Kazakh and Russian names), where given."""
    found = ((language, row.get(f"name_{language}") or "") for language in NAME_LANGUAGES)
    return tuple((language, name) for language, name in found if name)


def _count(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def parties() -> tuple[PartyRow, ...]:
    return tuple(
        PartyRow(
            r["party_id"],
            r["name"],
            PARTY_KINDS[r["kind"]],
            _count(r["list_votes"]),
            _count(r["seats_1995"]),
            r["note"],
            r["leader"] or None,
            r["leader_since"] or None,
            r["short_name"] or None,
            r["colour"] or None,
            r["source"],
            _names(r),
        )
        for r in read_rows("parties.csv")
    )


@cache
def published_seats() -> tuple[SeatRow, ...]:
    return tuple(
        SeatRow(
            r["party_id"],
            int(r["district_seats"]),
            int(r["list_seats"]),
            int(r["total_seats"]),
            int(r["seat_change"]),
        )
        for r in read_rows("published_seats.csv")
    )


@cache
def national_totals() -> tuple[TotalRow, ...]:
    return tuple(
        TotalRow(r["figure"], r["value"], r["source"], r["note"])
        for r in read_rows("national_totals.csv")
    )


def total(figure: str) -> int:
    """A whole-number figure of national_totals.csv."""
    for row in national_totals():
        if row.figure == figure:
            return int(row.value)
    raise KeyError(figure)


@cache
def calendar() -> tuple[tuple[str, str], ...]:
    """(date, event) rows of calendar.csv."""
    return tuple((r["date"], r["event"]) for r in read_rows("calendar.csv"))


@cache
def chamber_facts() -> dict[str, str]:
    return {r["key"]: r["value"] for r in read_rows("chamber.csv")}


@cache
def chamber_sources() -> dict[str, str]:
    """The source of each fact of chamber.csv."""
    return {r["key"]: r["source"] for r in read_rows("chamber.csv")}


@cache
def territories() -> tuple[TerritoryRow, ...]:
    return tuple(
        TerritoryRow(
            r["territory_id"],
            r["name"],
            TERRITORY_KINDS[r["kind"]],
            r["region"],
            int(r["weight"]),
            _percent(r["turnout_target"]),
            _names(r),
            utc_offset_minutes(r["utc_offset"]),
        )
        for r in read_rows("territories.csv")
    )


@cache
def districts() -> tuple[DistrictRow, ...]:
    return tuple(
        DistrictRow(r["district_id"], r["name"], r["territory_id"], _names(r))
        for r in read_rows("districts.csv")
    )


def _percent(text: str) -> Fraction | None:
    text = text.strip()
    if not text:
        return None
    return Fraction(int(text.removesuffix("%")), 100)
