"""Indices of disproportionality and fragmentation, exactly.

- Effective number of parties (Laakso and Taagepera 1979): 1 / Σ pᵢ², pᵢ each party's
  share of the votes (or of the seats).
- Gallagher least-squares index (Gallagher 1991): √(½ Σ (vᵢ − sᵢ)²), vᵢ and sᵢ in
  percentage points. It is kept squared, as a Fraction; its square root is taken only to
  show it, rounded once (`root`).
- Loosemore-Hanby index (1971): ½ Σ |vᵢ − sᵢ|, in percentage points.
- Wasted list votes: the votes for lists that won no seat for want of the threshold, and
  against all, each as a share of the base of the list percentages.

One implementation, shared by the reports and the analysis of counterfactual laws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import isqrt

from saylau.results import ChamberResult, ListDecision


def shares(counts: Mapping[str, int]) -> dict[str, Fraction]:
    """Each key's share of the whole, exactly; all 0 when the whole is 0."""
    whole = sum(counts.values())
    if whole == 0:
        return dict.fromkeys(counts, Fraction(0))
    return {key: Fraction(count, whole) for key, count in counts.items()}


def effective_number(counts: Mapping[str, int]) -> Fraction | None:
    """Laakso-Taagepera: 1 / Σ pᵢ²; None when nothing was counted."""
    concentration = sum(p * p for p in shares(counts).values())
    return 1 / concentration if concentration else None


def _gaps(votes: Mapping[str, int], seats: Mapping[str, int]) -> list[Fraction]:
    """vᵢ − sᵢ in percentage points, for every party with votes or seats."""
    v, s = shares(votes), shares(seats)
    return [100 * (v.get(p, Fraction(0)) - s.get(p, Fraction(0))) for p in {*v, *s}]


def gallagher_squared(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """The square of Gallagher's least-squares index: ½ Σ (vᵢ − sᵢ)², exactly."""
    return sum((gap * gap for gap in _gaps(votes, seats)), Fraction(0)) / 2


def loosemore_hanby(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """Loosemore-Hanby: ½ Σ |vᵢ − sᵢ|, exactly, in percentage points."""
    return sum((abs(gap) for gap in _gaps(votes, seats)), Fraction(0)) / 2


def root(square: Fraction, places: int = 2) -> str:
    """√square with `places` decimals, rounded half up once, from the exact square."""
    scaled = square * 10 ** (2 * places)
    whole = isqrt(scaled.numerator // scaled.denominator)
    if 4 * scaled >= (2 * whole + 1) ** 2:
        whole += 1
    text = str(whole).rjust(places + 1, "0")
    return f"{text[:-places]}.{text[-places:]}" if places else text


@dataclass(frozen=True)
class Indices:
    """The indices of one comparison of votes with seats; every value exact."""

    effective_parties_votes: Fraction | None
    effective_parties_seats: Fraction | None
    gallagher_squared: Fraction
    loosemore_hanby: Fraction
    wasted_below_threshold: Fraction | None = None
    wasted_against_all: Fraction | None = None

    @property
    def gallagher(self) -> str:
        """Gallagher's index for reading, to two decimals."""
        return root(self.gallagher_squared)


def indices(votes: Mapping[str, int], seats: Mapping[str, int]) -> Indices:
    """The indices of `votes` against `seats`, both by party."""
    return Indices(
        effective_number(votes),
        effective_number(seats),
        gallagher_squared(votes, seats),
        loosemore_hanby(votes, seats),
    )


def wasted(
    decision: ListDecision, base: int, against_all: int | None
) -> tuple[Fraction | None, Fraction | None]:
    """The votes of lists below the threshold, and against all, as shares of `base`."""
    if not base:
        return None, None
    below = sum(q.votes for q in decision.allocation.qualification if not q.qualified)
    return Fraction(below, base), Fraction(against_all or 0, base)


def list_tier_indices(chamber: ChamberResult, decision: ListDecision) -> Indices:
    """The list tier: each list's votes against the seats it won there, with the wasted
    votes as shares of the base of the list percentages."""
    votes = {p.party_id: p.list_votes for p in chamber.parties if p.list_votes is not None}
    seats = {str(party): won for party, won in decision.allocation.seats.items()}
    found = indices(votes, seats)
    below, against = wasted(decision, chamber.percent_base_value or 0, chamber.against_all)
    return Indices(
        found.effective_parties_votes,
        found.effective_parties_seats,
        found.gallagher_squared,
        found.loosemore_hanby,
        below,
        against,
    )


def chamber_indices(chamber: ChamberResult) -> Indices:
    """The whole chamber: each party's list votes against all the seats it holds (district
    seats and seats of parties without a list included)."""
    votes = {p.party_id: p.list_votes or 0 for p in chamber.parties}
    seats = {p.party_id: p.total_seats for p in chamber.parties}
    return indices(votes, seats)
