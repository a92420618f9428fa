"""Shares are exact: strings and integers only, never floats."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.law import format_share, parse_share


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("7%", Fraction(7, 100)),
        ("7.5%", Fraction(3, 40)),
        ("1/2", Fraction(1, 2)),
        ("0.4", Fraction(2, 5)),
        (1, Fraction(1)),
        (0, Fraction(0)),
        (" 50 % ", Fraction(1, 2)),
    ],
)
def test_shares_parse_exactly(text: object, share: Fraction) -> None:
    assert parse_share(text) == share


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.07, "is a float, which is not exact"),
        (True, "not a boolean"),
        ("seven", "is not a share"),
        ("150%", "not between"),
        ("-1%", "not between"),
        ([7], "not list"),
    ],
)
def test_bad_shares_are_refused(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_share(value)


@pytest.mark.parametrize(
    ("share", "text"),
    [(Fraction(7, 100), "7%"), (Fraction(3, 40), "7.5%"), (Fraction(1, 3), "1/3")],
)
def test_shares_format_for_reading(share: Fraction, text: str) -> None:
    assert format_share(share) == text
