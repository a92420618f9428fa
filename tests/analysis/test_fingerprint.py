"""The turnout-share histogram: exact bins, the edges, and what falls outside."""

from __future__ import annotations

import numpy as np

from saylau.analysis.fingerprint import BINS, fingerprint


def test_bins_are_whole_percentage_points_found_in_integers() -> None:
    registered = np.array([2000, 2000, 100, 100, 100, 0, 100])
    took_part = np.array([859, 860, 100, 99, 101, 0, 50])
    votes = np.array([429, 430, 100, 0, 10, 0, 51])
    found = fingerprint(registered, took_part, votes, took_part, "a")
    matrix = found.matrix()
    assert matrix[49, 42] == 1  # 42.95% turnout, 49.94% share: bins 42 and 49
    assert matrix[50, 43] == 1  # 43% and 50%
    assert matrix[99, 99] == 1  # exactly 100% of both goes in the last bin
    assert matrix[0, 99] == 1
    assert (found.stations, found.no_base, found.over_100) == (4, 1, 2)
    assert matrix.sum() == found.stations
    assert found.histogram.num_rows == BINS * BINS
    assert found.histogram.column_names == [
        "turnout_from",
        "turnout_to",
        "share_from",
        "share_to",
        "stations",
    ]
