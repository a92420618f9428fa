"""Plausibility: a protocol's figures held to the voters on its station's list.

The law's control relations hold a protocol's lines to one another, so a protocol 400,000
times too large, balanced, keeps every one of them. The service configuration of a loaded
election (`saylau load`, kept in the `election` row and the `station_voters` table,
migration 0004) states how many voters a station's list holds: each station's own count from
the registry of voters (`--voters-file`, a CSV of station_id and voters), and, for a station
without one, one count for all (`--station-voters N`). No figure of a protocol (a line, an
entry's votes) may exceed that count times the margin (`--margin`, 1 to 10 times). Beyond
it a protocol is rejected (`--implausible reject`, the default), or counted and flagged
for review (`flag`), as a law's control relation of that severity would be.

With no file and no setting, a check still holds by default: no figure of a station's
protocol may exceed the registered voters of the whole nation, as the election's registry
states them (its published figure `<chamber>.registered`, else `registered_voters`; for
1999, 8,411,757), times the margin (by default 1: rejected). A station's list is a part of
the nation's, so a figure beyond it is impossible; a balanced protocol 400,000 times too
large is refused without any extra file. Where a station's own count or `--station-voters`
is smaller, the smallest applies.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.errors import InputError
from saylau.service import steps
from saylau.service.db import canonical
from saylau.service.election import PLACES, Loaded, served
from saylau.service.errors import Invalid
from saylau.service.models import StationVoters

Severity = Literal["reject", "flag"]
SEVERITIES: tuple[Severity, ...] = ("reject", "flag")
MOST_VOTERS = 10**9
"""The most voters one station's list may be said to hold."""


@dataclass(frozen=True)
class Plausibility:
    """How many voters a station's list holds where the registry of voters gives no count
    of its own (None: only stations with one are checked), the margin over it, and what a
    protocol beyond it is: rejected, or counted and flagged."""

    station_voters: int | None = None
    margin: float = 1.0
    severity: Severity = "reject"

    def __post_init__(self) -> None:
        if self.station_voters is not None and not 1 <= self.station_voters <= MOST_VOTERS:
            raise Invalid(f"station voters is {self.station_voters}: between 1 and 10^9")
        if not 1.0 <= self.margin <= 10.0:
            raise Invalid(f"the margin is {self.margin}: between 1 and 10 times")
        if self.severity not in SEVERITIES:
            raise Invalid(f"implausible is {self.severity!r}: reject or flag")

    def text(self) -> str:
        return canonical(
            {
                "station_voters": self.station_voters,
                "margin": self.margin,
                "severity": self.severity,
            }
        )

    @classmethod
    def read(cls, text: str | None) -> Plausibility | None:
        if not text:
            return None
        found: dict[str, Any] = json.loads(text)
        voters = found["station_voters"]
        return cls(
            None if voters is None else int(voters), float(found["margin"]), found["severity"]
        )

    def errors(
        self,
        station_id: str,
        data: dict[str, Any],
        own: int | None,
        nation: tuple[int, str] | None = None,
    ) -> list[dict[str, str]]:
        """A violation for each figure beyond the station's voters (its own count `own`,
        else the one for all, or the nation's registered voters `nation`, with the name of
        the figure that states them, if that is fewer) times the margin, in the form of the
        law's."""
        bounds = []
        if own is not None:
            bounds.append(
                (own, f"station {station_id}'s list holds {own:,} voters (the registry of voters)")
            )
        elif self.station_voters is not None:
            said = f"a station's list holds at most {self.station_voters:,} voters"
            bounds.append((self.station_voters, f"{said} (saylau load --station-voters)"))
        if nation is not None:
            count, figure = nation
            bounds.append(
                (count, f"the nation's registry holds {count:,} registered voters ({figure})")
            )
        if not bounds:
            return []
        voters, whose = min(bounds)
        most = math.floor(voters * self.margin)
        found = []
        for part in ("lines", "votes"):
            for name, value in data[part].items():
                if value > most:
                    found.append(
                        {
                            "code": "implausible",
                            "severity": self.severity,
                            "line": name,
                            "message": (
                                f"{name} is {value:,}, beyond what the list holds: {whose}, "
                                f"times the margin {self.margin:g} is {most:,}"
                            ),
                        }
                    )
        return found


def of(session: Session) -> Plausibility | None:
    """The loaded election's plausibility setting, if it has one."""
    return Plausibility.read(served(session).plausibility)


DEFAULT = Plausibility()
"""Without a setting: the nation's registered voters, margin 1, beyond it rejected."""

NATION_FIGURES = ("{chamber}.registered", "registered_voters")
"""The published figures that state the nation's registered voters, the first found."""


def nation_voters(election: Loaded, contest_id: str) -> tuple[int, str] | None:
    """The registered voters of the whole nation, as the election's registry states them
    for the contest's chamber, and the figure's name; None if it states none."""
    figures = election.inputs.published.figures
    chamber = election.contest(contest_id).chamber
    for pattern in NATION_FIGURES:
        name = pattern.format(chamber=chamber)
        value = figures.get(name)
        if value is not None and value > 0:
            return int(value), name
    return None


def own_voters(session: Session, station_id: str) -> int | None:
    """The station's own voters on the list, if the registry of voters gave them: read
    whole once per process where there are no more than PLACES, else asked each time."""
    kept = served(session)
    if kept.voters is None:
        count = session.scalar(select(func.count()).select_from(StationVoters)) or 0
        if count > PLACES:
            return session.scalar(
                select(StationVoters.voters).where(StationVoters.station_id == station_id)
            )
        rows = session.execute(select(StationVoters.station_id, StationVoters.voters))
        kept.voters = {str(station): int(voters) for station, voters in rows}
    return kept.voters.get(station_id)


def checked(
    session: Session,
    election: Loaded,
    row_key: tuple[str, str, int],
    data: dict[str, Any],
    version: int,
) -> tuple[str, str]:
    """(status, errors) of a protocol: the law's control relations (`steps.checked`), then
    plausibility, if the election states it."""
    status, errors = steps.checked(election, row_key, data, version)
    bound = of(session) or DEFAULT
    station_id, contest_id = row_key[0], row_key[1]
    nation = nation_voters(election, contest_id)
    own = own_voters(session, station_id)
    found = bound.errors(station_id, data, own, nation)
    if not found:
        return status, errors
    if any(error["severity"] == "reject" for error in found):
        status = "rejected"
    return status, canonical([*json.loads(errors), *found])


def voters_problems(voters: Mapping[str, int], known: set[str]) -> list[str]:
    """What is wrong with a registry of voters: an unknown station, a count out of range."""
    found = [f"station {s} is not in the registry" for s in sorted(set(voters) - known)]
    found += [
        f"station {s}: {n} voters is not between 0 and 10^9"
        for s, n in sorted(voters.items())
        if not 0 <= n <= MOST_VOTERS
    ]
    return found


def read_voters(path: Path) -> dict[str, int]:
    """A registry of voters: a CSV file of `station_id` and `voters`, one station a row."""
    found: dict[str, int] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or {"station_id", "voters"} - set(reader.fieldnames):
                raise InputError(f"{path}: the header names station_id and voters")
            for number, row in enumerate(reader, start=2):
                station, text = (row["station_id"] or "").strip(), (row["voters"] or "").strip()
                if not text.isascii() or not text.isdigit():
                    raise InputError(f"{path}, line {number}: voters {text!r} is not a count")
                if station in found:
                    raise InputError(f"{path}, line {number}: station {station} twice")
                found[station] = int(text)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: {exc}") from None
    return found
