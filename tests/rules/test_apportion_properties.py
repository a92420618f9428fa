"""Properties every allocation method must hold, checked with hypothesis.

The divisor methods are checked against an independent oracle: the full table of
quotients built directly from each method's textbook divisors (in high-precision
decimals for the irrational Huntington-Hill divisors), whose top S entries are the seats.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from decimal import Decimal, getcontext
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from saylau.law.schema import DIVISOR_METHODS, QUOTA_METHODS, MethodName
from saylau.rules.apportion import METHODS, allocate

getcontext().prec = 60


def vote_maps(parties: int, most: int) -> st.SearchStrategy[dict[str, int]]:
    """Up to `parties` lists with 0 to `most` votes each, not all zero."""
    return st.dictionaries(
        keys=st.sampled_from([f"p{i}" for i in range(parties)]),
        values=st.integers(min_value=0, max_value=most),
        min_size=1,
        max_size=min(parties, 8),
    ).filter(lambda v: sum(v.values()) > 0)


votes_maps = vote_maps(10, 2_000_000)
small_votes_maps = vote_maps(6, 60)  # small counts make ties common
seats = st.integers(min_value=1, max_value=40)
methods = st.sampled_from(METHODS)
divisor_methods = st.sampled_from(DIVISOR_METHODS)

TEXTBOOK_DIVISORS = {
    "dhondt": lambda k: Decimal(k + 1),
    "sainte-lague": lambda k: Decimal(2 * k + 1),
    "modified-sainte-lague": lambda k: Decimal("1.4") if k == 0 else Decimal(2 * k + 1),
    "imperiali": lambda k: Decimal(k + 2),
    "danish": lambda k: Decimal(3 * k + 1),
    "huntington-hill": lambda k: Decimal(k * (k + 1)).sqrt(),
    "adams": lambda k: Decimal(k),
}


def _allocate(votes: dict[str, int], house: int, method: MethodName) -> dict[str, int]:
    return allocate(votes, house, method, tie_breaks=("lot",), seed=7).seats


@given(votes=votes_maps, house=seats, method=methods)
def test_seats_sum_to_the_house_size(votes: dict[str, int], house: int, method: MethodName) -> None:
    assert sum(_allocate(votes, house, method).values()) == house


@given(votes=small_votes_maps, house=seats, method=methods, shuffle_seed=st.integers(0, 10**6))
def test_results_do_not_depend_on_row_order(
    votes: dict[str, int], house: int, method: MethodName, shuffle_seed: int
) -> None:
    """Small vote counts make ties common, so the lot's independence from order is tested too."""
    items = list(votes.items())
    random.Random(shuffle_seed).shuffle(items)
    first = allocate(votes, house, method, tie_breaks=("lot",), seed=3)
    second = allocate(dict(items), house, method, tie_breaks=("lot",), seed=3)
    assert first.seats == second.seats
    assert first.awards == second.awards


@given(votes=small_votes_maps, house=st.integers(1, 30), method=divisor_methods)
def test_divisor_methods_are_house_monotone(
    votes: dict[str, int], house: int, method: MethodName
) -> None:
    """No Alabama paradox: one more seat never costs a list a seat (ties drawn by one seed)."""
    smaller, larger = _allocate(votes, house, method), _allocate(votes, house + 1, method)
    assert all(larger[p] >= smaller[p] for p in votes)


@given(votes=votes_maps, house=seats)
def test_hare_largest_remainder_satisfies_the_quota_rule(votes: dict[str, int], house: int) -> None:
    """Each list gets its exact quota rounded down or up."""
    total = sum(votes.values())
    result = _allocate(votes, house, "hare")
    for party, count in votes.items():
        exact = Fraction(count * house, total)
        assert math.floor(exact) <= result[party] <= math.ceil(exact)


def _oracle(votes: dict[str, int], house: int, method: str) -> dict[str, int] | None:
    """Seats from the top of the quotient table, or None when the cut falls inside a tie."""
    divisor = TEXTBOOK_DIVISORS[method]
    table: list[tuple[tuple[int, Decimal], str]] = []
    for party, count in votes.items():
        for k in range(house + 1):
            d = divisor(k)
            value = (
                (1, Decimal(count))
                if d == 0 and count > 0
                else ((0, Decimal(0)) if count == 0 else (0, Decimal(count) / d))
            )
            table.append((value, party))
    table.sort(key=lambda row: row[0], reverse=True)
    if table[house - 1][0] == table[house][0]:
        return None
    won = Counter(party for _, party in table[:house])
    return {party: won.get(party, 0) for party in votes}


@given(votes=votes_maps, house=seats, method=divisor_methods)
def test_divisor_methods_agree_with_the_quotient_table(
    votes: dict[str, int], house: int, method: MethodName
) -> None:
    expected = _oracle(votes, house, method)
    assume(expected is not None)
    assert allocate(votes, house, method).seats == expected


@given(votes=votes_maps, house=seats, method=st.sampled_from(QUOTA_METHODS))
def test_largest_remainder_gives_at_most_one_remainder_seat_per_list_and_pass(
    votes: dict[str, int], house: int, method: MethodName
) -> None:
    """One remainder seat per list, unless seats left over outnumber the lists (possible with
    the integer Droop quota on tiny counts: 1 vote, 3 seats), when passes repeat."""
    result = allocate(votes, house, method, tie_breaks=("lot",), seed=11)
    assert result.quota is not None
    rows = result.quota.rows
    left_over = max(house - result.quota.whole_seats, 0)
    passes = -(-left_over // len(rows))
    for row in rows:
        assert row.whole_seats - 2 <= row.seats <= row.whole_seats + max(passes, 1)
        assert 0 <= row.remainder < result.quota.quota
        assert row.votes == row.whole_seats * result.quota.quota + row.remainder
    assert passes <= 1 or method == "droop"


@given(votes=votes_maps, house=seats)
def test_the_excess_of_whole_quotas_is_at_most_what_the_quota_allows(
    votes: dict[str, int], house: int
) -> None:
    """Whole quotas can exceed the seats by at most 1 (Hagenbach-Bischoff) or 2 (Imperiali)."""
    cases: tuple[tuple[MethodName, int], ...] = (
        ("hare", 0),
        ("droop", 0),
        ("hagenbach-bischoff", 1),
        ("imperiali-quota", 2),
    )
    for method, most in cases:
        result = allocate(votes, house, method, tie_breaks=("lot",), seed=11)
        assert result.quota is not None
        assert result.quota.whole_seats - house <= most
        assert len(result.quota.excess_taken_back) == max(result.quota.whole_seats - house, 0)


@given(
    votes=votes_maps,
    share=st.fractions(min_value=0, max_value=Fraction(1, 3), max_denominator=1000),
    house=seats,
    method=methods,
)
def test_lists_below_the_threshold_win_nothing(
    votes: dict[str, int], share: Fraction, house: int, method: MethodName
) -> None:
    from saylau.law import Threshold, TooFewQualify

    total = sum(votes.values())
    assume(any(v * share.denominator >= share.numerator * total and v > 0 for v in votes.values()))
    rule = Threshold(share=share, base="list_votes")
    result = allocate(
        votes,
        house,
        method,
        rule,
        tie_breaks=("lot",),
        seed=5,
        too_few_qualify=TooFewQualify(rule="allocate_anyway"),
    )
    for party, count in votes.items():
        if count * share.denominator < share.numerator * total:
            assert result.seats[party] == 0
