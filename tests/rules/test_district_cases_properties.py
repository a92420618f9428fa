"""District cases a law settles apart from its round's rule, checked with hypothesis against
plain reference implementations written from the laws' words:

- one candidate on the ballot (`district_tier.uncontested`; Ukraine 2019: the only candidate
  needs the majority of the votes cast): the alternatives decide as a validity rule does,
  and where none elects, no one is elected and the voting fails, with no runoff;
- too few candidates in round 1 for a runoff (`runoff.min_round1_candidates`; Lithuania,
  art. 88(3)-(4): a second voting only where more than two stood);
- a second-round tie settled by the first round's votes (`runoff.tie_by_round1`; Lithuania,
  art. 88(3): the one with more votes in the first voting, equal there too, a lot).
"""

from __future__ import annotations

from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import TieUnresolved
from saylau.law.schema import Condition, DistrictTier, Runoff
from saylau.rules.decision import CandidateId, Elected, Failed, Undecided
from saylau.rules.district import (
    DistrictCount,
    RunoffNeeded,
    RunoffPair,
    first_round,
    new_voting,
    second_round,
)
from tests.rules.test_validity_properties import conditions, counts, reference


@given(count=counts(candidates=1), alternatives=conditions(), rounds=st.sampled_from([1, 2]))
def test_an_uncontested_round_follows_its_own_alternatives(
    count: DistrictCount, alternatives: tuple[Condition, ...], rounds: int
) -> None:
    """The only candidate is elected where the alternative that applies is met; otherwise
    no one is, in one round or two (there is no one to meet in a runoff)."""
    law = DistrictTier(
        seats=1,
        rounds=rounds,
        runoff=Runoff() if rounds == 2 else None,
        win="absolute_majority" if rounds == 2 else "plurality",
        uncontested=alternatives,
    )
    expected = reference(count, alternatives)
    for decision in (first_round(count, law, seed=1), new_voting((), count, law, seed=1)):
        if expected == "elected":
            assert isinstance(decision, Elected)
            assert (decision.winner, decision.rule) == (next(iter(count.votes)), "uncontested")
        else:
            assert isinstance(decision, Failed)
            assert decision.cause == ("below_min_share" if expected == "not_met" else "turnout")


@given(count=counts(), alternatives=conditions())
def test_a_contested_round_ignores_the_uncontested_rule(
    count: DistrictCount, alternatives: tuple[Condition, ...]
) -> None:
    """With two or more on the ballot the round's own rule decides, as if the law had no
    rule for an uncontested district."""
    plain = DistrictTier(seats=1, rounds=2, runoff=Runoff(), win="absolute_majority")
    law = plain.model_copy(update={"uncontested": alternatives})
    if len(count.votes) > 1:
        assert first_round(count, law, seed=1) == first_round(count, plain, seed=1)


def runoff_reference(count: DistrictCount, needed: int) -> str:
    """Round 1 under an absolute majority of those who took part: 'elected' with more than
    half; otherwise 'runoff' where at least `needed` candidates stood, else 'failed'."""
    if 2 * max(count.votes.values()) > count.took_part:
        return "elected"
    return "runoff" if len(count.votes) >= needed else "failed"


@given(count=counts(), needed=st.integers(1, 6))
def test_a_runoff_needs_enough_candidates_in_round_one(count: DistrictCount, needed: int) -> None:
    law = DistrictTier(
        seats=1, rounds=2, win="absolute_majority", runoff=Runoff(min_round1_candidates=needed)
    )
    decision = first_round(count, law, seed=1)
    expected = runoff_reference(count, needed)
    if expected == "elected":
        assert isinstance(decision, Elected)
    elif expected == "runoff":
        assert isinstance(decision, RunoffNeeded)
    else:
        assert isinstance(decision, Failed)
        assert decision.cause == "too_few_candidates"


@given(count=counts(), needed=st.integers(1, 6), data=st.data())
def test_too_few_candidates_fail_under_validity_alternatives_too(
    count: DistrictCount, needed: int, data: st.DataObject
) -> None:
    """Where a validity rule elects no one, the same bar on the candidates applies."""
    alternatives = data.draw(conditions())
    law = DistrictTier(
        seats=1, rounds=2, validity=alternatives, runoff=Runoff(min_round1_candidates=needed)
    )
    decision = first_round(count, law, seed=1)
    if reference(count, alternatives) != "not_met":
        assert not isinstance(decision, RunoffNeeded)
    elif len(count.votes) >= needed:
        assert isinstance(decision, RunoffNeeded)
    else:
        assert isinstance(decision, Failed) and decision.cause == "too_few_candidates"


TieRule = Literal["undecided", "lot", "refuse"]


def tie_reference(
    votes: dict[str, int], earlier: dict[str, int], by_round1: bool, tie: TieRule
) -> str:
    """The one with more votes wins round 2; tied, the one with more votes in round 1 where
    the law says so; still tied, `tie`: 'lot', 'undecided' or 'refused'."""
    top = max(votes.values())
    tied = [c for c, v in votes.items() if v == top]
    if len(tied) > 1 and by_round1:
        best = max(earlier[c] for c in tied)
        tied = [c for c in tied if earlier[c] == best]
    if len(tied) == 1:
        return tied[0]
    return {"undecided": "undecided", "lot": "lot", "refuse": "refused"}[tie]


@given(
    second=st.tuples(st.integers(0, 6), st.integers(0, 6)),
    first=st.tuples(st.integers(0, 6), st.integers(0, 6)),
    by_round1=st.booleans(),
    tie=st.sampled_from(["undecided", "lot", "refuse"]),
)
def test_a_second_round_tie_goes_to_round_one_then_the_tie_rule(
    second: tuple[int, int], first: tuple[int, int], by_round1: bool, tie: TieRule
) -> None:
    a, b = CandidateId("a"), CandidateId("b")
    votes = {a: second[0], b: second[1]}
    cast = sum(second)
    count = DistrictCount(votes, cast + 1, cast, cast + 10)
    pair = RunoffPair((a, b), first, "the top two")
    runoff = Runoff(tie=tie, tie_by_round1=by_round1)
    expected = tie_reference(dict(votes), {a: first[0], b: first[1]}, by_round1, tie)
    try:
        decision = second_round(pair, count, runoff, seed=7)
    except TieUnresolved:
        assert expected == "refused"
        return
    if expected == "undecided":
        assert isinstance(decision, Undecided) and set(decision.tied) == {a, b}
    elif expected == "lot":
        assert isinstance(decision, Elected) and len(decision.ties) == 1
    else:
        assert isinstance(decision, Elected) and decision.winner == expected
        assert not decision.ties
