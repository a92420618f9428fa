"""The typed result of a run: what the CLI, reports, exports and the service read.

Every figure is an int or a Fraction; rounding happens only where a result is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from saylau.inputs import FigureKind, Note
from saylau.rules.allocation import Allocation
from saylau.rules.decision import Elected, Failed, Undecided
from saylau.rules.district import DistrictDecision
from saylau.rules.indirect import IndirectDecision
from saylau.rules.preferences import Placed
from saylau.tabulate.totals import ContestTotals, LineTotals

StageName = Literal[
    "registration", "college", "round1", "runoffs", "new_voting", "repeat_elections", "final"
]
Tier = Literal["list", "district", "indirect"]
GapKind = Literal["not_in_data", "not_decided"]

GENERATED_MARK = "†"
"""Beside every figure that rests on generated data, wherever a figure is shown."""

COMPARED_MARKS: Mapping[FigureKind, str] = {
    "published": "*",
    "sum_of_inputs": "Σ",
    "generator_target": "‡",
}
"""Beside a figure of the published text that was compared, by the kind of its match."""
COMPARED_LEGEND: Mapping[FigureKind, str] = {
    "published": "compared with a figure published by an outside source",
    "sum_of_inputs": (
        "compared with a sum of the same files this run reads (a check of the reading, "
        "not an independent figure)"
    ),
    "generator_target": (
        "compared with a figure the scenario's generator was told to reach (it matches by "
        "construction)"
    ),
}
"""What each mark of COMPARED_MARKS says, in words."""


@dataclass(frozen=True)
class LawRef:
    """The law a chamber was decided under: its id, name, file and the file's SHA-256."""

    law_id: str
    name: str
    origin: str
    sha256: str


@dataclass(frozen=True)
class ContestDecision:
    """One contest's decision in one round, with the count it was taken on."""

    contest_id: str
    round: int
    decision: DistrictDecision | IndirectDecision
    count: LineTotals | None = None
    notes: tuple[str, ...] = ()
    """What else shaped this decision: a withdrawal, a recorded resolution of a tie."""

    @property
    def reason(self) -> str:
        return self.decision.reason


@dataclass(frozen=True)
class ListDecision:
    """The list tier's seats, with the count and the full allocation trace."""

    contest_id: str
    allocation: Allocation
    count: LineTotals
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Who takes each list's seats, in list order; empty where the lists are not in the data."""
    vacant: Mapping[str, int] = field(default_factory=dict)
    """Seats a list won but cannot fill: it has fewer candidates than seats."""
    members_known: bool = True
    areas: ContestTotals | None = None
    """The list ballot's count by territory and district, summed from the same protocols."""
    seated: Mapping[str, tuple[Placed, ...]] = field(default_factory=dict)
    """Who took each of a list's seats, in seat order, and why (list rank, or preference
    votes): filled where the law says how preference votes apply (`list_tier.preferences`)."""
    preference_rule: str | None = None
    """The law's preference rule in words, where it has one ('quota: at least 7% of ...')."""

    @property
    def seats_filled(self) -> int:
        """The seats won, less those left vacant for want of candidates."""
        return sum(self.allocation.seats.values()) - sum(self.vacant.values())


