"""The integer-percentage test: exact definitions, exact probabilities, and what it finds on
synthetic protocols, clean and with a known number of planted whole percentages."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.analysis.integer_percent import (
    IntegerPercent,
    hit_probability,
    inclusion,
    integer_mask,
    integer_percent_test,
    is_integer_percent,
)
from saylau.analysis.stations import figures_of
from tests.analysis.synthetic import Synthetic, clean, counted, planted


def run_test(data: Synthetic, draws: int = 1000, literal: bool = False) -> IntegerPercent:
    """The test on the protocols as a run checks them (the leader `a`; base: took part)."""
    figures = figures_of(counted(data), data.registry(), "took_part")
    column = {n: figures.table.column(n).to_numpy() for n in ("registered", "took_part")}
    return integer_percent_test(
        column["registered"],
        column["took_part"],
        figures.table.column("votes").to_numpy(),
        figures.table.column("base").to_numpy(),
        draws=draws,
        literal=literal,
    )


@pytest.mark.parametrize(
    ("part", "whole", "integer"),
    [
        (859, 2000, True),  # 42.95%: exactly on the edge, counted
        (858, 2000, False),  # 42.90%
        (860, 2000, True),  # 43%
        (861, 2000, True),  # 43.05%: the other edge
        (862, 2000, False),  # 43.10%
        (1, 3, False),  # 33.33...%
        (2, 3, False),  # 66.66...%
        (0, 7, True),
        (7, 7, True),
        (1999, 2000, True),  # 99.95%: within 0.05 of 100
    ],
)
def test_the_edge_is_counted_exactly(part: int, whole: int, integer: bool) -> None:
    assert is_integer_percent(part, whole) is integer
    assert bool(integer_mask(np.array([part]), np.array([whole]))[0]) is integer


@given(st.integers(1, 10**7).flatmap(lambda b: st.tuples(st.integers(0, b), st.just(b))))
def test_the_integer_test_is_the_fraction_definition(case: tuple[int, int]) -> None:
    part, whole = case
    percent = Fraction(100 * part, whole)
    nearest = round(percent)
    assert is_integer_percent(part, whole) is (abs(percent - nearest) <= Fraction(1, 20))
    assert bool(integer_mask(np.array([part]), np.array([whole]))[0]) is is_integer_percent(
        part, whole
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 160).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_the_probability_of_an_integer_percentage_is_the_binomial_sum(
    case: tuple[int, int],
) -> None:
    """Against the binomial probabilities summed exactly, in fractions."""
    n, k = case
    p = Fraction(k, n)
    exact = sum(
        comb(n, x) * p**x * (1 - p) ** (n - x) for x in range(n + 1) if is_integer_percent(x, n)
    )
    (found,) = hit_probability(np.array([n]), np.array([k]))
    assert found == pytest.approx(float(exact), abs=1e-12)


def test_a_station_without_a_base_has_no_probability() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        hit_probability(np.array([0]), np.array([0]))
    empty = integer_percent_test(*(np.array([50]),) * 4, draws=10)
    assert empty.stations_included == 0 and empty.expected.either == 0


def test_the_inclusion_rules_count_what_they_leave_out() -> None:
    registered = np.array([99, 100, 100, 200, 200, 1000])
    took_part = np.array([50, 0, 99, 199, 100, 600])
    votes = np.array([10, 0, 50, 100, 100, 300])
    base = took_part.copy()
    keep, excluded = inclusion(registered, took_part, votes, base)
    assert keep.tolist() == [False, False, True, False, False, True]
    assert list(excluded.values()) == [1, 1, 1, 1]  # each rule, in order


def test_clean_protocols_show_no_excess_beyond_the_spread() -> None:
    """Counted honestly, five elections of 20,000 stations: the observed counts of integer
    turnouts and shares stay within three Monte Carlo spreads of the expected."""
    for seed in range(5):
        found = run_test(clean(20_000, seed))
        assert found.stations_included == 20_000
        for key in ("turnout", "share", "either"):
            excess, spread = getattr(found.excess, key), getattr(found.spread, key)
            assert abs(excess) <= 3 * spread, (seed, key, excess, spread)


def test_planted_whole_percentages_are_found_within_the_spread() -> None:
    """20,000 stations, of which 200 report their turnout and 200 others the leader's share
    as a whole percentage. The excess is the planted number, within three spreads; more
    precisely, it is the planted number less the planted stations' own chance of a whole
    percentage (the expectation counts it). The observed counts, through the check and the
    station table a run uses, are those counted directly on the protocols' lines."""
    for seed in range(3):
        data = planted(clean(20_000, seed), turnout=200, share=200)
        lines = data.lines
        found = run_test(data)
        for key, rows, part, whole in (
            ("turnout", data.turnout, "took_part", "registered"),
            ("share", data.share, "a", "took_part"),
        ):
            assert integer_mask(lines[part][rows], lines[whole][rows]).all()
            direct = integer_mask(lines[part], lines[whole]).sum()
            assert getattr(found.observed, key) == direct
            excess, spread = getattr(found.excess, key), getattr(found.spread, key)
            assert abs(excess - 200) <= 3 * spread, (seed, key, excess, spread)
            assert excess >= 3 * spread  # found: far beyond chance
            chance = hit_probability(lines[whole][rows], lines[part][rows]).sum()
            assert abs(excess - (200 - chance)) <= 3 * spread
        assert abs(found.excess.either - 400) <= 3 * found.spread.either


def test_event_draws_and_literal_binomial_draws_agree() -> None:
    """The resamples drawn as events from their exact probability, and drawn as binomial
    counts then tested, give the same expectation within four standard errors."""
    data = clean(3_000, 11)
    fast, literal = run_test(data, draws=400), run_test(data, draws=400, literal=True)
    assert literal.literal and not fast.literal
    for key in ("turnout", "share", "either"):
        error = getattr(fast.spread, key) / 400**0.5
        assert (
            abs(getattr(fast.expected, key) - getattr(literal.expected, key)) <= 4 * 2**0.5 * error
        )
        assert getattr(fast.expected_exact, key) == pytest.approx(
            getattr(fast.expected, key), abs=4 * error
        )


def test_the_resamples_are_reproducible_from_their_seed() -> None:
    data = clean(2_000, 3)
    assert run_test(data) == run_test(data)
    other = integer_percent_test(
        *(data.lines[k] for k in ("registered", "took_part", "a", "took_part")), seed=1
    )
    assert other.seed == 1 and other.expected != run_test(data).expected
