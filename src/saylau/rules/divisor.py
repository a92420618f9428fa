"""Highest averages: each seat in turn goes to the list with the highest votes / divisor.

Divisors for a list already holding k seats:
D'Hondt k+1; Sainte-Laguë 2k+1; modified Sainte-Laguë 1.4 then 2k+1; Imperiali k+2;
Danish 3k+1; Huntington-Hill √(k(k+1)); Adams k. Divisors are kept squared, so every
comparison is exact, including the irrational Huntington-Hill divisors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from saylau.law.schema import MethodName, TieBreak
from saylau.rules.allocation import (
    Apportioned,
    Competitor,
    DivisorTrace,
    PartyId,
    Quotient,
    SeatAward,
)
from saylau.rules.ties import Contender, TieResolution, break_tie

SHOWN_DIVISORS = 6


def divisor_squared(method: MethodName, held: int) -> Fraction:
    """The square of the divisor for a list that already holds `held` seats."""
    k = held
    if method == "dhondt":
        return Fraction((k + 1) ** 2)
    if method == "sainte-lague":
        return Fraction((2 * k + 1) ** 2)
    if method == "modified-sainte-lague":
        return Fraction(49, 25) if k == 0 else Fraction((2 * k + 1) ** 2)
    if method == "imperiali":
        return Fraction((k + 2) ** 2)
    if method == "danish":
        return Fraction((3 * k + 1) ** 2)
    if method == "huntington-hill":
        return Fraction(k * (k + 1))
    if method == "adams":
        return Fraction(k * k)
    raise ValueError(f"{method} is not a highest-averages method")


def divisor_label(method: MethodName, held: int) -> str:
    """The divisor as a reader writes it: 1.4, 3, √6."""
    square = divisor_squared(method, held)
    num, den = math.isqrt(square.numerator), math.isqrt(square.denominator)
    if num * num == square.numerator and den * den == square.denominator:
        root = Fraction(num, den)
        return str(root.numerator) if root.denominator == 1 else f"{float(root):g}"
    return f"√{square}"


def quotient(method: MethodName, votes: Fraction, held: int) -> Quotient:
    """votes / divisor for a list holding `held` seats, kept exact."""
    return Quotient(votes, divisor_squared(method, held), divisor_label(method, held))


def highest_averages(
    competitors: Sequence[Competitor],
    seats: int,
    method: MethodName,
    tie_breaks: Sequence[TieBreak],
    seed: int | None = None,
) -> Apportioned:
    """Give the seats one at a time to the highest quotient; equal quotients that cannot all
    be served are settled by the law's tie-breaks for the seat in question."""
    held = {c.party_id: 0 for c in competitors}
    current = {c.party_id: quotient(method, c.votes, 0) for c in competitors}
    keys = {party: q.key() for party, q in current.items()}
    awards: list[SeatAward] = []
    ties: list[TieResolution] = []
    while len(awards) < seats:
        best = max(keys.values())
        tied = [c for c in competitors if keys[c.party_id] == best]
        left = seats - len(awards)
        winners = [c.party_id for c in tied]
        if len(tied) > left:
            resolution = break_tie(
                [Contender(c.party_id, c.raw_votes, c.registration_order) for c in tied],
                left,
                tie_breaks,
                context=f"seat {len(awards) + 1}: equal quotients",
                seed=seed,
            )
            ties.append(resolution)
            winners = [PartyId(w) for w in resolution.winners]
        votes = {c.party_id: c.votes for c in tied}
        for party in winners:
            awards.append(SeatAward(len(awards) + 1, party, "quotient", quotient=current[party]))
            held[party] += 1
            current[party] = quotient(method, votes[party], held[party])
            keys[party] = current[party].key()
    following = tuple((c.party_id, current[c.party_id]) for c in competitors)
    shown = tuple(divisor_label(method, k) for k in range(SHOWN_DIVISORS))
    return Apportioned(held, tuple(awards), tuple(ties), divisor=DivisorTrace(shown, following))
