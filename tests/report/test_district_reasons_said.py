"""Every reason the district rules give is a message (saylau.said.Said) whose every template
the Kazakh and Russian catalogs translate, under many laws: a majority, a plurality with
ties and lots, conditions of validity, an uncontested vote, too few candidates for a runoff,
a turnout too low, against all winning, round 2 with each of its tie rules, a withdrawal, a
lone runoff, a recorded resolution and the repeat elections' notes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.law.schema import Condition, DistrictTier, Runoff
from saylau.report import i18n
from saylau.rules.decision import CandidateId, Undecided, resolve_tie
from saylau.rules.district import (
    DistrictCount,
    RunoffNeeded,
    RunoffPair,
    first_round,
    second_round,
    withdraw,
)
from saylau.rules.district_cases import (
    lone_runoff,
    repeat_election_due,
    repeat_election_held,
    repeat_not_due,
    repeat_summary,
)
from saylau.said import Said
from tests.rules.test_validity_properties import conditions, counts

WORDS = re.compile(r"[A-Za-z]{2,}")


def _templates(text: str) -> Iterator[str]:
    """The templates of a Said and of every Said among its facts."""
    assert isinstance(text, Said), f"not a message: {text!r}"
    yield text.template
    stack = list(text.params.values())
    while stack:
        value = stack.pop()
        if isinstance(value, tuple):
            stack.extend(value)
        elif isinstance(value, Said):
            yield value.template
            stack.extend(value.params.values())


def untranslated(text: str) -> list[str]:
    """The templates of `text` with words that Kazakh or Russian leaves in English."""
    found = []
    for template in _templates(text):
        if not WORDS.search(re.sub(r"%\([a-z_0-9]+\)s", "", template)):
            continue  # glue: "%(context)s %(what)s", "%(part0)s; %(part1)s"
        for language in ("kk", "ru"):
            with i18n.using(language):
                if i18n.gettext(template) == template:
                    found.append(f"{language}: {template}")
    return found


def _laws(alternatives: tuple[Condition, ...]) -> list[DistrictTier]:
    majority = Runoff(win="absolute_majority", tie="undecided")
    return [
        DistrictTier(seats=1, rounds=2, win="absolute_majority", runoff=Runoff()),
        DistrictTier(seats=1, tie=["lot"]),
        DistrictTier(seats=1, validity=alternatives),
        DistrictTier(
            seats=1, rounds=2, runoff=Runoff(validity=alternatives), validity=alternatives
        ),
        DistrictTier(seats=1, uncontested=alternatives, win="plurality"),
        DistrictTier(
            seats=1,
            rounds=2,
            win="absolute_majority",
            runoff=Runoff(min_round1_candidates=3, tie_by_round1=True, tie="lot"),
        ),
        DistrictTier(seats=1, min_turnout="1/2", turnout_inclusive=True),
        DistrictTier(seats=1, min_turnout="1/2", against_all_wins="new_voting"),
        DistrictTier(seats=1, rounds=2, win="absolute_majority", runoff=majority),
    ]


@settings(max_examples=60, deadline=None)
@given(count=counts(), alternatives=conditions(), against=st.integers(0, 500))
def test_every_district_reason_is_said_in_kazakh_and_russian(
    count: DistrictCount, alternatives: tuple[Condition, ...], against: int
) -> None:
    if count.valid - sum(count.votes.values()) >= against:
        count = replace(count, against_all=against)
    for law in _laws(alternatives):
        decision = first_round(count, law, seed=3, context="d1")
        assert untranslated(decision.reason) == []
        if not isinstance(decision, RunoffNeeded) or law.runoff is None:
            continue
        assert untranslated(decision.pair.reason) == []
        pair = decision.pair
        round2 = replace(count, votes={c: count.votes[c] for c in pair.candidates})
        again = second_round(pair, round2, law.runoff, seed=3, context="d1")
        assert untranslated(again.reason) == []
        if isinstance(again, Undecided):
            settled = resolve_tie(again, again.tied[0], "lot", "protocol 7")
            assert untranslated(settled.reason) == []
        gone = withdraw(decision.pair, decision.pair.candidates[0], count, law.runoff, seed=3)
        assert untranslated(gone.reason) == []


def test_the_rare_cases_are_said_in_kazakh_and_russian() -> None:
    votes = {CandidateId("a"): 40, CandidateId("b"): 40, CandidateId("c"): 10}
    count = DistrictCount(votes, 100, 90, 200)
    pair = RunoffPair((CandidateId("a"), CandidateId("b")), (40, 40), "the top two")
    for rule in ("undecided", "lot"):
        for by_round1 in (False, True):
            runoff = Runoff(tie=rule, tie_by_round1=by_round1)
            tied = DistrictCount({CandidateId("a"): 45, CandidateId("b"): 45}, 100, 90, 200)
            assert untranslated(second_round(pair, tied, runoff, seed=1).reason) == []
    for left in ("remaining_only", "next_moves_up"):
        gone = withdraw(pair, CandidateId("a"), count, Runoff(withdrawal=left))
        assert untranslated(gone.reason) == []
    for single in ("elected", "failed"):
        lone = lone_runoff((CandidateId("a"),), Runoff(single_candidate=single))
        assert lone is not None and untranslated(lone.reason) == []
    failed = Said("no one is elected")  # a reason as the rules might give it
    notes = [
        repeat_election_due(failed),
        repeat_election_held("d1-repeat", failed),
        repeat_summary(2, 1, 1),
        *(
            repeat_not_due("d1-repeat", "d1", why)
            for why in ("vacant", "not_decided", "not_failed")
        ),
    ]
    for note in notes:
        assert untranslated(note) == [] or untranslated(note) == [
            f"{lang}: no one is elected" for lang in ("kk", "ru")
        ]
