"""Tie-break chains, recorded lots and refusals."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import TieUnresolved
from saylau.rules.ties import Contender, break_tie, draw_lot, redraw


def test_a_chain_narrows_the_tie_step_by_step() -> None:
    # Three tied for two places: more votes settles one place, registration order the other.
    tied = [Contender("A", 10, 3), Contender("B", 12, 2), Contender("C", 10, 1)]
    resolution = break_tie(tied, 2, ["more_votes", "registration_order"], context="seat 5")
    assert resolution.winners == ("B", "C")
    assert resolution.rule == "registration_order"
    assert resolution.among == ("A", "B", "C")
    assert "the one registered earlier wins: B, C" in resolution.describe()


def test_the_first_rule_that_settles_it_is_recorded() -> None:
    tied = [Contender("A", 10), Contender("B", 12)]
    resolution = break_tie(tied, 1, ["more_votes", "lot"], context="seat 1", seed=1)
    assert resolution.winners == ("B",)
    assert resolution.rule == "more_votes"
    assert resolution.lot is None


def test_refuse_and_an_exhausted_chain_raise() -> None:
    tied = [Contender("A", 10), Contender("B", 10)]
    with pytest.raises(TieUnresolved, match="seat 3: A, B are tied for 1 place"):
        break_tie(tied, 1, ["refuse"], context="seat 3")
    with pytest.raises(TieUnresolved, match=r"tie-breaks \(more_votes\) do not settle it"):
        break_tie(tied, 1, ["more_votes"], context="seat 3")


def test_places_must_be_fewer_than_the_tied() -> None:
    with pytest.raises(ValueError, match="fewer places"):
        break_tie([Contender("A", 1), Contender("B", 1)], 2, ["lot"], context="x", seed=1)


def test_a_tampered_lot_does_not_redraw() -> None:
    lot = draw_lot(2024, "district 12 round 1: runoff place", ["B", "C", "A"])
    assert redraw(lot)
    assert lot.among == ("A", "B", "C")
    assert sorted(lot.order) == ["A", "B", "C"]
    tampered = replace(lot, order=tuple(reversed(lot.order)))
    assert not redraw(tampered)


@given(
    names=st.lists(
        st.text("abcdefgh", min_size=1, max_size=3), min_size=2, max_size=6, unique=True
    ),
    seed=st.integers(),
    shuffle=st.randoms(use_true_random=False),
)
def test_a_lot_depends_on_the_seed_context_and_names_only(
    names: list[str], seed: int, shuffle: random.Random
) -> None:
    shuffled = list(names)
    shuffle.shuffle(shuffled)
    assert draw_lot(seed, "seat 1", names) == draw_lot(seed, "seat 1", shuffled)


def test_different_seeds_draw_different_orders() -> None:
    names = [f"c{i}" for i in range(8)]
    orders = {draw_lot(seed, "seat 1", names).order for seed in range(20)}
    assert len(orders) > 10
