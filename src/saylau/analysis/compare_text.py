"""A comparison's settings and seat shifts in words, as every edge shows them."""

from __future__ import annotations

from fractions import Fraction

from saylau.analysis.compare import SeatShift


def percent_number(share: Fraction) -> float | int:
    """A share as a percentage number: 7 for 7/100, 7.5 for 3/40."""
    percent = share * 100
    return percent.numerator if percent.denominator == 1 else float(percent)


def shift_text(shift: SeatShift) -> str:
    """One step in words: `method hare -> dhondt: otan +1, civic -1`."""
    head = f"{shift.setting.replace('_', ' ')} {shift.before} -> {shift.after}"
    if shift.error is not None:
        return f"{head}: not decided ({shift.error})"
    moved = ", ".join(f"{p} {n:+d}" for p, n in shift.total_seats.items()) or "no seat moved"
    if shift.contests:
        moved += f" ({len(shift.contests)} district(s) changed hands)"
    return f"{head}: {moved}"
