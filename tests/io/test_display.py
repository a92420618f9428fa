"""Rounding happens only for display: half away from zero, at a fixed number of places."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.io.display import fixed, percent_of


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
