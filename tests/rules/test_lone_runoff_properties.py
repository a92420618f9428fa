"""A second round left with one candidate (`district_tier.runoff.single_candidate`), checked
with hypothesis against a plain reference written from the setting's words:

- `runoff_rule` (the default, and what every bundled law does): the round is held under the
  runoff's own rule, as if contested: by plurality the only candidate wins whatever the
  votes; by an absolute majority only with more than half of those who took part;
- `uncontested`: the round is held under the conditions of `district_tier.uncontested`, as
  round 1 with one candidate on the ballot is;
- `elected`: the candidate is seated without a vote;
- `failed`: no vote is held and no one is elected.
"""

from __future__ import annotations

from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from saylau.law.schema import Condition, DistrictTier, Runoff
from saylau.rules.decision import CandidateId, Elected, Failed
from saylau.rules.district import DistrictCount, RunoffPair, second_round
from tests.rules.test_validity_properties import conditions, counts, reference

Choice = Literal["runoff_rule", "uncontested", "elected", "failed"]
WinRule = Literal["plurality", "absolute_majority"]


def lone_reference(
    count: DistrictCount, choice: Choice, win: WinRule, alternatives: tuple[Condition, ...]
) -> str:
    """'elected', 'unopposed' (seated without a vote) or the cause of a failed voting."""
    if choice == "elected":
        return "unopposed"
    if choice == "failed":
        return "too_few_candidates"
    if choice == "uncontested":
        outcome = reference(count, alternatives)
        return {"not_met": "below_min_share", "no_alternative": "turnout"}.get(outcome, outcome)
    votes = next(iter(count.votes.values()))
    if win == "plurality" or 2 * votes > count.took_part:
        return "elected"
    return "no_majority"


@given(
    count=counts(candidates=1),
    choice=st.sampled_from(["runoff_rule", "uncontested", "elected", "failed"]),
    win=st.sampled_from(["plurality", "absolute_majority"]),
    alternatives=conditions(),
)
def test_a_runoff_left_with_one_candidate_follows_the_law(
    count: DistrictCount, choice: Choice, win: WinRule, alternatives: tuple[Condition, ...]
) -> None:
    only = next(iter(count.votes))
    pair = RunoffPair((only,), (5,), "the only one left")
    runoff = Runoff(win=win, single_candidate=choice)
    decision = second_round(pair, count, runoff, seed=1, uncontested=alternatives)
    expected = lone_reference(count, choice, win, alternatives)
    assert decision.round == 2
    if expected in ("elected", "unopposed"):
        assert isinstance(decision, Elected) and decision.winner == only
        assert (decision.rule == "unopposed") is (expected == "unopposed")
    else:
        assert isinstance(decision, Failed) and decision.cause == expected


@given(
    count=counts(),
    choice=st.sampled_from(["runoff_rule", "uncontested", "elected", "failed"]),
    alternatives=conditions(),
)
def test_a_runoff_of_two_or_more_ignores_the_setting(
    count: DistrictCount, choice: Choice, alternatives: tuple[Condition, ...]
) -> None:
    if len(count.votes) < 2:
        return
    pair = RunoffPair(tuple(count.votes), tuple(count.votes.values()), "the top ones")
    plain = second_round(pair, count, Runoff(tie="lot"), seed=3)
    varied = Runoff(tie="lot", single_candidate=choice)
    assert second_round(pair, count, varied, seed=3, uncontested=alternatives) == plain


def test_today_the_lone_candidate_is_elected_by_plurality_with_any_votes() -> None:
    """The default keeps what Saylau did before the setting: the runoff's own rule."""
    only = CandidateId("a")
    count = DistrictCount({only: 0}, 100, 0, 1_000)
    pair = RunoffPair((only,), (40,), "the only one left")
    decision = second_round(pair, count, Runoff())
    assert isinstance(decision, Elected) and decision.rule == "plurality"
    assert decision.reason == (
        "a has more votes (0) than the other (no other candidate): elected in round 2"
    )


def test_the_uncontested_choice_needs_uncontested_conditions() -> None:
    with pytest.raises(ValidationError, match=r"runoff.single_candidate = 'uncontested'"):
        DistrictTier(seats=1, rounds=2, runoff=Runoff(single_candidate="uncontested"))


def test_a_bad_choice_is_named() -> None:
    with pytest.raises(ValidationError, match="single_candidate"):
        Runoff.model_validate({"single_candidate": "walkover"})
