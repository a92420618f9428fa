"""Exact comparisons of a part with a share of a whole, and rounded figures for reading."""

from __future__ import annotations

from fractions import Fraction


def meets_share(part: int, whole: int, share: Fraction, *, inclusive: bool) -> bool:
    """`part` is more than (or, when inclusive, at least) `share` of `whole`, exactly."""
    if inclusive:
        return part * share.denominator >= share.numerator * whole
    return part * share.denominator > share.numerator * whole


def fixed(value: Fraction, places: int = 2) -> str:
    """`value` with `places` decimals, rounded half away from zero: "62.46", "-17.34".

    Rounding happens here, and only for display.
    """
    scale = 10**places
    scaled = abs(value) * scale
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    sign = "-" if value < 0 and whole else ""
    text = str(whole).rjust(places + 1, "0")
    return f"{sign}{text[:-places]}.{text[-places:]}" if places else f"{sign}{text}"


def percent_of(part: int, whole: int, places: int = 2) -> str | None:
    """`part` as a percentage of `whole`, or None when there is no base."""
    return fixed(Fraction(100 * part, whole), places) if whole else None


def percent(part: int, whole: int) -> str:
    """A share for a reason, rounded half up to two decimals: "30.89%"."""
    shown = percent_of(part, whole)
    return "no base" if shown is None else f"{shown}%"
