"""The lines of a precinct protocol and the columnar layout that holds many of them.

The 1999 form itself was not found; the lines are those of docs/kz-1999-law.md
(typical of Kazakh and CIS protocols [I]): voters on the list, ballots received,
issued (of them outside the station), cancelled, found in the boxes, invalid, a line
per candidate or list, and against all.

A *protocol table* holds the protocols of one contest and round, one row per station:
the column `station_id`, then the line columns below, then one int64 column per entry
on the ballot (a candidate id or a party id), named by that id. A line that is not on
the form (no against-all line, no record of lost ballots) is a column left out, or a
null in a row.

Some forms (the Russian one) record ballots found that were not accounted for on receipt;
they enter the balance of ballots as `ballots_unaccounted`; some record the valid ballots
as a line of their own (`valid`), which the law's relations check against the votes.
The lines themselves, and the relations between them, are the law's (saylau.law.form).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NewType

from saylau.law.form import LINES, OPTIONAL_LINES, REQUIRED_LINES, VOTES, Line

ContestId = NewType("ContestId", str)
StationId = NewType("StationId", str)
EntryId = NewType("EntryId", str)
"""An entry on the ballot, a candidate id or a party id: the name of its column."""

STATION: Final = "station_id"

LINE_LABELS: Final[Mapping[Line, str]] = {
    "registered": "voters on the list",
    "ballots_received": "ballots received",
    "took_part": "ballots issued (voters who took part)",
    "took_part_outside": "ballots issued outside the station",
    "ballots_cancelled": "ballots cancelled",
    "ballots_lost": "ballots lost",
    "ballots_unaccounted": "ballots not accounted for on receipt",
    "ballots_found": "ballots found in the boxes",
    "invalid": "invalid ballots",
    "valid": "valid ballots, where the form records them",
    "against_all": "against all",
}

RESERVED_COLUMNS: Final[frozenset[str]] = frozenset({STATION, *LINES, VOTES})
"""Column names an entry id may not take."""


def entries(columns: Sequence[str]) -> tuple[EntryId, ...]:
    """The entry columns among a protocol table's column names: every one not reserved."""
    return tuple(EntryId(name) for name in columns if name not in RESERVED_COLUMNS)


@dataclass(frozen=True)
class Protocol:
    """One station's protocol for one contest and round; a correction is a new `version`."""

    station_id: StationId
    contest_id: ContestId
    round: int
    registered: int
    ballots_received: int
    took_part: int
    ballots_cancelled: int
    ballots_found: int
    invalid: int
    votes: Mapping[EntryId, int] = field(default_factory=dict)
    against_all: int | None = None
    took_part_outside: int | None = None
    ballots_lost: int | None = None
    ballots_unaccounted: int | None = None
    valid: int | None = None
    version: int = 1

    @property
    def counted_valid(self) -> int:
        """Ballots found valid as counted: the votes for every entry plus against all."""
        return sum(self.votes.values()) + (self.against_all or 0)

    def line(self, name: Line) -> int | None:
        """The value of one line, or None when the form does not carry it."""
        value: int | None = getattr(self, name)
        return value


__all__ = [
    "LINES",
    "LINE_LABELS",
    "OPTIONAL_LINES",
    "REQUIRED_LINES",
    "RESERVED_COLUMNS",
    "STATION",
    "VOTES",
    "ContestId",
    "EntryId",
    "Line",
    "Protocol",
    "StationId",
    "entries",
]
