"""What a run takes: the registry, the protocols, the college ballots and the recorded decisions.

A scenario or an importer builds these values; `saylau.stages.calendar.run_calendar`
carries them through the law. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import pyarrow as pa

from saylau.registry.election import Election
from saylau.rules.decision import ResolutionMethod

NoteKind = Literal["conflict", "generated", "source", "assumption", "unused", "missing"]
"""`unused`: an input that did not count (a protocol of a round that did not take place, a
withdrawal or a resolution with nothing to apply to), reported rather than dropped;
`missing`: expected stations that sent no protocol."""


@dataclass(frozen=True)
class Note:
    """Something a reader must know: a data conflict, a generated part, a source."""

    kind: NoteKind
    text: str


@dataclass(frozen=True)
class CollegeBallot:
    """One ballot of an electoral college (a Senate seat) in one round."""

    contest_id: str
    round: int
    electors: int
    present: int
    votes: Mapping[str, int]
    took_part: int | None = None


@dataclass(frozen=True)
class Invalidation:
    """The commission declared a contest's result invalid: new voting is held [V seed, S8]."""

    contest_id: str
    round: int
    reason: str
    new_contest_id: str


@dataclass(frozen=True)
class Withdrawal:
    """A candidate withdrew from a contest's second round."""

    contest_id: str
    candidate_id: str
    reason: str = ""


@dataclass(frozen=True)
class Resolution:
    """How the commission settled a tie the law left open, in one contest and round."""

    contest_id: str
    round: int
    winner: str
    method: ResolutionMethod
    reference: str = ""


@dataclass(frozen=True)
class PreferenceVotes:
    """Preference votes for one candidate of a list (its party's list, at `rank`) on a list
    contest's ballot: at one station, or for the whole constituency where `station_id` is
    None. Under an open-list law they reorder the list before its seats are filled."""

    contest_id: str
    party_id: str
    rank: int
    votes: int
    station_id: str | None = None


FigureKind = Literal["published", "sum_of_inputs", "generator_target"]
"""What a figure a run is compared with is: `published` by a source outside the run;
`sum_of_inputs`, a sum of the same files the run reads (a check of the reading, not of the
count); `generator_target`, a figure a scenario's generator was told to reach (it matches by
construction)."""

FIGURE_KINDS: tuple[FigureKind, ...] = ("published", "sum_of_inputs", "generator_target")


@dataclass(frozen=True)
class Published:
    """Published figures a run is compared with, each with its source and its kind.

    `kinds` holds each figure's kind where it is not `published` (see `FigureKind`).
    `turnout_before` is the previous election's turnout; `turnout_before_derived` says how it
    was worked back where it was not published itself, and `turnout_before_places` how many
    decimals of a percentage its source gives.
    """

    figures: Mapping[str, int] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    turnout_before: Fraction | None = None
    turnout_before_derived: str | None = None
    turnout_before_places: int = 2
    kinds: Mapping[str, FigureKind] = field(default_factory=dict)

    def kind(self, key: str) -> FigureKind:
        """The kind of figure `key`: `published` unless `kinds` says otherwise."""
        return self.kinds.get(key, "published")


@dataclass(frozen=True)
class TableOrigin:
    """Where a table of the inputs was read: its file, and the line of each of its records
    (in their order), so that a problem found later can name the file, line and field."""

    path: str
    lines: tuple[int, ...] = ()
    offset: int | None = None
    """Where every record is one line: record i lies on line i + offset (no list kept)."""

    def line(self, index: int) -> int | None:
        """The line of record `index`, where known."""
        if self.offset is not None:
            return index + self.offset
        return self.lines[index] if index < len(self.lines) else None


ProtocolSet = Mapping[tuple[str, int], pa.Table]
"""Protocol tables (saylau.protocol.lines layout) by (contest_id, round)."""


@dataclass(frozen=True)
class ElectionInputs:
    """Everything a run needs. `generated` names the parts a generator made up."""

    election: Election
    protocols: ProtocolSet
    college_ballots: tuple[CollegeBallot, ...] = ()
    invalidations: tuple[Invalidation, ...] = ()
    withdrawals: tuple[Withdrawal, ...] = ()
    resolutions: tuple[Resolution, ...] = ()
    published: Published = field(default_factory=Published)
    notes: tuple[Note, ...] = ()
    generated: frozenset[str] = frozenset()
    seed: int = 0
    origins: Mapping[str, TableOrigin] = field(default_factory=dict)
    """Where each table was read (`contests`, `invalidations`, ..., and `protocols/<contest>
    .r<round>`); empty for inputs a scenario or an importer built."""
    preferences: tuple[PreferenceVotes, ...] = ()
    """Preference votes for list candidates (open lists), by station or by constituency."""
