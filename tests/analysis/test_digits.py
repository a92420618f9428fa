"""Last-digit tests and the chi-square survival function, against published tables."""

from __future__ import annotations

import numpy as np
import pytest

from saylau.analysis.digits import chi2_sf, last_digits


@pytest.mark.parametrize(
    ("x", "df", "p"),
    [
        # NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.4, "Critical values of the
        # chi-square distribution" (upper tail): the value each probability is exceeded with.
        (3.841, 1, 0.05),
        (6.635, 1, 0.01),
        (5.991, 2, 0.05),
        (11.070, 5, 0.05),
        (16.919, 9, 0.05),
        (21.666, 9, 0.01),
        (27.877, 9, 0.001),
        (18.307, 10, 0.05),
        (2.088, 9, 0.99),
    ],
)
def test_the_survival_function_meets_the_published_critical_values(
    x: float, df: int, p: float
) -> None:
    assert chi2_sf(x, df) == pytest.approx(p, rel=2e-3)


def test_the_even_case_is_the_exponential_series() -> None:
    """Two degrees of freedom: P(X > x) = e^(-x/2) exactly."""
    for x in (0.5, 2.0, 10.0):
        assert chi2_sf(x, 2) == pytest.approx(np.exp(-x / 2), rel=1e-15)
    assert chi2_sf(0.0, 9) == 1.0


def test_uniform_last_digits_pass_and_one_digit_fails() -> None:
    uniform = np.arange(10, 1010)  # every last digit 100 times
    found = last_digits(uniform, "a")
    assert found.digits == (100,) * 10 and found.chi_square == 0 and found.p_value == 1
    rounded = np.full(500, 120)  # every count ends in 0
    skewed = last_digits(rounded, "b")
    assert skewed.chi_square == pytest.approx(4500) and skewed.p_value is not None
    assert skewed.p_value < 1e-300 or skewed.p_value == 0


def test_small_counts_are_left_out_and_too_few_counts_get_no_p_value() -> None:
    found = last_digits(np.array([0, 3, 9, 10, 11, 25]), "c")
    assert found.below_10 == 3 and found.counts == 3
    assert found.chi_square is None and found.p_value is None
    assert found.median == 11
