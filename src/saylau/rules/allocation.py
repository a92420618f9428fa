"""The typed values of a seat allocation: the lists going in, the decision and its trace."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, NewType

from saylau.errors import InputError
from saylau.law.schema import MethodName
from saylau.law.share import format_share
from saylau.rules.exact import meets_share
from saylau.rules.ties import TieResolution

PartyId = NewType("PartyId", str)
ListKind = Literal["party", "coalition"]


@dataclass(frozen=True)
class ListEntry:
    """A party list (or a coalition's list) and the votes it received; `members` is the
    number of a coalition's member parties, where its threshold depends on it."""

    party_id: PartyId
    votes: int
    kind: ListKind = "party"
    registration_order: int | None = None
    members: int | None = None

    def __post_init__(self) -> None:
        if not self.party_id:
            raise InputError("a list has an empty party id")
        if isinstance(self.votes, bool) or not isinstance(self.votes, int):
            raise InputError(
                f"list {self.party_id}: votes must be a whole number, got {self.votes!r}"
            )
        if self.votes < 0:
            raise InputError(f"list {self.party_id}: votes cannot be negative ({self.votes})")
        if self.kind not in ("party", "coalition"):
            raise InputError(f"list {self.party_id}: kind must be party or coalition")
        if self.members is not None and (
            isinstance(self.members, bool) or not isinstance(self.members, int) or self.members < 0
        ):
            raise InputError(
                f"list {self.party_id}: members must be a whole number, got {self.members!r}"
            )


@dataclass(frozen=True)
class ThresholdTest:
    """The bar a list had to reach: `share` of `base` (`base_value` voters or votes).

    A coalition needs `coalition_share`, or, with `coalition_steps` ((members, share),
    members ascending), the share of the last step its number of members reaches.
    """

    share: Fraction
    coalition_share: Fraction
    base: str
    base_value: int
    inclusive: bool
    coalition_steps: tuple[tuple[int, Fraction], ...] = ()

    def share_for(self, kind: ListKind, members: int | None = None) -> Fraction:
        """The share a list of this kind (and, for a coalition, of `members` members) needs."""
        if kind != "coalition":
            return self.share
        if not self.coalition_steps:
            return self.coalition_share
        if members is None:
            raise InputError(
                "the coalition threshold grows with the number of members, and the "
                "coalition's members are not given"
            )
        fitting = [share for least, share in self.coalition_steps if least <= members]
        return fitting[-1] if fitting else self.coalition_share

    def bar(self, kind: ListKind, members: int | None = None) -> Fraction:
        """The number of votes that is exactly the threshold share."""
        return self.share_for(kind, members) * self.base_value

    def passes(self, votes: int, kind: ListKind, members: int | None = None) -> bool:
        """Exact: votes * den >= num * base (or > when strict)."""
        share = self.share_for(kind, members)
        return meets_share(votes, self.base_value, share, inclusive=self.inclusive)


@dataclass(frozen=True)
class Qualification:
    """Whether a list takes part in the allocation, and why."""

    party_id: PartyId
    votes: int
    kind: ListKind
    share_of_base: Fraction | None
    qualified: bool
    reason: str
    weight: Fraction = Fraction(1)


@dataclass(frozen=True)
class Quotient:
    """votes / divisor, exact: the divisor is kept squared so that √(k(k+1)) stays exact.

    A zero divisor (the first seat under Adams and Huntington-Hill) makes the quotient
    infinite for any list with votes.
    """

    votes: Fraction
    divisor_squared: Fraction
    divisor: str

    @property
    def infinite(self) -> bool:
        return self.divisor_squared == 0 and self.votes > 0

    def key(self) -> tuple[int, Fraction]:
        """Orders quotients exactly; infinite ones rank by votes."""
        if self.infinite:
            return (1, self.votes)
        if self.votes == 0:
            return (0, Fraction(0))
        return (0, self.votes * self.votes / self.divisor_squared)

    def exact(self) -> Fraction | None:
        """The quotient as a Fraction, when the divisor is rational and not zero."""
        if self.divisor_squared == 0:
            return None
        root = _rational_sqrt(self.divisor_squared)
        return None if root is None else self.votes / root

    def display(self) -> str:
        """For reading only: rounded to four decimals."""
        if self.infinite:
            return "∞"
        if self.votes == 0:
            return "0"
        return f"{float(self.votes) / math.sqrt(self.divisor_squared):,.4f}"


@dataclass(frozen=True)
class QuotaRow:
    """One list under a largest-remainder method."""

    party_id: PartyId
    votes: Fraction
    quotient: Fraction
    whole_seats: int
    remainder: Fraction
    remainder_seat: bool
    seats: int


@dataclass(frozen=True)
class QuotaTrace:
    """How the quota was found and what each list got from it."""

    quota_name: str
    formula: str
    votes_total: Fraction
    quota: Fraction
    rows: tuple[QuotaRow, ...]
    whole_seats: int
    excess_taken_back: tuple[PartyId, ...] = ()


@dataclass(frozen=True)
class SeatAward:
    """One seat, in the order seats were given."""

    seat: int
    party_id: PartyId
    reason: Literal["whole_quota", "remainder", "quotient"]
    quotient: Quotient | None = None
    remainder: Fraction | None = None


@dataclass(frozen=True)
class DivisorTrace:
    """The divisor sequence used and, per list, the first quotient that did not win a seat."""

    divisors: tuple[str, ...]
    next_quotients: tuple[tuple[PartyId, Quotient], ...]


@dataclass(frozen=True)
class Competitor:
    """A qualifying list as an allocation method sees it: votes may carry a weight."""

    party_id: PartyId
    votes: Fraction
    raw_votes: int
    registration_order: int | None


@dataclass(frozen=True)
class Apportioned:
    """What an allocation method decided, before it is wrapped with the qualification."""

    seats: dict[PartyId, int]
    awards: tuple[SeatAward, ...]
    ties: tuple[TieResolution, ...]
    quota: QuotaTrace | None = None
    divisor: DivisorTrace | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Allocation:
    """Seats for every list (0 for those without), with the full trace of the decision."""

    method: MethodName
    seats_total: int
    seats: dict[PartyId, int]
    qualification: tuple[Qualification, ...]
    threshold: ThresholdTest | None
    awards: tuple[SeatAward, ...]
    quota: QuotaTrace | None = None
    divisor: DivisorTrace | None = None
    ties: tuple[TieResolution, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def explanation(self) -> str:
        """The decision as readable text: who qualified, the quota or quotients, the seat order."""
        from saylau.rules.explain import explain_allocation

        return explain_allocation(self)

    def threshold_label(self) -> str:
        """The threshold in words, for tables."""
        if self.threshold is None:
            return "no threshold"
        sign = ">=" if self.threshold.inclusive else ">"
        return f"{sign} {format_share(self.threshold.share)} of {self.threshold.base}"


def _rational_sqrt(value: Fraction) -> Fraction | None:
    num, den = math.isqrt(value.numerator), math.isqrt(value.denominator)
    if num * num == value.numerator and den * den == value.denominator:
        return Fraction(num, den)
    return None
