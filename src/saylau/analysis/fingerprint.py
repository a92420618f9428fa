"""The turnout-share fingerprint (Klimek, Yegorov, Hanel and Thurner, "Statistical
detection of systematic election irregularities", PNAS 109(41), 2012, 16469-16473).

A two-dimensional histogram of the stations: turnout (took_part / registered) across, the
studied list's share (its votes over the base of the law's list percentages) up, in bins
of one percentage point. A station falls in bin i when i <= 100 a / b < i + 1, found in
integers (100 a // b); exactly 100% goes in the last bin, 99-100. A station with no
registered voters or no base for the share has no point, and one whose turnout or share is
above 100% (more ballots issued than voters on the list, or votes above their base, where
the law's form lets it through) is counted apart, never folded into the last bin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pyarrow as pa

BINS: Final = 100
MIN_STATIONS: Final = 100
"""Below this many stations placed, a fingerprint has no shape to read: it is reported as
too few, not described."""


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """The histogram as a table (one row per bin, empty bins included) and its counts."""

    entry: str
    histogram: pa.Table
    stations: int
    no_base: int
    over_100: int

    def matrix(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The station counts as a BINS x BINS array: [share bin, turnout bin]."""
        counts = self.histogram.column("stations").to_numpy()
        shares = self.histogram.column("share_from").to_numpy()
        turnouts = self.histogram.column("turnout_from").to_numpy()
        found = np.zeros((BINS, BINS), dtype=np.int64)
        found[shares, turnouts] = counts
        return found


def _bin(part: np.ndarray[Any, Any], whole: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    found: np.ndarray[Any, Any] = np.minimum((100 * part) // np.maximum(whole, 1), BINS - 1)
    return found


def fingerprint(
    registered: np.ndarray[Any, Any],
    took_part: np.ndarray[Any, Any],
    votes: np.ndarray[Any, Any],
    base: np.ndarray[Any, Any],
    entry: str,
) -> Fingerprint:
    """Count the stations in each (turnout, share) bin of one percentage point."""
    registered, took_part, votes, base = (
        np.asarray(a, dtype=np.int64) for a in (registered, took_part, votes, base)
    )
    no_base = (registered < 1) | (base < 1)
    over = ~no_base & ((took_part > registered) | (votes > base))
    keep = ~no_base & ~over
    turnout = _bin(took_part[keep], registered[keep])
    share = _bin(votes[keep], base[keep])
    counts = np.bincount(share * BINS + turnout, minlength=BINS * BINS)
    grid = np.arange(BINS * BINS)
    turnout_from, share_from = grid % BINS, grid // BINS
    histogram = pa.table(
        {
            "turnout_from": pa.array(turnout_from, pa.int64()),
            "turnout_to": pa.array(turnout_from + 1, pa.int64()),
            "share_from": pa.array(share_from, pa.int64()),
            "share_to": pa.array(share_from + 1, pa.int64()),
            "stations": pa.array(counts, pa.int64()),
        }
    )
    return Fingerprint(
        entry,
        histogram,
        int(np.count_nonzero(keep)),
        int(np.count_nonzero(no_base)),
        int(np.count_nonzero(over)),
    )
