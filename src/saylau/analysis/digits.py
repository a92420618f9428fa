"""Last-digit tests of the vote counts (the Election Forensics Toolkit of Hicken and Mebane;
Beber and Scacco, "What the Numbers Say: A Digit-Based Test for Election Fraud", Political
Analysis 20(2), 2012).

For each list, the last digits of its vote counts at the accepted stations are compared
with the uniform distribution a count of many votes tends to: Pearson's chi-square over
the ten digits, nine degrees of freedom. Counts below 10 are left out (and counted): a
one-digit count's last digit is the count itself, and small counts are small more often
than not. With fewer than 50 counts (an expected 5 per digit) no p-value is given.

The p-value is the chi-square survival function, computed here in closed form for a whole
number of degrees of freedom (Abramowitz and Stegun 26.4.4 and 26.4.5): for an even
number 2m, e^(-x/2) times the sum of (x/2)^k / k! for k below m; for an odd number 2m + 1,
erfc(sqrt(x/2)) plus sqrt(2x/pi) e^(-x/2) times the sum of x^(k-1) / (1 3 5 ... (2k-1))
for k from 1 to m. It is exact up to floating-point rounding; no statistics library is
needed. Floats are used here for the statistic and its p-value only; the digit counts are
exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

MIN_COUNT: Final = 10
MIN_COUNTS: Final = 50
DIGITS: Final = 10


@dataclass(frozen=True)
class LastDigits:
    """One list's last digits: how many counts end in 0 to 9, and the test."""

    entry: str
    digits: tuple[int, ...]
    counts: int
    below_10: int
    chi_square: float | None
    p_value: float | None
    median: float | None = None
    """The median of the counts tested; below 100, small-number effects can skew digits."""


def chi2_sf(x: float, df: int) -> float:
    """P(X > x) for a chi-square variable with `df` (a whole number >= 1) degrees of freedom."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df}")
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for k in range(1, df // 2):
            term *= half / k
            total += term
        return min(1.0, math.exp(-half) * total)
    tail = math.erfc(math.sqrt(half))
    term, total = 1.0, 0.0
    for k in range(1, (df - 1) // 2 + 1):
        term = 1.0 if k == 1 else term * x / (2 * k - 1)
        total += term
    return min(1.0, tail + math.sqrt(2 * x / math.pi) * math.exp(-half) * total)


def last_digits(counts: np.ndarray[Any, Any], entry: str) -> LastDigits:
    """The last-digit test of one list's vote counts (one per station)."""
    values = np.asarray(counts, dtype=np.int64)
    kept = values[values >= MIN_COUNT]
    found = np.bincount(kept % DIGITS, minlength=DIGITS)
    digits = tuple(int(n) for n in found)
    n = len(kept)
    median = float(np.median(kept)) if n else None
    if n < MIN_COUNTS:
        return LastDigits(entry, digits, n, len(values) - n, None, None, median)
    expected = n / DIGITS
    statistic = float(((found - expected) ** 2).sum() / expected)
    p_value = chi2_sf(statistic, DIGITS - 1)
    return LastDigits(entry, digits, n, len(values) - n, statistic, p_value, median)
