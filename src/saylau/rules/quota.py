"""Largest remainder: whole quotas first, then the seats left to the largest remainders.

Quotas over the votes V of the qualifying lists for S seats:
Hare V/S; Droop floor(V/(S+1)) + 1; Hagenbach-Bischoff V/(S+1); Imperiali V/(S+2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from saylau.law.schema import MethodName, TieBreak
from saylau.rules.allocation import (
    Apportioned,
    Competitor,
    PartyId,
    QuotaRow,
    QuotaTrace,
    SeatAward,
)
from saylau.rules.ties import Contender, TieResolution, break_tie

QUOTAS: dict[MethodName, tuple[str, str]] = {
    "hare": ("Hare", "V / S"),
    "droop": ("Droop", "floor(V / (S + 1)) + 1"),
    "hagenbach-bischoff": ("Hagenbach-Bischoff", "V / (S + 1)"),
    "imperiali-quota": ("Imperiali", "V / (S + 2)"),
}


def quota(method: MethodName, votes_total: Fraction, seats: int) -> Fraction:
    """The electoral quota of a largest-remainder method."""
    if method == "hare":
        return votes_total / seats
    if method == "droop":
        return Fraction(math.floor(votes_total / (seats + 1)) + 1)
    if method == "hagenbach-bischoff":
        return votes_total / (seats + 1)
    if method == "imperiali-quota":
        return votes_total / (seats + 2)
    raise ValueError(f"{method} is not a largest-remainder method")


def largest_remainder(
    competitors: Sequence[Competitor],
    seats: int,
    method: MethodName,
    tie_breaks: Sequence[TieBreak],
    seed: int | None = None,
) -> Apportioned:
    """Give each list floor(votes / quota) seats, then one seat each to the largest remainders.

    Where the whole quotas exceed the seats (possible with the Hagenbach-Bischoff and
    Imperiali quotas), the excess is taken back from the lists with the smallest remainders.
    """
    total = sum((c.votes for c in competitors), Fraction(0))
    q = quota(method, total, seats)
    whole = {c.party_id: math.floor(c.votes / q) for c in competitors}
    remainder = {c.party_id: c.votes - whole[c.party_id] * q for c in competitors}
    awards: list[SeatAward] = []
    for c in sorted(competitors, key=lambda c: (-c.votes, c.party_id)):
        awards.extend(SeatAward(0, c.party_id, "whole_quota") for _ in range(whole[c.party_id]))
    ties: list[TieResolution] = []
    notes: list[str] = []
    given = whole_total = sum(whole.values())
    final = dict(whole)
    by_remainder: list[PartyId] = []
    taken_back: list[PartyId] = []
    left = dict(remainder)
    while given < seats:
        # One seat per list per pass; a second pass only arises when seats outnumber lists.
        batch = min(seats - given, len(competitors))
        chosen, tie = _pick(competitors, left, batch, tie_breaks, seed, True)
        ties.extend(tie)
        for party in chosen:
            final[party] += 1
            awards.append(SeatAward(0, party, "remainder", remainder=left[party]))
            left[party] -= q
        by_remainder.extend(chosen)
        given += batch
    if given > seats:
        for _ in range(given - seats):
            holders = [c for c in competitors if final[c.party_id] > 0]
            (party,), tie = _pick(holders, left, 1, tie_breaks, seed, False)
            ties.extend(tie)
            taken_back.append(party)
            final[party] -= 1
            left[party] += q
            awards.remove(SeatAward(0, party, "whole_quota"))
        notes.append(
            f"whole quotas gave {whole_total} seats for {seats}; the excess was taken back from "
            f"the lists with the smallest remainders: {', '.join(taken_back)}"
        )
    numbered = tuple(
        SeatAward(i, a.party_id, a.reason, remainder=a.remainder)
        for i, a in enumerate(awards, start=1)
    )
    rows = tuple(
        QuotaRow(
            party_id=c.party_id,
            votes=c.votes,
            quotient=c.votes / q,
            whole_seats=whole[c.party_id],
            remainder=remainder[c.party_id],
            remainder_seat=c.party_id in by_remainder,
            seats=final[c.party_id],
        )
        for c in competitors
    )
    name, formula = QUOTAS[method]
    trace = QuotaTrace(name, formula, total, q, rows, whole_total, tuple(taken_back))
    return Apportioned(final, numbered, tuple(ties), quota=trace, notes=tuple(notes))


def _pick(
    competitors: Sequence[Competitor],
    remainder: dict[PartyId, Fraction],
    count: int,
    tie_breaks: Sequence[TieBreak],
    seed: int | None,
    largest: bool,
) -> tuple[list[PartyId], list[TieResolution]]:
    """The `count` lists with the largest (or smallest) remainders, ties broken by the law."""
    sign = 1 if largest else -1
    ranked = sorted(competitors, key=lambda c: sign * remainder[c.party_id], reverse=True)
    cut = remainder[ranked[count - 1].party_id]
    sure = [c.party_id for c in ranked if sign * remainder[c.party_id] > sign * cut]
    tied = [c for c in ranked if remainder[c.party_id] == cut]
    places = count - len(sure)
    if places == len(tied):
        return sure + [c.party_id for c in tied], []
    contenders = [Contender(c.party_id, c.raw_votes, c.registration_order) for c in tied]
    if largest:
        resolution = break_tie(
            contenders, places, tie_breaks, context="remainder seat: equal remainders", seed=seed
        )
        return sure + [PartyId(w) for w in resolution.winners], [resolution]
    # Taking a seat back: the tie-break decides who keeps theirs.
    resolution = break_tie(
        contenders,
        len(tied) - places,
        tie_breaks,
        context="seat kept despite excess quotas: equal remainders",
        seed=seed,
    )
    losers = [c.party_id for c in tied if c.party_id not in resolution.winners]
    return sure + losers, [resolution]
