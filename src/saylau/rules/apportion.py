"""Seat allocation for a list tier: threshold, then a quota or divisor method, exactly.

`allocate` is the one entry point; `allocate_list_tier` reads every setting from a law.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from saylau.errors import InputError, SeatsUnallocatable
from saylau.law.schema import (
    DIVISOR_METHODS,
    QUOTA_METHODS,
    Admission,
    ListTier,
    MethodName,
    Threshold,
    TieBreak,
    TooFewQualify,
)
from saylau.limits import MAX_ENTRIES, MAX_SEATS
from saylau.rules.allocation import (
    Allocation,
    Apportioned,
    Competitor,
    ListEntry,
    PartyId,
    Qualification,
)
from saylau.rules.divisor import highest_averages
from saylau.rules.quota import largest_remainder
from saylau.rules.threshold import Bases, qualify

METHODS: tuple[MethodName, ...] = QUOTA_METHODS + DIVISOR_METHODS


def allocate(
    votes: Mapping[str, int] | Iterable[ListEntry],
    seats: int,
    method: MethodName,
    threshold: Threshold | None = None,
    *,
    took_part: int | None = None,
    valid: int | None = None,
    ballots_found: int | None = None,
    tie_breaks: Sequence[TieBreak] = ("refuse",),
    too_few_qualify: TooFewQualify | None = None,
    seed: int | None = None,
    admission: Admission | None = None,
) -> Allocation:
    """Allocate `seats` among the lists by `method`, after the `threshold`.

    `votes` maps party ids to votes, or gives `ListEntry` values (with kind and
    registration order). The result does not depend on the order of the lists.
    `took_part` (ballots issued), `ballots_found` and `valid` are the bases a threshold can
    be a share of; give the one the threshold names.
    """
    entries = _entries(votes)
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
        raise InputError(f"seats must be a whole number of at least 0, got {seats!r}")
    if seats > MAX_SEATS:
        raise InputError(f"{seats:,} seats: more than the limit of {MAX_SEATS:,}")
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"{len(entries):,} lists: more than the limit of {MAX_ENTRIES:,}")
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    rule = too_few_qualify if too_few_qualify is not None else TooFewQualify()
    bases = Bases(took_part, valid, ballots_found)
    outcome = qualify(entries, threshold, bases, rule, tie_breaks, seed, admission)
    order = {e.party_id: e.registration_order for e in entries}
    competitors = [
        Competitor(q.party_id, q.votes * q.weight, q.votes, order[q.party_id])
        for q in outcome.qualification
        if q.qualified and q.votes > 0
    ]
    if seats and not competitors:
        raise SeatsUnallocatable(_why_nobody(seats, outcome.qualification))
    if seats == 0:
        decided = Apportioned({}, (), ())
    elif method in QUOTA_METHODS:
        decided = largest_remainder(competitors, seats, method, tie_breaks, seed)
    else:
        decided = highest_averages(competitors, seats, method, tie_breaks, seed)
    return Allocation(
        method=method,
        seats_total=seats,
        seats={e.party_id: decided.seats.get(e.party_id, 0) for e in entries},
        qualification=outcome.qualification,
        threshold=outcome.test,
        awards=decided.awards,
        quota=decided.quota,
        divisor=decided.divisor,
        ties=outcome.ties + decided.ties,
        notes=outcome.notes + decided.notes,
    )


def allocate_list_tier(
    tier: ListTier,
    votes: Mapping[str, int] | Iterable[ListEntry],
    *,
    took_part: int | None = None,
    valid: int | None = None,
    ballots_found: int | None = None,
    seed: int | None = None,
) -> Allocation:
    """Allocate a list tier's seats with every setting taken from the law."""
    return allocate(
        votes,
        tier.seats,
        tier.method,
        tier.threshold,
        took_part=took_part,
        valid=valid,
        ballots_found=ballots_found,
        tie_breaks=tier.tie_breaks,
        too_few_qualify=tier.too_few_qualify,
        seed=seed,
        admission=tier.admission,
    )


def _why_nobody(seats: int, qualification: Sequence[Qualification]) -> str:
    """Why no list can take a seat: no votes at all, none qualified, or none of those that
    qualified received a vote."""
    lists = len(qualification)
    with_votes = sum(q.votes > 0 for q in qualification)
    qualified = sum(q.qualified for q in qualification)
    if with_votes == 0:
        return f"{seats} seat(s) to give, but none of the {lists} list(s) received a vote"
    if qualified == 0:
        return (
            f"{seats} seat(s) to give, but none of the {lists} list(s) qualified "
            f"({with_votes} received votes)"
        )
    return f"{seats} seat(s) to give, but the {qualified} list(s) that qualified received no vote"


def _entries(votes: Mapping[str, int] | Iterable[ListEntry]) -> list[ListEntry]:
    if isinstance(votes, Mapping):
        entries = [ListEntry(PartyId(str(party)), count) for party, count in votes.items()]
    else:
        entries = list(votes)
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, ListEntry):
            raise InputError(f"expected ListEntry values, got {type(entry).__name__}")
        if entry.party_id in seen:
            raise InputError(f"list {entry.party_id} appears twice")
        seen.add(entry.party_id)
    return sorted(entries, key=lambda e: e.party_id)
