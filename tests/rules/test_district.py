"""Single-member districts under the 1999 Kazakh rules and their settings (kz-1999.md)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import InputError, RuleError, TieUnresolved
from saylau.law.schema import DistrictTier, NewVoting, Runoff
from saylau.rules.decision import CandidateId, Elected, Failed, Undecided
from saylau.rules.district import (
    DistrictCount,
    RunoffNeeded,
    RunoffPair,
    check_new_voting_candidates,
    first_round,
    new_voting,
    plurality,
    second_round,
    validate_count,
    withdraw,
)
from saylau.rules.ties import redraw


def ids(*names: str) -> tuple[CandidateId, ...]:
    return tuple(CandidateId(n) for n in names)


def count(
    votes: dict[str, Any],
    took_part: int | None = None,
    valid: int | None = None,
    registered: int | None = None,
    against_all: int = 0,
    order: dict[str, int] | None = None,
) -> DistrictCount:
    """A count; by default everyone who took part cast a valid vote for a line."""
    cast = sum(v for v in votes.values() if isinstance(v, int)) + against_all
    took = cast if took_part is None else took_part
    return DistrictCount(
        votes={CandidateId(k): v for k, v in votes.items()},
        took_part=took,
        valid=cast if valid is None else valid,
        registered=2 * took if registered is None else registered,
        against_all=against_all,
        registration_order=None if order is None else {CandidateId(k): v for k, v in order.items()},
    )


def kz1999(**changes: Any) -> DistrictTier:
    """The 1999 Majilis district tier: more than 50% of those who took part, else the top two."""
    runoff = changes.pop("runoff", Runoff())
    settings: dict[str, Any] = {
        "seats": 67,
        "rounds": 2,
        "win": "absolute_majority",
        "majority_base": "took_part",
        "runoff": runoff,
        "new_voting": NewVoting(original_candidates_barred=True),
    }
    settings.update(changes)
    return DistrictTier(**settings)


def one_round(**changes: Any) -> DistrictTier:
    return DistrictTier(seats=10, **changes)


def pair_of(*names: str, votes: tuple[int, ...] | None = None) -> RunoffPair:
    return RunoffPair(ids(*names), votes or tuple(0 for _ in names), "test pair")


# --- single round: plurality -----------------------------------------------------------------


def test_plurality_most_votes_wins() -> None:
    decision = plurality(count({"A": 50, "B": 30, "C": 20}), one_round())
    assert isinstance(decision, Elected)
    assert decision.kind == "elected"
    assert (decision.winner, decision.votes, decision.base) == ("A", 50, 100)
    assert decision.rule == "plurality"
    assert decision.round == 1
    assert decision.ties == ()
    assert decision.standings == (("A", 50), ("B", 30), ("C", 20))
    assert "A" in decision.reason
    assert "50" in decision.reason


def test_plurality_tie_is_drawn_by_lot_recorded_and_reproducible() -> None:
    tier = one_round(tie=["lot"])
    first = plurality(count({"A": 40, "B": 40, "C": 20}), tier, seed=7, context="district 3")
    again = plurality(count({"C": 20, "B": 40, "A": 40}), tier, seed=7, context="district 3")
    assert isinstance(first, Elected)
    assert first == again
    assert first.winner in ("A", "B")
    (tie,) = first.ties
    assert tie.rule == "lot"
    assert tie.among == ("A", "B")
    assert tie.winners == (first.winner,)
    assert tie.context == "district 3 round 1: first place"
    assert tie.lot is not None
    assert tie.lot.seed == 7
    assert redraw(tie.lot)
    assert tie.lot.order[0] == first.winner
    assert "lot" in first.reason


def test_plurality_tie_lot_follows_the_seed() -> None:
    tier = one_round(tie=["lot"])
    votes = dict.fromkeys("ABCDEFGH", 10)
    winners = set()
    for seed in range(30):
        decision = plurality(count(votes), tier, seed=seed)
        assert isinstance(decision, Elected)
        winners.add(decision.winner)
    assert len(winners) > 1


def test_plurality_tie_without_seed_is_not_guessed() -> None:
    with pytest.raises(TieUnresolved, match="no seed"):
        plurality(count({"A": 40, "B": 40}), one_round(tie=["lot"]))


def test_plurality_tie_by_registration_order_then_refused_without_order() -> None:
    tier = one_round(tie=["registration_order", "lot"])
    decision = plurality(count({"A": 40, "B": 40}, order={"A": 2, "B": 1}), tier, seed=1)
    assert isinstance(decision, Elected)
    assert decision.winner == "B"
    assert decision.ties[0].rule == "registration_order"
    assert decision.ties[0].lot is None
    with pytest.raises(TieUnresolved):
        plurality(count({"A": 40, "B": 40}), one_round(tie=["refuse"]))


def test_plurality_base_follows_the_majority_base_setting() -> None:
    c = count({"A": 50, "B": 30}, took_part=100, valid=90, against_all=10)
    took = plurality(c, one_round())
    valid = plurality(c, one_round(majority_base="valid"))
    assert (took.base, valid.base) == (100, 90)
    assert isinstance(valid, Elected)
    assert valid.base_name == "valid"


# --- first round: absolute majority ----------------------------------------------------------


def test_first_round_more_than_half_of_took_part_wins() -> None:
    decision = first_round(count({"A": 5001, "B": 4999}), kz1999())
    assert isinstance(decision, Elected)
    assert (decision.winner, decision.votes, decision.base) == ("A", 5001, 10000)
    assert decision.rule == "absolute_majority"
    assert decision.base_name == "took_part"


def test_first_round_exactly_half_is_not_a_win() -> None:
    decision = first_round(count({"A": 5000, "B": 4000, "C": 1000}), kz1999())
    assert isinstance(decision, RunoffNeeded)
    assert decision.kind == "runoff"
    assert decision.pair.candidates == ("A", "B")
    assert decision.leader_votes == 5000


def test_first_round_1999_base_counts_invalid_and_against_all() -> None:
    # 10,000 took part: 1,000 invalid, 500 against all, 8,500 for candidates.
    # A has 4,800: more than half of the 9,000 valid ballots, not of the 10,000 who took part.
    c = count({"A": 4800, "B": 3700}, took_part=10000, valid=9000, against_all=500)
    decision = first_round(c, kz1999())
    assert isinstance(decision, RunoffNeeded)
    assert decision.base == 10000
    assert decision.pair.candidates == ("A", "B")
    on_valid = first_round(c, kz1999(majority_base="valid"))
    assert isinstance(on_valid, Elected)
    assert (on_valid.winner, on_valid.base) == ("A", 9000)


def test_first_round_under_plurality_rule_is_plurality() -> None:
    tier = DistrictTier(seats=5, rounds=2, win="plurality", runoff=Runoff())
    decision = first_round(count({"A": 40, "B": 35, "C": 25}), tier)
    assert isinstance(decision, Elected)
    assert decision.rule == "plurality"


@pytest.mark.parametrize(
    ("took_part", "inclusive", "passes"),
    [(500, False, False), (501, False, True), (500, True, True), (499, True, False)],
)
def test_turnout_condition(took_part: int, inclusive: bool, passes: bool) -> None:
    tier = kz1999(min_turnout="50%", turnout_inclusive=inclusive)
    c = count({"A": took_part - 100, "B": 100}, registered=1000)
    decision = first_round(c, tier)
    if passes:
        assert isinstance(decision, Elected)
    else:
        assert isinstance(decision, Failed)
        assert decision.cause == "turnout"
        assert (decision.value, decision.base) == (took_part, 1000)
        assert decision.inclusive is inclusive
        assert "turnout" in decision.reason


def test_no_turnout_condition_in_1999() -> None:
    decision = first_round(count({"A": 9, "B": 1}, registered=1000), kz1999())
    assert isinstance(decision, Elected)


def test_turnout_condition_applies_to_plurality_too() -> None:
    decision = plurality(count({"A": 9, "B": 1}, registered=1000), one_round(min_turnout="1/2"))
    assert isinstance(decision, Failed)
    assert decision.cause == "turnout"


# --- the runoff pair -------------------------------------------------------------------------


def test_runoff_pair_is_the_top_two() -> None:
    decision = first_round(count({"C": 2000, "A": 4000, "D": 1000, "B": 3000}), kz1999())
    assert isinstance(decision, RunoffNeeded)
    assert decision.pair.candidates == ("A", "B")
    assert decision.pair.first_round_votes == (4000, 3000)
    assert decision.ties == ()


def test_runoff_with_three_candidates_setting() -> None:
    tier = kz1999(runoff=Runoff(candidates=3))
    decision = first_round(count({"A": 40, "B": 30, "C": 20, "D": 10}), tier)
    assert isinstance(decision, RunoffNeeded)
    assert decision.pair.candidates == ("A", "B", "C")


def test_tie_for_the_runoff_place_is_drawn_by_lot() -> None:
    c = count({"A": 4000, "B": 2500, "C": 2500, "D": 1000})
    decision = first_round(c, kz1999(), seed=1999, context="district 12")
    assert isinstance(decision, RunoffNeeded)
    assert decision.pair.candidates[0] == "A"
    assert decision.pair.candidates[1] in ("B", "C")
    (tie,) = decision.pair.ties
    assert tie.context == "district 12 round 1: runoff place"
    assert tie.among == ("B", "C")
    assert tie.places == 1
    assert tie.lot is not None
    assert redraw(tie.lot)
    assert tie.winners == (decision.pair.candidates[1],)
    reordered = count({"D": 1000, "C": 2500, "B": 2500, "A": 4000})
    assert first_round(reordered, kz1999(), seed=1999, context="district 12") == decision


def test_three_tied_for_both_runoff_places() -> None:
    decision = first_round(count({"A": 30, "B": 30, "C": 30, "D": 10}), kz1999(), seed=5)
    assert isinstance(decision, RunoffNeeded)
    (tie,) = decision.pair.ties
    assert tie.places == 2
    assert set(decision.pair.candidates) < {"A", "B", "C"}
    assert len(decision.pair.candidates) == 2


def test_tie_for_the_runoff_place_refused() -> None:
    tier = kz1999(runoff=Runoff(place_tie=["refuse"]))
    with pytest.raises(TieUnresolved, match="runoff place"):
        first_round(count({"A": 40, "B": 25, "C": 25}), tier, seed=1, context="district 12")


def test_tie_for_the_runoff_place_by_registration_order() -> None:
    tier = kz1999(runoff=Runoff(place_tie=["registration_order", "lot"]))
    c = count({"A": 40, "B": 25, "C": 25}, order={"A": 1, "B": 3, "C": 2})
    decision = first_round(c, tier)
    assert isinstance(decision, RunoffNeeded)
    assert decision.pair.candidates == ("A", "C")


# --- second round ----------------------------------------------------------------------------


def test_second_round_more_votes_than_the_other_wins() -> None:
    decision = second_round(pair_of("A", "B"), count({"A": 400, "B": 600}), Runoff())
    assert isinstance(decision, Elected)
    assert (decision.winner, decision.votes, decision.round) == ("B", 600, 2)
    assert decision.rule == "plurality"


def test_second_round_win_needs_no_majority_of_took_part_under_plurality() -> None:
    c = count({"A": 300, "B": 200}, took_part=1000, valid=600, against_all=100)
    decision = second_round(pair_of("A", "B"), c, Runoff())
    assert isinstance(decision, Elected)
    assert decision.winner == "A"


def test_second_round_absolute_majority_setting() -> None:
    runoff = Runoff(win="absolute_majority")
    short = count({"A": 450, "B": 400}, took_part=1000, valid=1000, against_all=150)
    decision = second_round(pair_of("A", "B"), short, runoff)
    assert isinstance(decision, Failed)
    assert decision.cause == "no_majority"
    enough = count({"A": 501, "B": 400}, took_part=1000, valid=1000, against_all=99)
    assert isinstance(second_round(pair_of("A", "B"), enough, runoff), Elected)


def test_second_round_tie_is_undecided_by_default() -> None:
    decision = second_round(pair_of("A", "B"), count({"A": 500, "B": 500}), Runoff(), seed=1)
    assert isinstance(decision, Undecided)
    assert decision.kind == "undecided"
    assert decision.tied == ("A", "B")
    assert decision.votes == 500
    assert "recorded resolution" in decision.reason


def test_second_round_tie_by_lot_setting() -> None:
    runoff = Runoff(tie="lot")
    decision = second_round(
        pair_of("A", "B"), count({"A": 500, "B": 500}), runoff, seed=3, context="district 9"
    )
    assert isinstance(decision, Elected)
    (tie,) = decision.ties
    assert tie.context == "district 9 round 2: winner"
    assert tie.lot is not None
    assert redraw(tie.lot)
    assert decision.winner == tie.winners[0]


def test_second_round_tie_refused_setting() -> None:
    with pytest.raises(TieUnresolved, match="tied"):
        second_round(pair_of("A", "B"), count({"A": 5, "B": 5}), Runoff(tie="refuse"))


def test_second_round_refuses_votes_outside_the_pair() -> None:
    with pytest.raises(InputError, match="C"):
        second_round(pair_of("A", "B"), count({"A": 5, "B": 4, "C": 1}), Runoff())
    with pytest.raises(InputError, match="B"):
        second_round(pair_of("A", "B"), count({"A": 5}), Runoff())


def test_second_round_turnout_setting() -> None:
    runoff = Runoff(min_turnout="25%")
    low = count({"A": 150, "B": 100}, registered=1000)
    decision = second_round(pair_of("A", "B"), low, runoff)
    assert isinstance(decision, Failed)
    assert decision.round == 2
    inclusive = second_round(pair_of("A", "B"), low, runoff, turnout_inclusive=True)
    assert isinstance(inclusive, Elected)


def test_second_round_against_all_setting() -> None:
    c = count({"A": 300, "B": 200}, against_all=400)
    assert isinstance(second_round(pair_of("A", "B"), c, Runoff()), Elected)
    failed = second_round(pair_of("A", "B"), c, Runoff(), against_all_wins="new_voting")
    assert isinstance(failed, Failed)
    assert failed.cause == "against_all"


# --- withdrawal ------------------------------------------------------------------------------


def test_withdrawal_next_moves_up() -> None:
    c = count({"A": 40, "B": 30, "C": 20, "D": 10})
    decision = first_round(c, kz1999())
    assert isinstance(decision, RunoffNeeded)
    pair = withdraw(decision.pair, CandidateId("B"), c, Runoff())
    assert pair.candidates == ("A", "C")
    assert pair.first_round_votes == (40, 20)
    assert pair.withdrawn == ("B",)
    assert "C" in pair.reason
    # A second withdrawal moves D up; B, gone, does not come back.
    later = withdraw(pair, CandidateId("A"), c, Runoff())
    assert later.candidates == ("C", "D")
    assert later.withdrawn == ("B", "A")


def test_withdrawal_tie_for_the_place_moving_up_is_drawn() -> None:
    c = count({"A": 40, "B": 30, "C": 15, "D": 15})
    pair = withdraw(pair_of("A", "B"), CandidateId("B"), c, Runoff(), seed=11, context="d1")
    assert pair.candidates[0] == "A"
    assert pair.candidates[1] in ("C", "D")
    (tie,) = pair.ties
    assert tie.context == "d1 withdrawal of B: runoff place"
    assert tie.lot is not None
    assert redraw(tie.lot)
    with pytest.raises(TieUnresolved):
        withdraw(pair_of("A", "B"), CandidateId("B"), c, Runoff(place_tie=["refuse"]))


def test_withdrawal_remaining_only_setting_and_a_lone_candidate_wins() -> None:
    c = count({"A": 40, "B": 30, "C": 20})
    runoff = Runoff(withdrawal="remaining_only")
    pair = withdraw(pair_of("A", "B"), CandidateId("A"), c, runoff)
    assert pair.candidates == ("B",)
    decision = second_round(
        pair, count({"B": 70}, took_part=100, valid=100, against_all=30), runoff
    )
    assert isinstance(decision, Elected)
    assert decision.winner == "B"


def test_withdrawal_with_no_one_left_to_move_up() -> None:
    pair = withdraw(pair_of("A", "B"), CandidateId("A"), count({"A": 6, "B": 4}), Runoff())
    assert pair.candidates == ("B",)


def test_withdrawal_of_someone_not_in_the_pair_is_refused() -> None:
    with pytest.raises(InputError, match="C"):
        withdraw(pair_of("A", "B"), CandidateId("C"), count({"A": 5, "B": 4, "C": 1}), Runoff())


# --- new voting ------------------------------------------------------------------------------


def test_new_voting_bars_the_original_candidates() -> None:
    original = ids("A", "B", "C")
    violations = check_new_voting_candidates(
        original, ids("B", "X"), NewVoting(original_candidates_barred=True), "Atyrau"
    )
    assert [(v.code, v.candidate) for v in violations] == [("original_candidate_barred", "B")]
    with pytest.raises(InputError, match="B"):
        new_voting(original, count({"B": 60, "X": 40}), kz1999(), context="Atyrau")


def test_new_voting_with_fresh_candidates_is_decided_like_round_one() -> None:
    original = ids("A", "B")
    decided = new_voting(original, count({"X": 60, "Y": 40}), kz1999())
    assert isinstance(decided, Elected)
    assert decided.winner == "X"
    runoff = new_voting(original, count({"X": 45, "Y": 35, "Z": 20}), kz1999())
    assert isinstance(runoff, RunoffNeeded)
    assert runoff.pair.candidates == ("X", "Y")


def test_new_voting_when_the_law_does_not_bar_the_original_candidates() -> None:
    tier = kz1999(new_voting=NewVoting(original_candidates_barred=False))
    assert check_new_voting_candidates(ids("A"), ids("A"), tier.new_voting) == ()
    decision = new_voting(ids("A", "B"), count({"A": 60, "B": 40}), tier)
    assert isinstance(decision, Elected)


# --- against all -----------------------------------------------------------------------------


def test_against_all_has_no_effect_beyond_the_base_by_default() -> None:
    c = count({"A": 3000, "B": 2000}, against_all=5000)
    decision = first_round(c, kz1999())
    assert isinstance(decision, RunoffNeeded)
    assert decision.base == 10000
    single = plurality(c, one_round())
    assert isinstance(single, Elected)
    assert single.winner == "A"


def test_against_all_wins_means_new_voting_under_that_setting() -> None:
    tier = kz1999(against_all_wins="new_voting")
    decision = first_round(count({"A": 3000, "B": 2000}, against_all=3001), tier)
    assert isinstance(decision, Failed)
    assert decision.cause == "against_all"
    assert decision.value == 3001
    assert "new voting" in decision.reason
    # Against all must beat every candidate: level with the leader is not enough.
    level = first_round(count({"A": 3000, "B": 2000}, against_all=3000), tier)
    assert isinstance(level, RunoffNeeded)
    single = plurality(
        count({"A": 30, "B": 20}, against_all=31), one_round(against_all_wins="new_voting")
    )
    assert isinstance(single, Failed)


# --- input errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1, "negative"), (1.0, "whole number"), (True, "whole number"), ("5", "whole number")],
)
def test_bad_vote_counts_are_refused_naming_the_candidate(value: Any, message: str) -> None:
    c = DistrictCount(
        votes={CandidateId("A"): 5, CandidateId("Bob"): value},
        took_part=10,
        valid=10,
        registered=10,
    )
    with pytest.raises(InputError, match=f"Bob.*{message}"):
        first_round(c, kz1999())


def test_votes_exceeding_took_part_are_refused() -> None:
    c = count({"A": 60, "B": 50}, took_part=100, valid=100)
    with pytest.raises(InputError, match="more than the 100 valid ballots"):
        first_round(c, kz1999(), context="district 4")
    with pytest.raises(InputError, match=r"^district 4: "):
        validate_count(c, "district 4")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid": 90}, "more than the 90 valid ballots"),
        ({"valid": 110, "took_part": 100}, "valid ballots, but only 100 voters who took part"),
        ({"valid": 100, "ballots_found": 99}, "valid ballots, but only 99 ballots found"),
        ({"registered": 99}, "only 99 are registered"),
        ({"against_all": -1}, "against_all cannot be negative"),
        ({"took_part": 100.0}, "took_part must be a whole number"),
    ],
)
def test_control_relations(changes: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {
        "votes": {CandidateId("A"): 60, CandidateId("B"): 40},
        "took_part": 100,
        "valid": 100,
        "registered": 200,
    }
    fields.update(changes)
    with pytest.raises(InputError, match=message):
        validate_count(DistrictCount(**fields))


def test_no_candidates_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no candidates"):
        plurality(DistrictCount({}, 0, 0, 0), one_round())


def test_errors_belong_to_the_tree() -> None:
    assert issubclass(TieUnresolved, RuleError)


# --- properties ------------------------------------------------------------------------------

VOTES = st.dictionaries(
    st.sampled_from("ABCDEFG"), st.integers(min_value=0, max_value=50), min_size=1
)


@given(votes=VOTES, invalid=st.integers(0, 20), against=st.integers(0, 20), seed=st.integers())
def test_first_round_matches_the_rule_and_ignores_input_order(
    votes: dict[str, int], invalid: int, against: int, seed: int
) -> None:
    took = sum(votes.values()) + against + invalid
    c = count(votes, took_part=took, valid=took - invalid, against_all=against)
    flipped = count(
        dict(reversed(list(votes.items()))),
        took_part=took,
        valid=took - invalid,
        against_all=against,
    )
    decision = first_round(c, kz1999(), seed=seed, context="d")
    assert first_round(flipped, kz1999(), seed=seed, context="d") == decision
    leader = max(votes.values())
    if leader * 2 > took:
        assert isinstance(decision, Elected)
        assert votes[decision.winner] == leader
    else:
        assert isinstance(decision, RunoffNeeded)
        chosen = decision.pair.candidates
        assert len(chosen) == min(2, len(votes))
        outside = [v for k, v in votes.items() if k not in chosen]
        assert all(votes[k] >= v for k in chosen for v in outside)
