"""Turnout by territory: the Kolmogorov-Smirnov distance, and the areas it names."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from saylau.analysis.territories import distance_from_rest, ks_distance, turnout_by_area

values = st.lists(st.integers(0, 20), min_size=1, max_size=30).map(lambda xs: np.array(xs) / 20)


def test_the_distance_of_alike_and_of_apart() -> None:
    a = np.array([0.1, 0.2, 0.3])
    assert ks_distance(a, a) == 0
    assert ks_distance(a, a + 1) == 1
    # F_a and F_b at 0.2: 2/3 and 0, the largest gap
    assert ks_distance(a, np.array([0.25, 0.3, 0.35])) == 2 / 3


@given(values, values)
def test_the_distance_from_the_rest_is_the_two_sample_statistic(
    area: np.ndarray, rest: np.ndarray
) -> None:
    every = np.sort(np.concatenate([area, rest]))
    assert distance_from_rest(area, every) == ks_distance(area, rest)


def test_the_area_whose_turnout_differs_is_named_first() -> None:
    rng = np.random.default_rng(5)
    registered = np.full(400, 1000)
    rates = np.where(np.arange(400) < 100, 0.3, 0.6)
    took_part = rng.binomial(registered, rates)
    areas = np.array(["low"] * 100 + ["x"] * 100 + ["y"] * 100 + ["z"] * 90 + ["tiny"] * 10)
    found = turnout_by_area(registered, took_part, areas, {"low": "Low town"}, "territory")
    assert found.most_distant[0] == "low"
    first = found.areas[0]
    assert (first.name, first.stations, first.distance) == ("Low town", 100, 1.0)
    tiny = next(a for a in found.areas if a.area_id == "tiny")
    assert tiny.distance is None and found.areas[-1] is tiny
    assert found.histogram.column("stations").to_numpy().sum() == 400
    assert found.left_out == 0
    few = turnout_by_area(
        np.array([99, 100]), np.array([50, 101]), np.array(["a", "a"]), {}, "district"
    )
    assert (few.stations, few.left_out, few.most_distant) == (0, 2, ())
