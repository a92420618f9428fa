"""Plausibility: a protocol's figures held to what a station's list can hold.

The law's control relations hold a protocol's lines to one another, so a protocol 400,000
times too large, balanced, keeps every one of them. The service configuration of a loaded
election (`saylau load --station-voters N --margin M --implausible reject|flag`, kept in the
`election` row, migration 0004) states the most voters a station's list holds; no figure of
a protocol (a line, an entry's votes) may exceed that count times the margin. Beyond it, a
protocol is rejected (`reject`, the default), or counted and flagged for review (`flag`),
as a law's control relation of that severity would be. Without the setting, only the
law's relations apply, as before.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from saylau.service import steps
from saylau.service.db import canonical
from saylau.service.election import Loaded, served
from saylau.service.errors import Invalid

Severity = Literal["reject", "flag"]
SEVERITIES: tuple[Severity, ...] = ("reject", "flag")


@dataclass(frozen=True)
class Plausibility:
    """The most voters a station's list holds, the margin over it, and what a protocol
    beyond it is: rejected, or counted and flagged."""

    station_voters: int
    margin: float = 1.0
    severity: Severity = "reject"

    def __post_init__(self) -> None:
        if not 1 <= self.station_voters <= 10**9:
            raise Invalid(f"station voters is {self.station_voters}: between 1 and 10^9")
        if not 1.0 <= self.margin <= 10.0:
            raise Invalid(f"the margin is {self.margin}: between 1 and 10 times")
        if self.severity not in SEVERITIES:
            raise Invalid(f"implausible is {self.severity!r}: reject or flag")

    @property
    def most(self) -> int:
        """The largest figure a protocol may give."""
        return math.floor(self.station_voters * self.margin)

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
        return cls(int(found["station_voters"]), float(found["margin"]), found["severity"])

    def errors(self, data: dict[str, Any]) -> list[dict[str, str]]:
        """A violation for each figure beyond `most`, in the form of the law's."""
        found = []
        for part in ("lines", "votes"):
            for name, value in data[part].items():
                if value > self.most:
                    found.append(
                        {
                            "code": "implausible",
                            "severity": self.severity,
                            "line": name,
                            "message": (
                                f"{name} is {value:,}, more than a station's list holds: "
                                f"{self.station_voters:,} voters times the margin "
                                f"{self.margin:g} is {self.most:,} (saylau load "
                                "--station-voters)"
                            ),
                        }
                    )
        return found


def of(session: Session) -> Plausibility | None:
    """The loaded election's plausibility setting, if it has one."""
    return Plausibility.read(served(session).plausibility)


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
    bound = of(session)
    found = [] if bound is None else bound.errors(data)
    if not found:
        return status, errors
    if any(error["severity"] == "reject" for error in found):
        status = "rejected"
    return status, canonical([*json.loads(errors), *found])
