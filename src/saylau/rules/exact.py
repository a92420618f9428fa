"""Exact comparisons of a part with a share of a whole, and percentages for reading."""

from __future__ import annotations

from fractions import Fraction


def meets_share(part: int, whole: int, share: Fraction, *, inclusive: bool) -> bool:
    """`part` is more than (or, when inclusive, at least) `share` of `whole`, exactly."""
    if inclusive:
        return part * share.denominator >= share.numerator * whole
    return part * share.denominator > share.numerator * whole


def percent(part: int, whole: int) -> str:
    """A share for a reason, rounded half up to two decimals, computed with integers."""
    if whole == 0:
        return "no base"
    hundredths = (part * 20000 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"
