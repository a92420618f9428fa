"""Exact figures made readable: rounding happens here, only for display."""

from __future__ import annotations

from fractions import Fraction


def fixed(value: Fraction, places: int = 2) -> str:
    """`value` with `places` decimals, rounded half away from zero: "62.46", "-17.34"."""
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
