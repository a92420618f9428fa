"""Counterfactual replay: the same protocols under every combination of chosen settings.

Each combination of `method`, `threshold` and `district_rule` (saylau.analysis.settings)
makes a law from the chamber's own; the whole calendar runs under it, by the rule core, on
the counts of the same checked protocols (tabulated once and shared between the runs:
`CountCache`). Nothing is recomputed from rounded figures.

Every row names the seats by party (list and total), the indices of disproportionality
(saylau.analysis.indices) and whether its law is the election's own (`real`). Against the
real law, a row says which setting changed which seat: stepping from the real law to the
row's, one setting at a time in the order method, threshold, district rule, each step
names the seats it moved. Where settings interact, another order could share the moves
out differently; the order is fixed so the answer is reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import product

from saylau.analysis.indices import Indices, chamber_indices, list_tier_indices
from saylau.analysis.settings import (
    DistrictRule,
    Setting,
    district_rule_of,
    law_ref,
    threshold_share,
    with_setting,
)
from saylau.errors import InputError, RuleError
from saylau.inputs import ElectionInputs
from saylau.law.schema import Law, MethodName
from saylau.results import ChamberResult, ElectionResult, LawRef, ListDecision
from saylau.stages.calendar import run_calendar
from saylau.stages.counting import CountCache

STEPS = ("method", "threshold", "district_rule")
"""The order in which a row's settings are stepped through from the real law."""


@dataclass(frozen=True)
class ContestChange:
    """A district whose seat went to someone else: who held it before, who holds it after."""

    contest_id: str
    before: str
    after: str


@dataclass(frozen=True)
class SeatShift:
    """The seats one setting moved, stepping from the real law towards a row's law."""

    setting: str
    before: str
    after: str
    total_seats: Mapping[str, int] = field(default_factory=dict)
    """Party -> change in the seats it holds (only parties that changed)."""
    list_seats: Mapping[str, int] = field(default_factory=dict)
    contests: tuple[ContestChange, ...] = ()
    error: str | None = None
    """Why the step could not be decided, where the law could not decide it."""


@dataclass(frozen=True)
class Replay:
    """One row: a law, the chamber it gives, its indices and what moved against the real law.

    `chamber` and `decision` are None where the law cannot decide (`error` says why).
    """

    law: Law
    law_ref: LawRef
    real: bool
    chamber: ChamberResult | None
    decision: ListDecision | None
    shifts: tuple[SeatShift, ...] = ()
    error: str | None = None
    counterfactual: tuple[str, ...] = ()

    @property
    def method(self) -> MethodName | None:
        return self.law.list_tier.method if self.law.list_tier is not None else None

    @property
    def threshold(self) -> Fraction | None:
        """The threshold as a share (0 for none); None when the law has no list tier."""
        return threshold_share(self.law.list_tier) if self.law.list_tier is not None else None

    @property
    def district_rule(self) -> str | None:
        tier = self.law.district_tier
        return district_rule_of(tier) if tier is not None else None

    @property
    def list_seats(self) -> dict[str, int]:
        """Party -> list seats won; empty where there is no list tier or no decision."""
        if self.decision is None:
            return {}
        return {str(p): n for p, n in sorted(self.decision.allocation.seats.items())}

    @property
    def total_seats(self) -> dict[str, int]:
        """Party -> seats held in the chamber (list seats left vacant are not held)."""
        if self.chamber is None:
            return {}
        return {p.party_id: p.total_seats for p in self.chamber.parties}

    @property
    def list_indices(self) -> Indices | None:
        """The list tier's indices: each list's votes against its list seats."""
        if self.chamber is None or self.decision is None:
            return None
        return list_tier_indices(self.chamber, self.decision)

    @property
    def chamber_indices(self) -> Indices | None:
        """The chamber's: each party's list votes against all the seats it holds."""
        return chamber_indices(self.chamber) if self.chamber is not None else None


@dataclass(frozen=True)
class Comparison:
    """Every replayed law of one chamber; exactly one row is `real`."""

    election_id: str
    name: str
    chamber_id: str
    law: LawRef
    parties: tuple[tuple[str, str], ...]
    """(party id, name) of every party that has list votes or seats in any row."""
    rows: tuple[Replay, ...]
    notes: tuple[str, ...] = ()
    generated: frozenset[str] = frozenset()

    @property
    def real(self) -> Replay:
        """The row decided under the election's own law."""
        return next(row for row in self.rows if row.real)


