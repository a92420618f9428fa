"""Validity rules for a round as alternative conditions, each naming its base, checked with
hypothesis against a plain reference implementation written from the law's words:

    try the alternatives in order; the first whose turnout the round reaches (those who took
    part, of the registered; always, when it names none) decides: the leader is elected with
    more than (or at least) its share of its base. Where it does not elect, round 1 goes to
    a runoff (or fails in a one-round law) and a runoff fails; where none applies, the
    voting fails on its turnout.

The example is the issue's: more than half of those who took part, if turnout is at least
40%; otherwise the most votes with at least one fifth of the registered.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from saylau.law.schema import Condition, DistrictTier, IndirectTier, NewVoting, Runoff
from saylau.rules.decision import CandidateId, Elected, Failed
from saylau.rules.district import (
    DistrictCount,
    RunoffNeeded,
    RunoffPair,
    first_round,
    new_voting,
    second_round,
)
from saylau.rules.indirect import CollegeCount, SecondRoundNeeded, indirect_vote

EXAMPLE = (
    {"turnout": "40%", "share": "1/2", "base": "took_part"},
    {"share": "1/5", "base": "registered", "inclusive": True},
)
"""The issue's rule: > 1/2 of those who took part at a turnout of 40% or more, otherwise
the most votes with at least 1/5 of the registered."""

bases = st.sampled_from(["took_part", "ballots_found", "valid", "candidate_votes", "registered"])
fractions = st.fractions(min_value=0, max_value=1, max_denominator=20)


@st.composite
def conditions(draw: st.DrawFn) -> tuple[Condition, ...]:
    size = draw(st.integers(min_value=1, max_value=3))
    found = []
    for i in range(size):
        last = i == size - 1
        found.append(
            Condition(
                turnout=draw(st.none() | fractions) if last else draw(fractions),
                turnout_inclusive=draw(st.booleans()),
                share=draw(fractions),
                base=draw(bases),
                inclusive=draw(st.booleans()),
            )
        )
    return tuple(found)


@st.composite
def counts(draw: st.DrawFn, candidates: int | None = None) -> DistrictCount:
    """A count whose lines hold together: votes <= valid <= found = took part <= registered."""
    size = candidates or draw(st.integers(min_value=1, max_value=5))
    votes = {CandidateId(f"c{i}"): draw(st.integers(0, 400)) for i in range(size)}
    valid = sum(votes.values()) + draw(st.integers(0, 50))
    took = valid + draw(st.integers(0, 50))
    registered = took + draw(st.integers(0, 1_500))
    return DistrictCount(votes, took, valid, max(registered, 1), ballots_found=took)


def reference(count: DistrictCount, alternatives: tuple[Condition, ...]) -> str:
    """'elected', 'not_met' or 'no_alternative', as the law's words say."""
    took, registered = count.took_part, count.registered
    top = max(count.votes.values())
    for condition in alternatives:
        if condition.turnout is not None:
            bar = condition.turnout * registered
            reached = took >= bar if condition.turnout_inclusive else took > bar
            if not reached:
                continue
        whole = {
            "took_part": took,
            "ballots_found": count.ballots_found,
            "valid": count.valid,
            "candidate_votes": sum(count.votes.values()),
            "registered": registered,
        }[condition.base]
        assert whole is not None
        needed = condition.share * whole
        return "elected" if (top >= needed if condition.inclusive else top > needed) else "not_met"
    return "no_alternative"


def tier(alternatives: tuple[Condition, ...], rounds: int = 2, **more: Any) -> DistrictTier:
    runoff = Runoff() if rounds == 2 else None
    return DistrictTier(
        seats=1, rounds=rounds, runoff=runoff, tie=["lot"], validity=alternatives, **more
    )