@dataclass(frozen=True)
class StageRecord:
    """What a stage of the calendar decided, and why."""

    stage: StageName
    chamber: str
    date: str | None
    summary: str
    decisions: tuple[ContestDecision, ...] = ()
    lists: tuple[ListDecision, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyResult:
    """One row of the published table: a party's votes and seats in each tier."""

    party_id: str
    name: str
    list_votes: int | None
    list_share: Fraction | None
    list_seats: int
    district_seats: int
    total_seats: int
    seats_before: int | None
    previous_known: bool = True
    list_vacant: int = 0
    """List seats won but left vacant: `total_seats` counts only the seats held."""
    published_total: int | None = None
    """The party's total seats as published, where a published figure gives them."""

    @property
    def seat_change(self) -> int | None:
        """Seats won minus seats held before; a new party counts from 0.

        None when the previous composition is not known at all.
        """
        if not self.previous_known:
            return None
        return self.total_seats - (self.seats_before or 0)


@dataclass(frozen=True)
class Seat:
    """A seat filled: who holds it, for whom, in which contest, round and by which rule."""

    contest_id: str
    candidate_id: str
    name: str
    nominator: str
    party_id: str
    decision: Elected


@dataclass(frozen=True)
class Vacancy:
    """Seats no one holds at the end of the calendar, and why: a contest without a winner,
    or a list's seats it has no candidates left to fill."""

    contest_id: str
    decision: Undecided | Failed | None
    reason: str
    seats: int = 1
    tier: Tier = "district"


@dataclass(frozen=True)
class SeatGap:
    """Seats the law declares that this data does not fill: `not_in_data` when no contest
    here elects them, `not_decided` when their contest is registered but nothing could be
    counted (no protocol entered, every protocol rejected, or nobody voted)."""

    tier: Tier
    seats: int
    reason: str
    kind: GapKind = "not_in_data"


@dataclass(frozen=True)
class Compared:
    """A figure of the run compared with a figure of its inputs' `Published`: the figure's
    name (`<figure>` or `<figure>.<party_id>`), both values, the source and its kind."""

    figure: str
    published: int
    computed: int
    source: str
    kind: FigureKind


@dataclass(frozen=True)
class ChamberResult:
    """A chamber's final composition and the national figures of its ballot."""

    chamber_id: str
    name: str
    seats_total: int
    majority: int
    seats_filled: int
    registered: int | None = None
    took_part: int | None = None
    valid: int | None = None
    against_all: int | None = None
    invalid: int | None = None
    parties: tuple[PartyResult, ...] = ()
    seats: tuple[Seat, ...] = ()
    vacancies: tuple[Vacancy, ...] = ()
    districts_decided_round1: int = 0
    runoffs: int = 0
    new_voting: int = 0
    seats_contested: int = 0
    turnout_before: Fraction | None = None
    runoff_registered: int | None = None
    runoff_took_part: int | None = None
    registered_parties: int = 0
    party_lists: int = 0
    seats_elected: int | None = None
    appointed_seats: int = 0
    law: LawRef | None = None
    ballots_found: int | None = None
    percent_base: str | None = None
    """The base of the list percentages, as the law names it (saylau.law.schema)."""
    percent_base_value: int | None = None
    gaps: tuple[SeatGap, ...] = ()
    turnout_before_derived: str | None = None
    turnout_before_places: int = 2
    generated_figures: frozenset[str] = frozenset()
    """The figures (as `<figure>` or `<figure>.<party_id>`) that rest on generated data."""
    compared: tuple[Compared, ...] = ()
    """Every figure the run computed and compared with a published one, by figure name."""

    @property
    def seats_not_in_data(self) -> int:
        """Seats the law declares that no contest of this data elects."""
        return sum(gap.seats for gap in self.gaps if gap.kind == "not_in_data")

    @property
    def seats_not_decided(self) -> int:
        """Seats whose contest is registered, but where nothing could be counted."""
        return sum(gap.seats for gap in self.gaps if gap.kind == "not_decided")

    @property
    def seats_vacant(self) -> int:
        """Seats left empty: contests without a winner, lists without candidates."""
        return sum(v.seats for v in self.vacancies)

    def generated(self, figure: str) -> bool:
        """Whether a figure rests on generated data."""
        return figure in self.generated_figures

    def compared_kind(self, figure: str) -> FigureKind | None:
        """The kind of the figure `figure` was compared with; None if it was not compared."""
        for found in self.compared:
            if found.figure == figure:
                return found.kind
        return None

    @property
    def turnout(self) -> Fraction | None:
        """Voters who took part over registered voters, exactly."""
        if self.registered is None or self.took_part is None or self.registered == 0:
            return None
        return Fraction(self.took_part, self.registered)

    @property
    def runoff_turnout(self) -> Fraction | None:
        """Turnout over all second-round districts together, exactly."""
        if not self.runoff_registered or self.runoff_took_part is None:
            return None
        return Fraction(self.runoff_took_part, self.runoff_registered)


ReviewStatus = Literal["rejected", "flagged"]


@dataclass(frozen=True)
class ProtocolReview:
    """A protocol kept for review with its violations: `rejected` (not counted until
    corrected) or `flagged` (counted; it breaks a relation the law flags)."""

    contest_id: str
    round: int
    station_id: str
    status: ReviewStatus
    codes: tuple[str, ...]
    messages: tuple[str, ...]


@dataclass(frozen=True)
class ElectionResult:
    """A whole run: each chamber, each stage's record, the rejected protocols, the notes."""

    election_id: str
    name: str
    chambers: tuple[ChamberResult, ...]
    stages: tuple[StageRecord, ...]
    rejected: tuple[ProtocolReview, ...] = ()
    flagged: tuple[ProtocolReview, ...] = ()
    notes: tuple[Note, ...] = ()
    generated: frozenset[str] = frozenset()
    seed: int = 0
    counterfactual: tuple[str, ...] = ()
    """Why the result is not the election as held and published; empty when it is."""

    def chamber(self, chamber_id: str) -> ChamberResult:
        for chamber in self.chambers:
            if chamber.chamber_id == chamber_id:
                return chamber
        raise KeyError(chamber_id)

    def lists_of(self, chamber_id: str) -> tuple[ListDecision, ...]:
        """The list-tier decisions of a chamber, in calendar order."""
        return tuple(d for s in self.stages if s.chamber == chamber_id for d in s.lists)

    def decisions_of(self, chamber_id: str) -> tuple[ContestDecision, ...]:
        """Every contest decision of a chamber (districts, new votings, colleges), in
        calendar order."""
        return tuple(d for s in self.stages if s.chamber == chamber_id for d in s.decisions)
