"""Exact share comparisons and integer-rounded percentages."""

from __future__ import annotations

from fractions import Fraction

from saylau.rules.exact import meets_share, percent


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