class _Runs:
    """Runs of the calendar under laws of one chamber, each law run once, on shared counts."""

    def __init__(
        self,
        inputs: ElectionInputs,
        own: Mapping[str, Law],
        refs: Mapping[str, LawRef],
        chamber_id: str,
    ) -> None:
        self.inputs, self.own, self.refs, self.chamber_id = inputs, own, refs, chamber_id
        self.cache = CountCache(inputs)
        self._done: dict[str, tuple[ElectionResult | None, str | None]] = {}

    def run(self, law: Law) -> tuple[ElectionResult | None, str | None]:
        key = law.model_dump_json()
        if key not in self._done:
            own = self.own[self.chamber_id]
            ref = law_ref(law, own, self.refs[self.chamber_id])
            try:
                result = run_calendar(
                    self.inputs,
                    {**self.own, self.chamber_id: law},
                    refs={**self.refs, self.chamber_id: ref},
                    own=self.own,
                    counts=self.cache,
                )
                self._done[key] = (result, None)
            except RuleError as exc:
                self._done[key] = (None, str(exc))
        return self._done[key]


def choose_chamber(own: Mapping[str, Law], chamber: str | None) -> str:
    """The chamber named, or the one chamber with a list tier (or else with districts)."""
    if chamber is not None:
        if chamber not in own:
            raise InputError(f"--chamber {chamber}: this election's chambers are {', '.join(own)}")
        return chamber
    for tier in ("list_tier", "district_tier"):
        having = [c for c, law in own.items() if getattr(law, tier) is not None]
        if len(having) == 1:
            return having[0]
        if len(having) > 1:
            raise InputError(f"name a chamber with --chamber: one of {', '.join(having)}")
    raise InputError("no chamber of this election has a list or a district tier to replay")


def compare(
    inputs: ElectionInputs,
    own: Mapping[str, Law],
    refs: Mapping[str, LawRef],
    *,
    chamber: str | None = None,
    methods: Sequence[MethodName] = (),
    thresholds: Sequence[Fraction] = (),
    district_rules: Sequence[DistrictRule] = (),
) -> Comparison:
    """Replay the chamber under every combination of the settings given (each left empty
    keeps the law's own). The real law's row is always there: where no combination equals
    it, it comes first."""
    chamber_id = choose_chamber(own, chamber)
    law = own[chamber_id]
    chosen_methods: list[MethodName | None] = [*methods] or [None]
    chosen_thresholds: list[Fraction | None] = [*thresholds] or [None]
    chosen_rules: list[DistrictRule | None] = [*district_rules] or [None]
    settings = [
        Setting(m, t, r) for m, t, r in product(chosen_methods, chosen_thresholds, chosen_rules)
    ]
    laws = [with_setting(law, s) for s in settings]
    runs = _Runs(inputs, own, refs, chamber_id)
    if not any(candidate is law for candidate in laws):
        settings.insert(0, Setting())
        laws.insert(0, law)
    rows = tuple(_row(runs, s, candidate) for s, candidate in zip(settings, laws, strict=True))
    return Comparison(
        inputs.election.election_id,
        inputs.election.name,
        chamber_id,
        refs[chamber_id],
        _parties(inputs, rows),
        rows,
        _notes(inputs, rows, bool(district_rules)),
        inputs.generated,
    )


def _row(runs: _Runs, setting: Setting, law: Law) -> Replay:
    own = runs.own[runs.chamber_id]
    result, error = runs.run(law)
    chamber, decision = _chamber_of(result, runs.chamber_id)
    real = law is own
    return Replay(
        law,
        law_ref(law, own, runs.refs[runs.chamber_id]),
        real,
        chamber,
        decision,
        () if real else _shifts(runs, setting),
        error,
        result.counterfactual if result is not None else (),
    )


def _chamber_of(
    result: ElectionResult | None, chamber_id: str
) -> tuple[ChamberResult | None, ListDecision | None]:
    if result is None:
        return None, None
    decided = [d for s in result.stages if s.chamber == chamber_id for d in s.lists]
    return result.chamber(chamber_id), (decided[0] if decided else None)


