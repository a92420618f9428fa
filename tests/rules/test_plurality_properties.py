"""Plurality districts (first past the post, one round) against a plain reference: the most
votes wins, and a tie for first goes to the law's tie rule (issue 21, item 6)."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import TieUnresolved
from saylau.law.loader import load_law
from saylau.law.schema import DistrictTier, Law, TieBreak
from saylau.rules.decision import CandidateId, Elected
from saylau.rules.district import DistrictCount, plurality
from saylau.rules.ties import redraw
from saylau.stages.calendar import run_calendar
from tests.stages.demo import demo_inputs, demo_laws

REFUSED = "refused"
LOT = "lot"

NAMES = st.sampled_from("ABCDEF")
VOTES = st.dictionaries(NAMES, st.integers(0, 30), min_size=1, max_size=6)


@st.composite
def chains(draw: st.DrawFn) -> tuple[TieBreak, ...]:
    """A chain as a law may write it: `lot` or `refuse` only last, no step twice."""
    sorting: list[TieBreak] = ["more_votes", "registration_order"]
    settling: list[TieBreak | None] = [None, "lot", "refuse"]
    middle = draw(st.lists(st.sampled_from(sorting), unique=True))
    last = draw(st.sampled_from(settling))
    chain: list[TieBreak] = [*middle, *([last] if last else [])]
    return tuple(chain) if chain else ("lot",)


def reference(
    votes: dict[str, int], chain: tuple[TieBreak, ...], order: dict[str, int] | None
) -> str:
    """The plain rule: the most votes wins; a tie for first goes down the chain. Returns the
    winner, LOT where a lot among the tied decides, or REFUSED."""
    top = max(votes.values())
    tied = sorted(c for c, v in votes.items() if v == top)
    for step in chain:
        if len(tied) == 1:
            break
        if step == "refuse":
            return REFUSED
        if step == "lot":
            return LOT
        if step == "registration_order":
            if order is None or any(c not in order for c in tied):
                return REFUSED
            earliest = min(order[c] for c in tied)
            tied = [c for c in tied if order[c] == earliest]
        # more_votes: the tied have the same votes, so it separates none of them
    return tied[0] if len(tied) == 1 else REFUSED


def count(votes: dict[str, int], order: dict[str, int] | None = None) -> DistrictCount:
    cast = sum(votes.values())
    return DistrictCount(
        votes={CandidateId(k): v for k, v in votes.items()},
        took_part=cast + 3,
        valid=cast,
        registered=2 * cast + 10,
        registration_order=None if order is None else {CandidateId(k): v for k, v in order.items()},
    )


@given(
    votes=VOTES,
    chain=chains(),
    orders=st.none() | st.permutations(range(1, 7)),
    seed=st.integers(0, 10_000),
)
def test_plurality_matches_the_reference(
    votes: dict[str, int], chain: tuple[TieBreak, ...], orders: list[int] | None, seed: int
) -> None:
    order = None if orders is None else dict(zip("ABCDEF", orders, strict=True))
    tier = DistrictTier(seats=1, tie=chain)
    expected = reference(votes, chain, order)
    try:
        decision: Any = plurality(count(votes, order), tier, seed=seed, context="d")
    except TieUnresolved:
        assert expected == REFUSED, (votes, chain, order)
        return
    assert isinstance(decision, Elected)
    assert decision.votes == max(votes.values())
    assert decision.rule == "plurality"
    assert decision.round == 1
    if expected == LOT:
        (tie,) = decision.ties
        top = max(votes.values())
        assert decision.winner in {c for c, v in votes.items() if v == top}
        assert tie.lot is not None and redraw(tie.lot)
        assert tie.lot.order[0] == decision.winner
    else:
        assert decision.winner == expected, (votes, chain, order)


@given(votes=VOTES, seed=st.integers(0, 10_000))
def test_plurality_ignores_the_order_the_votes_are_given_in(
    votes: dict[str, int], seed: int
) -> None:
    tier = DistrictTier(seats=1, tie=("lot",))
    first = plurality(count(votes), tier, seed=seed, context="d")
    again = plurality(count(dict(reversed(list(votes.items())))), tier, seed=seed, context="d")
    assert first == again


def _one_round(law: Law) -> Law:
    """The demo law with its districts decided in one round by plurality, ties refused."""
    assert law.district_tier is not None
    tier = law.district_tier.model_dump(exclude_unset=True)
    tier.update(rounds=1, win="plurality", runoff=None, tie=("refuse",))
    tier.pop("sources", None)
    return law.model_copy(update={"district_tier": DistrictTier.model_validate(tier)})


def test_a_one_round_plurality_law_elects_each_districts_leader() -> None:
    """Run as law data: the demo election under `rounds = 1`, `win = "plurality"` elects in
    each district the candidate with the most first-round votes (its second round unused)."""
    inputs = demo_inputs()
    protocols = {k: v for k, v in inputs.protocols.items() if k[1] == 1}
    inputs = dataclasses.replace(inputs, protocols=protocols)
    result = run_calendar(inputs, {"house": _one_round(demo_laws()["house"])})
    winners = {}
    for (contest, _), table in protocols.items():
        if contest == "house-list":
            continue
        names = [c for c in table.column_names if c.startswith(contest.removeprefix("house-"))]
        totals = {c: sum(table.column(c).to_pylist()) for c in names}
        winners[contest] = reference(totals, ("refuse",), None)
    seated = {
        d.contest_id: d.decision.winner
        for d in result.decisions_of("house")
        if isinstance(d.decision, Elected)
    }
    assert seated == winners
    assert len(winners) == 3
    assert set(winners.values()).isdisjoint({REFUSED, LOT})


def test_the_duma_law_holds_plurality_districts_as_data() -> None:
    tier = load_law("ru-2016-duma").district_tier
    assert tier is not None
    assert (tier.rounds, tier.win, tier.runoff) == (1, "plurality", None)
