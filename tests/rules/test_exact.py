"""Exact share comparisons and integer-rounded percentages."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.rules.exact import fixed, meets_share, percent, percent_of


def test_meets_share_is_exact_and_strict_unless_inclusive() -> None:
    half = Fraction(1, 2)
    assert not meets_share(50, 100, half, inclusive=False)
    assert meets_share(50, 100, half, inclusive=True)
    assert meets_share(51, 100, half, inclusive=False)
    seven = Fraction(7, 100)
    # 7% of 5,253,864 is 367,770.48: 367,770 is short, 367,771 is enough.
    assert not meets_share(367_770, 5_253_864, seven, inclusive=True)
    assert meets_share(367_771, 5_253_864, seven, inclusive=True)


def test_percent_rounds_half_up_with_integers() -> None:
    assert percent(1, 3) == "33.33%"
    assert percent(2, 3) == "66.67%"
    assert percent(1, 8) == "12.50%"
    assert percent(0, 0) == "no base"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(5253864 * 100, 8411757), 2, "62.46"),
        (Fraction(5253864 * 100, 8411757) - Fraction(798, 10), 1, "-17.3"),
        (Fraction(1, 200), 2, "0.01"),
        (Fraction(-1, 200), 2, "-0.01"),
        (Fraction(-1, 1000), 2, "0.00"),
        (Fraction(7), 0, "7"),
        (Fraction(0), 2, "0.00"),
    ],
)
def test_fixed(value: Fraction, places: int, text: str) -> None:
    assert fixed(value, places) == text


def test_percent_of_has_no_base_at_zero() -> None:
    assert percent_of(1622895, 5253864) == "30.89"
    assert percent_of(1, 0) is None
