"""The registry's plain values: parties and lists, candidates, territories, districts, stations.

Names follow the 1999 law (docs/kz-1999-law.md): parties file ranked lists of up to 10
[V S6]; district candidates are nominated by a party, a public association or themselves
[V]; the maslikhats or the candidates themselves nominate senators [V seed].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

PartyKind = Literal["party", "public_association", "independent", "coalition"]
TerritoryKind = Literal["oblast", "city", "capital", "area"]
Tier = Literal["list", "district", "new_voting", "repeat_election", "college"]
CommissionLevel = Literal["central", "territorial", "district", "precinct"]

SELF: Final = "self"
"""The nominator of a self-nominated candidate."""

INDEPENDENT: Final = "independent"
"""The party id under which self-nominated winners are counted, as in published tables."""

NAME_LANGUAGES: Final = ("kk", "ru", "en")
"""The languages a party, candidate, territory or district may also be named in (columns
name_kk, name_ru, name_en of the election directory), for the pages and the report."""

Names = tuple[tuple[str, str], ...]
"""A name in other languages: (language, name) pairs, in NAME_LANGUAGES order."""


class Named:
    """A value with a `name` and, optionally, `names` in other languages."""

    name: str
    names: Names

    def name_in(self, language: str) -> str:
        """The name in `language` where the data give one, else the name there is."""
        return dict(self.names).get(language, self.name)


@dataclass(frozen=True)
class Party(Named):
    """A party, a public association, or a coalition of parties (`members`, their party
    ids); `registration_order` settles remainder ties [L S23]."""

    party_id: str
    name: str
    kind: PartyKind = "party"
    registration_order: int | None = None
    colour: str | None = None
    seats_before: int | None = None
    members: tuple[str, ...] = ()
    names: Names = ()


@dataclass(frozen=True)
class ListCandidate:
    """A candidate on a party list, in list order (`rank` 1 first)."""

    party_id: str
    rank: int
    name: str


@dataclass(frozen=True)
class Territory(Named):
    """An oblast, a city of republican status, or the capital: a territorial commission.
    `utc_offset`: its local time, in minutes ahead of UTC (None where not given)."""

    territory_id: str
    name: str
    kind: TerritoryKind = "oblast"
    names: Names = ()
    utc_offset: int | None = None


@dataclass(frozen=True)
class District(Named):
    """A single-member district inside one territory: a district commission."""

    district_id: str
    name: str
    territory_id: str
    names: Names = ()


@dataclass(frozen=True)
class Station:
    """A polling station: a precinct commission, in one district and territory."""

    station_id: str
    district_id: str
    territory_id: str


@dataclass(frozen=True)
class Contest:
    """One ballot: a list constituency, a district, a new voting in a district, or a college.

    A new voting is its own contest that `replaces` the invalidated one [V seed, S8]; a
    repeat election one that `replaces` a district whose voting failed
    (`district_tier.failed`).
    """

    contest_id: str
    chamber: str
    tier: Tier
    district_id: str | None = None
    territory_id: str | None = None
    replaces: str | None = None


@dataclass(frozen=True)
class Candidate(Named):
    """A candidate in one contest; `nominator` is a party id, or `self`. A coalition's
    candidate may name the `member` party that nominated them, for which a seat counts."""

    candidate_id: str
    contest_id: str
    name: str
    nominator: str = SELF
    member: str | None = None
    names: Names = ()

    @property
    def party_id(self) -> str:
        """The party a seat is counted for: the coalition's member that nominated the
        candidate, else the nominator, or `independent`."""
        if self.member is not None:
            return self.member
        return INDEPENDENT if self.nominator == SELF else self.nominator


@dataclass(frozen=True)
class Commission:
    """An election commission; the hierarchy mirrors the levels of tabulation."""

    commission_id: str
    level: CommissionLevel
    area_id: str
    parent_id: str | None


UTC_OFFSET = re.compile(r"^([+-])([0-9]{2}):([0-9]{2})$")
"""A local time's offset from UTC as written: +05:00, -03:30."""

UTC_OFFSETS = (-12 * 60, 14 * 60)
"""The offsets any place on Earth keeps, in minutes (UTC-12:00 to UTC+14:00)."""


def utc_offset_minutes(text: str) -> int | None:
    """An offset written +HH:MM or -HH:MM as minutes ahead of UTC; None if it is not one."""
    found = UTC_OFFSET.match(text.strip())
    if found is None or int(found.group(3)) >= 60:
        return None
    minutes = int(found.group(2)) * 60 + int(found.group(3))
    minutes = -minutes if found.group(1) == "-" else minutes
    return minutes if UTC_OFFSETS[0] <= minutes <= UTC_OFFSETS[1] else None


def utc_offset_text(minutes: int) -> str:
    """Minutes ahead of UTC written as an offset: 300 -> "+05:00", -210 -> "-03:30"."""
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
