"""What a reader of the public pages is told, as plain values a template words: how much
is counted, each district's state, and what a stage waits for.

A district's state follows the law's decision only on a complete count: while any of its
stations is not in, the candidate ahead is "leading", by a margin, whatever the core would
decide on the votes so far. Shares are exact (`Fraction`); a template rounds them once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.rules.decision import Elected, Failed, Undecided
from saylau.rules.district import DistrictDecision, RunoffNeeded


@dataclass(frozen=True)
class Reporting:
    """`counted` of the `stations` that report a contest have a counted protocol."""

    counted: int
    stations: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.counted, self.stations) if self.stations else Fraction(0)

    @property
    def complete(self) -> bool:
        return self.stations > 0 and self.counted >= self.stations

    def __add__(self, other: Reporting) -> Reporting:
        return Reporting(self.counted + other.counted, self.stations + other.stations)


NOTHING = Reporting(0, 0)


def summed(found: Sequence[Reporting]) -> Reporting:
    """The reporting of several areas or contests together."""
    total = NOTHING
    for one in found:
        total = total + one
    return total


StateKind = Literal[
    "no_protocol", "leading", "tied", "elected", "runoff", "not_elected", "new_voting"
]
"""no_protocol: no station in yet; leading / tied: an incomplete count; elected, runoff,
not_elected (a tie the law leaves open, or a failed vote): the law's decision on a complete
count; new_voting: the result was invalidated and a new voting ordered."""


@dataclass(frozen=True)
class State:
    """One district contest's state in a round: who (candidate ids, ahead first) and, while
    leading, by how many votes."""

    kind: StateKind
    round: int
    who: tuple[str, ...] = ()
    margin: int | None = None

    @property
    def final(self) -> bool:
        return self.kind in ("elected", "runoff", "not_elected", "new_voting")


def leaders(votes: Mapping[str, int]) -> list[tuple[str, int]]:
    """Entries by votes, most first; equal votes in ballot order."""
    order = {entry: n for n, entry in enumerate(votes)}
    return sorted(votes.items(), key=lambda item: (-item[1], order[item[0]]))


def state(
    round: int,
    reporting: Reporting,
    votes: Mapping[str, int],
    decision: DistrictDecision | None,
    new_voting: bool = False,
) -> State:
    """A district contest's state: `decision` is the law's on the votes counted so far, and
    counts only when every station is in; `new_voting` once a new voting replaces it."""
    if new_voting:
        return State("new_voting", round)
    if reporting.counted == 0:
        return State("no_protocol", round)
    if not reporting.complete or decision is None:
        ranked = leaders(votes)
        if not ranked:
            return State("no_protocol", round)
        top = ranked[0][1]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if len(ranked) > 1 and top == second:
            tied = tuple(entry for entry, n in ranked if n == top)
            return State("tied", round, tied, 0)
        return State("leading", round, (ranked[0][0],), top - second)
    if isinstance(decision, Elected):
        return State("elected", round, (decision.winner,))
    if isinstance(decision, RunoffNeeded):
        return State("runoff", round, tuple(decision.pair.candidates))
    if isinstance(decision, Undecided):
        return State("not_elected", round, tuple(decision.tied))
    assert isinstance(decision, Failed)
    return State("not_elected", round)


WaitKind = Literal["no_protocol", "new_voting_not_ordered", "undecidable"]
"""no_protocol: nothing is counted yet; new_voting_not_ordered: a new voting the registry
foresees is not ordered yet (its district); undecidable: the protocols counted so far do
not yet make a result (the commissions see why)."""


@dataclass(frozen=True)
class Wait:
    """What a stage waits for, as a kind, the districts it concerns and the names a reader
    knows them by (in the registry's own language until a page names them in the
    reader's)."""

    kind: WaitKind
    names: tuple[str, ...] = ()
    district_ids: tuple[str, ...] = ()
