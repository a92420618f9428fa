"""Turnout distributions by territory (as in the Election Forensics Toolkit of Hicken and
Mebane, which compares the distributions of turnout between areas).

Each territory's stations (those with at least 100 registered voters and no more ballots
issued than voters on the list) are compared with all the other stations together. The
distance is the two-sample Kolmogorov-Smirnov statistic: the largest gap between the
territory's empirical distribution function of station turnout and the rest's, from 0 (the
same distribution) to 1 (no overlap at all). A territory with fewer than 20 such stations
is shown but not ranked; the three furthest of the others are named.

The turnouts are compared as floats: a station's took_part / registered is rounded once,
correctly, so equal turnouts are equal floats and different ones stay apart (their gap,
at least 1 / (registered x registered'), is far above the rounding). Where the election has
a single territory, its districts are compared instead, and the result says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pyarrow as pa

MIN_STATIONS: Final = 20
MIN_REGISTERED: Final = 100
NAMED: Final = 3

Level = Literal["territory", "district"]


@dataclass(frozen=True)
class AreaTurnout:
    """One area's station turnouts: how many, the quartiles, the distance from the rest."""

    area_id: str
    name: str
    stations: int
    median: float
    lower_quartile: float
    upper_quartile: float
    distance: float | None
    """Kolmogorov-Smirnov distance from all other stations; None when it is not ranked."""


@dataclass(frozen=True, eq=False)
class TurnoutByArea:
    """Every area, furthest first, the most distant ones named, and their histograms."""

    level: Level
    areas: tuple[AreaTurnout, ...]
    most_distant: tuple[str, ...]
    histogram: pa.Table
    """area_id, turnout_from (a whole percentage), stations: one row per area and bin."""
    stations: int
    left_out: int = 0
    """Stations with fewer than 100 registered voters, or more ballots issued than voters."""


def _ecdf(sorted_values: np.ndarray[Any, Any], at: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.searchsorted(sorted_values, at, side="right") / max(len(sorted_values), 1)


def ks_distance(one: np.ndarray[Any, Any], other: np.ndarray[Any, Any]) -> float:
    """The two-sample Kolmogorov-Smirnov statistic: max |F_one - F_other| over all values."""
    a, b = np.sort(one), np.sort(other)
    at = np.concatenate([a, b])
    return float(np.abs(_ecdf(a, at) - _ecdf(b, at)).max()) if len(at) else 0.0


def distance_from_rest(area: np.ndarray[Any, Any], every: np.ndarray[Any, Any]) -> float:
    """`ks_distance(area, rest)`, where `every` is all values sorted (the area's among them):
    the gap between the two distribution functions only changes at a value of either, and
    between two of the area's values it is largest at one of their ends, so the area's
    values (and just below each) are the only places to look."""
    a = np.sort(area)
    n, rest = len(a), len(every) - len(a)
    if not n or not rest:
        return 0.0
    gaps = []
    for side in ("right", "left"):
        mine = np.searchsorted(a, a, side=side)
        all_ = np.searchsorted(every, a, side=side)
        gaps.append(np.abs(mine / n - (all_ - mine) / rest).max())
    return float(max(gaps))


def turnout_by_area(
    registered: np.ndarray[Any, Any],
    took_part: np.ndarray[Any, Any],
    areas: np.ndarray[Any, Any],
    names: Mapping[str, str],
    level: Level,
) -> TurnoutByArea:
    """Compare each area's distribution of station turnout with the rest's."""
    registered = np.asarray(registered, dtype=np.int64)
    took_part = np.asarray(took_part, dtype=np.int64)
    keep = (registered >= MIN_REGISTERED) & (took_part <= registered)
    turnout = took_part[keep] / registered[keep]
    every = np.sort(turnout)
    ids, codes = np.unique(np.asarray(areas, dtype=object)[keep].astype(str), return_inverse=True)
    bins = np.minimum((100 * took_part[keep]) // registered[keep], 99)
    counts = np.bincount(codes * 100 + bins, minlength=len(ids) * 100).reshape(len(ids), 100)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1))
    found = []
    for code, area in enumerate(ids.tolist()):
        values = turnout[order[bounds[code] : bounds[code + 1]]]
        ranked = MIN_STATIONS <= len(values) < len(turnout)
        low, mid, high = np.quantile(values, [0.25, 0.5, 0.75])
        found.append(
            AreaTurnout(
                area,
                names.get(area, area),
                len(values),
                float(mid),
                float(low),
                float(high),
                distance_from_rest(values, every) if ranked else None,
            )
        )
    found.sort(key=lambda a: (a.distance is None, -(a.distance or 0.0), a.area_id))
    named = tuple(a.area_id for a in found if a.distance is not None)[:NAMED]
    area_of, start = np.nonzero(counts)
    histogram = pa.table(
        {
            "area_id": pa.array(ids[area_of].tolist(), pa.string()),
            "turnout_from": pa.array(start, pa.int64()),
            "stations": pa.array(counts[area_of, start], pa.int64()),
        }
    )
    left_out = len(registered) - len(turnout)
    return TurnoutByArea(level, tuple(found), named, histogram, len(turnout), left_out)