def _shifts(runs: _Runs, setting: Setting) -> tuple[SeatShift, ...]:
    """Step from the real law to the row's, one setting at a time, naming what moved."""
    own = runs.own[runs.chamber_id]
    found = []
    reached = Setting()
    before = own
    for step in STEPS:
        value = getattr(setting, step)
        if value is None:
            continue
        reached = replace(reached, **{step: value})
        after = with_setting(own, reached)
        if after.model_dump_json() == before.model_dump_json():
            continue
        found.append(_shift(runs, step, before, after))
        before = after
    return tuple(found)


def _shift(runs: _Runs, step: str, before: Law, after: Law) -> SeatShift:
    old, old_error = runs.run(before)
    new, new_error = runs.run(after)
    was, now = _value(step, before), _value(step, after)
    if old is None or new is None:
        return SeatShift(step, was, now, error=new_error or old_error)
    old_chamber, old_list = _chamber_of(old, runs.chamber_id)
    new_chamber, new_list = _chamber_of(new, runs.chamber_id)
    assert old_chamber is not None
    assert new_chamber is not None
    order = [p.party_id for p in new_chamber.parties]
    return SeatShift(
        step,
        was,
        now,
        _moved(_held(old_chamber), _held(new_chamber), order),
        _moved(_won(old_list), _won(new_list), order),
        _contests(old_chamber, new_chamber),
    )


def _value(step: str, law: Law) -> str:
    if step == "method":
        return law.list_tier.method if law.list_tier is not None else "-"
    if step == "threshold":
        share = threshold_share(law.list_tier) if law.list_tier is not None else Fraction(0)
        percent = share * 100
        shown = str(percent.numerator) if percent.denominator == 1 else f"{float(percent):g}"
        return f"{shown}%"
    return district_rule_of(law.district_tier) if law.district_tier is not None else "-"


def _held(chamber: ChamberResult) -> dict[str, int]:
    return {p.party_id: p.total_seats for p in chamber.parties}


def _won(decision: ListDecision | None) -> dict[str, int]:
    return {} if decision is None else {str(p): n for p, n in decision.allocation.seats.items()}


def _moved(
    before: Mapping[str, int], after: Mapping[str, int], order: Sequence[str]
) -> dict[str, int]:
    """The change of each party's seats, in the chamber's party order (others after)."""
    parties = [p for p in order if p in before or p in after]
    parties += sorted({*before, *after} - set(parties))
    moved = {p: after.get(p, 0) - before.get(p, 0) for p in parties}
    return {p: n for p, n in moved.items() if n}


def _contests(before: ChamberResult, after: ChamberResult) -> tuple[ContestChange, ...]:
    """Each district whose holder differs, the vacant ones included."""
    old = {s.contest_id: f"{s.name} ({s.party_id})" for s in before.seats}
    new = {s.contest_id: f"{s.name} ({s.party_id})" for s in after.seats}
    contests = sorted({*old, *new} | {v.contest_id for v in (*before.vacancies, *after.vacancies)})
    found = []
    for contest in contests:
        was, now = old.get(contest, "vacant"), new.get(contest, "vacant")
        if was != now:
            found.append(ContestChange(contest, was, now))
    return tuple(found)


def _parties(inputs: ElectionInputs, rows: Sequence[Replay]) -> tuple[tuple[str, str], ...]:
    """Every party with list votes or seats in any row, in the order of the chamber's table."""
    found: dict[str, str] = {}
    for row in rows:
        if row.chamber is None:
            continue
        for party in row.chamber.parties:
            if party.list_votes is not None or party.total_seats or party.list_seats:
                found.setdefault(party.party_id, party.name)
    return tuple(found.items())


def _notes(inputs: ElectionInputs, rows: Sequence[Replay], rules: bool) -> tuple[str, ...]:
    notes = [f"the law as held: {reason}" for reason in _real(rows).counterfactual]
    if rules and inputs.invalidations:
        notes.append(
            f"{len(inputs.invalidations)} recorded invalidation(s) and their new voting(s) "
            "stand as recorded under every district rule"
        )
    vacant = [r for r in rows if r.chamber is not None and r.chamber.seats_vacant]
    if vacant:
        notes.append(
            "a seat left vacant is one no vote decides under that law: a district needing a "
            "second round the election never held, or a list without candidates left"
        )
    return tuple(notes)


def _real(rows: Sequence[Replay]) -> Replay:
    return next(row for row in rows if row.real)