@given(count=counts(), alternatives=conditions(), rounds=st.sampled_from([1, 2]))
def test_round_one_follows_the_first_alternative_that_applies(
    count: DistrictCount, alternatives: tuple[Condition, ...], rounds: int
) -> None:
    decision = first_round(count, tier(alternatives, rounds), seed=1)
    expected = reference(count, alternatives)
    if expected == "elected":
        assert isinstance(decision, Elected)
        assert decision.votes == max(count.votes.values())
        assert decision.rule == "validity"
    elif expected == "not_met" and rounds == 2:
        assert isinstance(decision, RunoffNeeded)
    elif expected == "not_met":
        assert isinstance(decision, Failed)
        assert decision.cause == "below_min_share"
    else:
        assert isinstance(decision, Failed)
        assert decision.cause == "turnout"


@given(count=counts(candidates=2), alternatives=conditions())
def test_a_runoff_follows_its_own_alternatives(
    count: DistrictCount, alternatives: tuple[Condition, ...]
) -> None:
    pair = RunoffPair(tuple(count.votes), tuple(count.votes.values()), "the top two")
    runoff = Runoff(validity=alternatives, tie="lot")
    decision = second_round(pair, count, runoff, seed=1)
    expected = reference(count, alternatives)
    if expected == "elected":
        assert isinstance(decision, Elected)
        assert decision.votes == max(count.votes.values())
    else:
        assert isinstance(decision, Failed)
        assert decision.cause == ("below_min_share" if expected == "not_met" else "turnout")


@given(count=counts(), alternatives=conditions())
def test_new_voting_follows_its_own_alternatives(
    count: DistrictCount, alternatives: tuple[Condition, ...]
) -> None:
    plain = DistrictTier(seats=1, rounds=1, new_voting=NewVoting(validity=alternatives))
    decision = new_voting((), count, plain, seed=1)
    expected = reference(count, alternatives)
    assert isinstance(decision, Elected) is (expected == "elected")


def _count(took: int, registered: int, votes: dict[str, int]) -> DistrictCount:
    cast = {CandidateId(k): v for k, v in votes.items()}
    return DistrictCount(cast, took, sum(votes.values()), registered)


def test_the_issue_example_over_40_percent_turnout_needs_more_than_half() -> None:
    law = tier(tuple(Condition.model_validate(c) for c in EXAMPLE))
    decision = first_round(_count(500, 1_000, {"a": 251, "b": 249}), law, seed=1)
    assert isinstance(decision, Elected)
    assert decision.reason == (
        "a has the most votes; the leader's 251 of 500 voters who took part (50.20%) reaches "
        "more than 50%, under validity alternative 1, which applies as turnout 500 of 1,000 "
        "registered (50.00%) is at least 40%: elected in round 1"
    )
    runoff = first_round(_count(500, 1_000, {"a": 250, "b": 250}), law, seed=1)
    assert isinstance(runoff, RunoffNeeded)


