"""The electoral-college vote: the 1999 Senate elected by the maslikhats (kz-1999.md)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import InputError, TieUnresolved
from saylau.law.schema import IndirectTier
from saylau.rules.decision import CandidateId, Elected, Failed, Undecided
from saylau.rules.indirect import (
    CollegeCount,
    NoQuorum,
    SecondRoundNeeded,
    indirect_vote,
    validate_college,
)
from saylau.rules.ties import redraw


def college(
    votes: dict[str, Any], electors: int = 100, present: int = 80, took_part: int | None = None
) -> CollegeCount:
    return CollegeCount(electors, present, {CandidateId(k): v for k, v in votes.items()}, took_part)


def senate(**changes: Any) -> IndirectTier:
    """The 1999 Senate: quorum more than 50% of electors; more than 50% of those who voted."""
    settings: dict[str, Any] = {
        "seats_elected": 32,
        "seats_contested": 16,
        "seats_per_territory": 2,
        "electors": "all maslikhat deputies of the region, joint session",
        "quorum": "50%",
        "win_share": "1/2",
    }
    settings.update(changes)
    return IndirectTier(**settings)


# --- quorum ----------------------------------------------------------------------------------


def test_exactly_half_present_is_not_a_quorum() -> None:
    decision = indirect_vote(college({"A": 50}, present=50), senate(), context="Almaty oblast")
    assert isinstance(decision, NoQuorum)
    assert decision.kind == "no_quorum"
    assert (decision.present, decision.electors) == (50, 100)
    assert decision.inclusive is False
    assert "no quorum" in decision.reason
    assert decision.context == "Almaty oblast"


def test_more_than_half_present_is_a_quorum() -> None:
    decision = indirect_vote(college({"A": 51}, present=51), senate())
    assert isinstance(decision, Elected)


def test_inclusive_quorum_setting_accepts_exactly_half() -> None:
    decision = indirect_vote(college({"A": 50}, present=50), senate(quorum_inclusive=True))
    assert isinstance(decision, Elected)


def test_quorum_applies_in_the_second_round_too() -> None:
    decision = indirect_vote(college({"A": 30, "B": 10}, present=40), senate(), round=2)
    assert isinstance(decision, NoQuorum)
    assert decision.round == 2


# --- first round -----------------------------------------------------------------------------


def test_first_round_more_than_half_of_those_who_took_part_wins() -> None:
    decision = indirect_vote(college({"A": 41, "B": 39}), senate())
    assert isinstance(decision, Elected)
    assert (decision.winner, decision.votes, decision.base) == ("A", 41, 80)
    assert decision.base_name == "took_part"
    assert decision.rule == "win_share"
    assert decision.round == 1


def test_first_round_exactly_half_goes_to_a_second_round() -> None:
    decision = indirect_vote(college({"A": 40, "B": 30, "C": 10}), senate())
    assert isinstance(decision, SecondRoundNeeded)
    assert decision.kind == "second_round"
    assert decision.candidates == ("A", "B")
    assert decision.leader_votes == 40
    assert decision.ties == ()


def test_inclusive_win_setting_accepts_exactly_half() -> None:
    decision = indirect_vote(college({"A": 40, "B": 30, "C": 10}), senate(win_inclusive=True))
    assert isinstance(decision, Elected)
    assert decision.winner == "A"


def test_took_part_counts_those_who_received_a_ballot_not_all_present() -> None:
    # 80 present, 70 took a ballot: 36 is more than half of 70, not of 80.
    decision = indirect_vote(college({"A": 36, "B": 30}, took_part=70), senate())
    assert isinstance(decision, Elected)
    assert decision.base == 70
    assert isinstance(indirect_vote(college({"A": 36, "B": 30}), senate()), SecondRoundNeeded)


def test_win_base_electors_setting() -> None:
    # 45 of 80 present is more than half, of 100 electors it is not.
    decision = indirect_vote(college({"A": 45, "B": 35}), senate(win_base="electors"))
    assert isinstance(decision, SecondRoundNeeded)
    assert (decision.base, decision.base_name) == (100, "electors")
    assert isinstance(indirect_vote(college({"A": 45, "B": 35}), senate()), Elected)


def test_tie_for_the_second_round_place_is_drawn_by_lot() -> None:
    c = college({"A": 30, "B": 25, "C": 25})
    decision = indirect_vote(c, senate(), seed=1999, context="Astana")
    assert isinstance(decision, SecondRoundNeeded)
    assert decision.candidates[0] == "A"
    assert decision.candidates[1] in ("B", "C")
    (tie,) = decision.ties
    assert tie.context == "Astana round 1: second-round place"
    assert tie.among == ("B", "C")
    assert tie.lot is not None
    assert redraw(tie.lot)
    reordered = college({"C": 25, "B": 25, "A": 30})
    assert indirect_vote(reordered, senate(), seed=1999, context="Astana") == decision


def test_tie_for_the_second_round_place_needs_a_seed() -> None:
    with pytest.raises(TieUnresolved, match="no seed"):
        indirect_vote(college({"A": 30, "B": 25, "C": 25}), senate())


def test_tie_for_the_second_round_place_follows_the_law_setting() -> None:
    tier = senate(second_round_place_tie=["refuse"])
    with pytest.raises(TieUnresolved, match="second-round place: B, C are tied"):
        indirect_vote(college({"A": 30, "B": 25, "C": 25}), tier, seed=1999)


def test_more_second_round_candidates_setting() -> None:
    tier = senate(second_round_candidates=3)
    decision = indirect_vote(college({"A": 30, "B": 25, "C": 15, "D": 10}), tier)
    assert isinstance(decision, SecondRoundNeeded)
    assert decision.candidates == ("A", "B", "C")


# --- second round ----------------------------------------------------------------------------


def test_second_round_most_votes_wins() -> None:
    decision = indirect_vote(college({"A": 38, "B": 40}), senate(), round=2)
    assert isinstance(decision, Elected)
    assert (decision.winner, decision.votes, decision.base) == ("B", 40, 80)
    assert decision.rule == "most_votes"
    assert decision.round == 2


def test_second_round_40_percent_minimum_setting() -> None:
    tier = senate(second_round_min_share="40%")
    short = indirect_vote(college({"A": 31, "B": 30}), tier, round=2)
    assert isinstance(short, Failed)
    assert short.cause == "below_min_share"
    assert (short.value, short.base) == (31, 80)
    assert "40%" in short.reason
    # Exactly 40% ("at least 40%") is enough.
    enough = indirect_vote(college({"A": 32, "B": 30}), tier, round=2)
    assert isinstance(enough, Elected)
    # Without the setting the same vote elects.
    assert isinstance(indirect_vote(college({"A": 31, "B": 30}), senate(), round=2), Elected)


def test_second_round_tie_is_undecided_by_default() -> None:
    decision = indirect_vote(college({"A": 40, "B": 40}), senate(), round=2, seed=1)
    assert isinstance(decision, Undecided)
    assert decision.tied == ("A", "B")
    assert decision.round == 2
    assert "recorded resolution" in decision.reason


def test_second_round_tie_by_lot_setting() -> None:
    decision = indirect_vote(
        college({"A": 40, "B": 40}), senate(tie="lot"), round=2, seed=4, context="Atyrau"
    )
    assert isinstance(decision, Elected)
    (tie,) = decision.ties
    assert tie.context == "Atyrau round 2: winner"
    assert tie.lot is not None
    assert redraw(tie.lot)
    assert decision.winner == tie.winners[0]


def test_second_round_tie_refused_setting() -> None:
    with pytest.raises(TieUnresolved, match="tied"):
        indirect_vote(college({"A": 40, "B": 40}), senate(tie="refuse"), round=2)


def test_a_tie_below_the_minimum_share_fails_rather_than_ties() -> None:
    tier = senate(second_round_min_share="40%", tie="refuse")
    decision = indirect_vote(college({"A": 30, "B": 30, "C": 20}), tier, round=2)
    assert isinstance(decision, Failed)


def test_ballot_refuses_votes_for_others() -> None:
    with pytest.raises(InputError, match="C"):
        indirect_vote(
            college({"A": 40, "B": 30, "C": 5}), senate(), round=2, ballot=[CandidateId("A")]
        )


# --- input errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"votes": {"A": -1}}, "A cannot be negative"),
        ({"votes": {"A": 2.5}}, "A must be a whole number"),
        ({"votes": {"A": 50, "B": 40}}, "more than the 80 who took part"),
        ({"votes": {"A": 5}, "present": 101}, "only 100"),
        ({"votes": {"A": 5}, "took_part": 81}, "only 80 electors were present"),
        ({"votes": {"A": 5}, "electors": 0, "present": 0}, "no electors"),
        ({"votes": {}}, "no candidates"),
    ],
)
def test_input_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_college(college(**kwargs))


# --- properties ------------------------------------------------------------------------------


@given(
    votes=st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 20), min_size=1),
    abstained=st.integers(0, 10),
    seed=st.integers(),
)
def test_first_round_rule_and_order_independence(
    votes: dict[str, int], abstained: int, seed: int
) -> None:
    present = sum(votes.values()) + abstained
    electors = present * 2 - 1 if present > 0 else 1
    forward = indirect_vote(college(votes, electors, present), senate(), seed=seed)
    backward = college(dict(reversed(list(votes.items()))), electors, present)
    assert indirect_vote(backward, senate(), seed=seed) == forward
    top = max(votes.values())
    if present == 0 or present * 2 <= electors:
        assert isinstance(forward, NoQuorum)
    elif top * 2 > present:
        assert isinstance(forward, Elected)
    else:
        assert isinstance(forward, SecondRoundNeeded)
