"""Each allocation method on a worked example, thresholds, too few lists, ties and bad input.

The example (A 100, B 80, C 30, D 20 for 8 seats) is worked by hand in the comments.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.errors import InputError, RuleMissing, SeatsUnallocatable, TieUnresolved
from saylau.law import Threshold, TooFewQualify
from saylau.law.schema import MethodName
from saylau.rules.allocation import ListEntry, PartyId
from saylau.rules.apportion import allocate
from saylau.rules.ties import redraw

VOTES = {"A": 100, "B": 80, "C": 30, "D": 20}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # Hare 230/8 = 28.75: whole 3,2,1,0 (6); remainders B .78, D .70 take the last two.
        ("hare", (3, 3, 1, 1)),
        # Droop floor(230/9)+1 = 26: whole 3,3,1,0 (7); A's remainder 22 is largest.
        ("droop", (4, 3, 1, 0)),
        # Hagenbach-Bischoff 230/9: whole 3,3,1,0; A's remainder 23.3 is largest.
        ("hagenbach-bischoff", (4, 3, 1, 0)),
        # Imperiali quota 230/10 = 23: whole 4,3,1,0 fills all 8.
        ("imperiali-quota", (4, 3, 1, 0)),
        # D'Hondt: 100 80 50 40 33.3 30 26.7 25.
        ("dhondt", (4, 3, 1, 0)),
        # Sainte-Laguë: 100 80 33.3 30 26.7 20 20 16.
        ("sainte-lague", (3, 3, 1, 1)),
        # Imperiali divisors 2,3,4: 50 40 33.3 26.7 25 20 20 16.7 (A's fifth; B's next is 16).
        ("imperiali", (5, 3, 0, 0)),
        # Danish 1,4,7: 100 80 30 25 20 20 14.3 11.4.
        ("danish", (3, 3, 1, 1)),
        # Huntington-Hill: one each (divisor 0), then 70.7 56.6 40.8 32.7.
        ("huntington-hill", (3, 3, 1, 1)),
        # Adams: one each (divisor 0), then 100 80 50 40.
        ("adams", (3, 3, 1, 1)),
    ],
)
def test_worked_example(method: MethodName, expected: tuple[int, ...]) -> None:
    result = allocate(VOTES, 8, method)
    assert tuple(result.seats[p] for p in "ABCD") == expected
    assert len(result.awards) == 8


def test_modified_sainte_lague_meets_an_exact_tie() -> None:
    """A/7 = 100/7 and D/1.4 = 100/7 tie exactly for the 8th seat; floats would split them."""
    seven = allocate(VOTES, 7, "modified-sainte-lague")
    assert tuple(seven.seats[p] for p in "ABCD") == (3, 3, 1, 0)
    with pytest.raises(TieUnresolved, match="seat 8: equal quotients: A, D are tied"):
        allocate(VOTES, 8, "modified-sainte-lague")
    entries = [ListEntry(PartyId(p), VOTES[p], registration_order=i) for i, p in enumerate("DCBA")]
    eight = allocate(entries, 8, "modified-sainte-lague", tie_breaks=("registration_order",))
    assert (eight.seats["A"], eight.seats["D"]) == (3, 1)
    assert eight.ties[0].winners == ("D",)
    assert eight.ties[0].rule == "registration_order"
    nine = allocate(VOTES, 9, "modified-sainte-lague")
    assert (nine.seats["A"], nine.seats["D"]) == (4, 1)


def test_huntington_hill_compares_irrational_divisors_exactly() -> None:
    # 1,000 / sqrt(2) versus 1,225 / sqrt(3): squared, 500,000 versus 500,208.3.
    result = allocate({"X": 1000, "Y": 1225}, 3, "huntington-hill")
    assert result.seats == {"X": 1, "Y": 2}
    assert result.awards[2].quotient is not None
    assert result.awards[2].quotient.divisor == "√2"
    assert result.awards[2].quotient.exact() is None


def test_seats_listed_for_every_list_including_those_without() -> None:
    result = allocate(VOTES, 2, "dhondt")
    assert result.seats == {"A": 1, "B": 1, "C": 0, "D": 0}


def test_threshold_inclusive_and_strict_at_the_exact_bar() -> None:
    votes = {"A": 70, "B": 930}
    inclusive = allocate(votes, 10, "hare", Threshold(share="7%", base="list_votes"))
    strict = allocate(
        votes,
        10,
        "hare",
        Threshold(share="7%", base="list_votes", inclusive=False),
        too_few_qualify=TooFewQualify(rule="allocate_anyway"),
    )
    assert inclusive.seats == {"A": 1, "B": 9}
    assert strict.seats == {"A": 0, "B": 10}


def test_threshold_base_took_part_includes_more_than_list_votes() -> None:
    votes = {"A": 70, "B": 930}
    rule = Threshold(share="7%", base="took_part")
    result = allocate(
        votes,
        10,
        "hare",
        rule,
        took_part=1001,
        too_few_qualify=TooFewQualify(rule="allocate_anyway"),
    )
    assert result.seats["A"] == 0
    assert result.threshold is not None and result.threshold.base_value == 1001


def test_threshold_base_must_be_given_and_not_smaller_than_the_votes() -> None:
    rule = Threshold(share="5%", base="took_part")
    with pytest.raises(InputError, match="took_part was not given"):
        allocate(VOTES, 8, "hare", rule)
    with pytest.raises(InputError, match="took_part is 100, fewer than the 230 votes"):
        allocate(VOTES, 8, "hare", rule, took_part=100)


def test_coalitions_have_their_own_threshold() -> None:
    entries = [
        ListEntry(PartyId("party"), 80),
        ListEntry(PartyId("bloc"), 80, kind="coalition"),
        ListEntry(PartyId("big"), 840),
    ]
    rule = Threshold(share="5%", base="list_votes", coalition_share="10%")
    result = allocate(entries, 10, "dhondt", rule)
    verdict = {q.party_id: q.qualified for q in result.qualification}
    assert verdict == {"party": True, "bloc": False, "big": True}
    assert "coalition threshold" in next(
        q.reason for q in result.qualification if q.party_id == "bloc"
    )


def test_too_few_lists_not_specified_is_reported_as_missing() -> None:
    rule = Threshold(share="40%", base="list_votes")
    with pytest.raises(RuleMissing, match="only 1 list\\(s\\) reached the threshold"):
        allocate(VOTES, 8, "hare", rule, too_few_qualify=TooFewQualify(minimum_lists=2))


def test_too_few_lists_admit_next_with_a_weight() -> None:
    rule = Threshold(share="40%", base="list_votes")
    too_few = TooFewQualify(minimum_lists=2, rule="admit_next", admitted_weight="70%")
    result = allocate(VOTES, 8, "hare", rule, too_few_qualify=too_few)
    admitted = {q.party_id: q.weight for q in result.qualification if q.qualified}
    assert admitted == {"A": 1, "B": Fraction(7, 10)}
    assert result.quota is not None and result.quota.votes_total == 156
    assert result.notes and "admit_next" in result.notes[0]


def test_no_qualifying_votes_means_seats_cannot_be_given() -> None:
    with pytest.raises(
        SeatsUnallocatable,
        match=r"^3 seat\(s\) to give, but none of the 2 list\(s\) received a vote$",
    ):
        allocate({"A": 0, "B": 0}, 3, "dhondt")
    rule = Threshold(share="60%", base="list_votes")
    with pytest.raises(
        SeatsUnallocatable, match=r"none of the \d+ list\(s\) qualified \(\d+ received votes\)$"
    ):
        allocate(VOTES, 3, "dhondt", rule, too_few_qualify=TooFewQualify(rule="allocate_anyway"))


def test_equal_remainders_need_a_rule_and_follow_it() -> None:
    # Hare 400 / 1: no whole quotas; remainders 150, 150, 100.
    votes = {"A": 150, "B": 150, "C": 100}
    with pytest.raises(TieUnresolved, match="remainder seat: equal remainders: A, B are tied"):
        allocate(votes, 1, "hare")
    with pytest.raises(TieUnresolved, match="no registration order is given for A, B"):
        allocate(votes, 1, "hare", tie_breaks=("registration_order",))
    entries = [
        ListEntry(PartyId("A"), 150, registration_order=2),
        ListEntry(PartyId("B"), 150, registration_order=1),
        ListEntry(PartyId("C"), 100, registration_order=3),
    ]
    result = allocate(entries, 1, "hare", tie_breaks=("more_votes", "registration_order"))
    assert result.seats == {"A": 0, "B": 1, "C": 0}
    assert result.ties[0].rule == "registration_order"


def test_a_lot_is_recorded_and_can_be_drawn_again() -> None:
    votes = {"A": 100, "B": 100, "C": 100}
    with pytest.raises(TieUnresolved, match="no seed was given"):
        allocate(votes, 2, "dhondt", tie_breaks=("lot",))
    first = allocate(votes, 2, "dhondt", tie_breaks=("lot",), seed=1999)
    again = allocate(
        dict(reversed(list(votes.items()))), 2, "dhondt", tie_breaks=("lot",), seed=1999
    )
    assert first.seats == again.seats
    lot = first.ties[0].lot
    assert lot is not None and lot.seed == 1999 and redraw(lot)
    assert set(first.ties[0].winners) == {p for p, s in first.seats.items() if s}
    assert "drawn by lot (seed 1999)" in first.explanation


def test_excess_whole_quotas_are_taken_back_by_smallest_remainder() -> None:
    # Imperiali quota 30/(2+2) = 7.5: whole quotas A 2 (remainder 0) + B 1 (0.5) = 3 > 2.
    result = allocate({"A": 15, "B": 8, "C": 7}, 2, "imperiali-quota")
    assert sum(result.seats.values()) == 2
    assert result.quota is not None
    assert result.quota.excess_taken_back == ("A",)
    assert result.seats == {"A": 1, "B": 1, "C": 0}
    assert "excess was taken back" in result.notes[0]


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ({"A": -1}, "votes cannot be negative"),
        ({"A": 1.5}, "votes must be a whole number"),
        ({"A": True}, "votes must be a whole number"),
        ({"": 5}, "empty party id"),
    ],
)
def test_bad_votes_are_refused(votes: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        allocate(votes, 1, "dhondt")  # type: ignore[arg-type]


def test_duplicate_lists_and_bad_method_or_seats_are_refused() -> None:
    twice = [ListEntry(PartyId("A"), 1), ListEntry(PartyId("A"), 2)]
    with pytest.raises(InputError, match="list A appears twice"):
        allocate(twice, 1, "dhondt")
    with pytest.raises(InputError, match="unknown method 'borda'"):
        allocate(VOTES, 1, "borda")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="seats must be a whole number"):
        allocate(VOTES, -1, "dhondt")


def test_zero_seats_gives_nothing() -> None:
    assert allocate(VOTES, 0, "hare").seats == {"A": 0, "B": 0, "C": 0, "D": 0}