def test_the_issue_example_under_40_percent_needs_a_fifth_of_the_registered() -> None:
    law = tier(tuple(Condition.model_validate(c) for c in EXAMPLE))
    elected = first_round(_count(390, 1_000, {"a": 200, "b": 190}), law, seed=1)
    assert isinstance(elected, Elected)
    assert (elected.base, elected.base_name) == (1_000, "registered")
    short = first_round(_count(390, 1_000, {"a": 199, "b": 191}), law, seed=1)
    assert isinstance(short, RunoffNeeded)
    assert short.reason == (
        "the leader's 199 of 1,000 registered (19.90%) does not reach at least 20%, under "
        "validity alternative 2, which applies at any turnout: a, b go to a second round"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"validity": [{"share": "1/2", "base": "took_part"}] * 2}, "only the last may omit"),
        ({"validity": [EXAMPLE[1]], "win": "plurality"}, "validity replaces win"),
        ({"validity": [EXAMPLE[1]], "majority_base": "valid"}, "validity replaces"),
        ({"validity": [{"share": 0.5, "base": "took_part"}]}, "float"),
        ({"validity": [{"share": "1/2", "base": "electors"}]}, "validity"),
    ],
)
def test_validity_is_validated(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DistrictTier(seats=1, rounds=2, runoff=Runoff(), **settings)


def test_a_runoffs_validity_replaces_its_win() -> None:
    with pytest.raises(ValidationError, match="validity replaces win"):
        Runoff(win="absolute_majority", validity=[EXAMPLE[1]])


def college(alternatives: tuple[dict[str, Any], ...], second: tuple[dict[str, Any], ...] = ()):  # type: ignore[no-untyped-def]
    return IndirectTier(
        seats_elected=1,
        seats_contested=1,
        electors="maslikhats",
        quorum="1/2",
        validity=alternatives,
        second_round_validity=second,
    )


@given(
    electors=st.integers(1, 300),
    data=st.data(),
    alternatives=conditions().filter(
        lambda cs: all(c.base in ("took_part", "registered", "candidate_votes") for c in cs)
    ),
    round_no=st.sampled_from([1, 2]),
)
def test_a_college_follows_its_alternatives(
    electors: int, data: st.DataObject, alternatives: tuple[Condition, ...], round_no: int
) -> None:
    present = data.draw(st.integers(electors // 2 + 1, electors))
    votes = {CandidateId(f"c{i}"): data.draw(st.integers(0, present // 3)) for i in range(3)}
    count = CollegeCount(electors, present, votes)
    law = IndirectTier(
        seats_elected=1,
        seats_contested=1,
        electors="maslikhats",
        quorum="1/2",
        tie="lot",
        **(
            {"validity": alternatives}
            if round_no == 1
            else {"win_share": "1/2", "second_round_validity": alternatives}
        ),
    )
    decision = indirect_vote(count, law, round_no, seed=1)  # type: ignore[arg-type]
    # a college's turnout is those who took part of the electors, its registered
    as_district = DistrictCount(votes, present, present, electors, ballots_found=present)
    expected = reference(as_district, alternatives)
    if expected == "elected":
        assert isinstance(decision, Elected)
    elif expected == "not_met" and round_no == 1:
        assert isinstance(decision, SecondRoundNeeded)
    else:
        assert isinstance(decision, Failed)


def test_a_college_needs_a_rule_for_its_first_round() -> None:
    with pytest.raises(ValidationError, match="set win_share, or validity"):
        IndirectTier(seats_elected=1, seats_contested=1, electors="m", quorum="1/2")
    with pytest.raises(ValidationError, match="took_part, registered"):
        IndirectTier(
            seats_elected=1,
            seats_contested=1,
            electors="m",
            quorum="1/2",
            validity=[{"share": "1/2", "base": "valid"}],
        )
    assert (
        Fraction(1, 2)
        == IndirectTier(
            seats_elected=1, seats_contested=1, electors="m", quorum="1/2", win_share="1/2"
        ).win_share
    )


def test_a_law_cites_each_alternative_and_not_what_validity_replaces() -> None:
    from saylau.law.schema import Law, uncited_settings

    cited = {
        "seats": "[V] S1",
        "rounds": "[V] S1",
        "min_turnout": "[V] S1",
        "turnout_inclusive": "[V] S1",
        "tie": "[V] S1",
        "against_all_wins": "[V] S1",
        "failed": "[V] S1",
    }
    everything = dict.fromkeys(("turnout", "turnout_inclusive", "share"), "[V] S1")
    law = Law.model_validate(
        {
            "id": "v",
            "name": "V",
            "country": "XX",
            "chamber": "House",
            "year": 2030,
            "seats_total": 1,
            "majority": 1,
            "protocol": {"relations": []},
            "references": {"S1": "an act"},
            "district_tier": {
                "seats": 1,
                "rounds": 1,
                "sources": cited,
                "new_voting": {"sources": {"original_candidates_barred": "[V] S1"}},
                "validity": [
                    {**EXAMPLE[0], "sources": {**everything, "base": "[V] S1"}},
                    {**EXAMPLE[1], "sources": everything},
                ],
            },
        }
    )
    assert uncited_settings(law) == [  # win and majority_base are replaced: no citation
        "district_tier.validity.0.inclusive",
        "district_tier.validity.1.base",
        "district_tier.validity.1.inclusive",
    ]
