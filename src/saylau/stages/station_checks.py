"""The registry's stations checked as columns: a station id once, in a registered district,
in that district's territory. A million stations cost a few vectorized passes, and at most
MOST problems of each kind are named (with how many more there are)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.protocol.aside import aside
from saylau.registry.election import Election
from saylau.stages.problems import Problem
from saylau.stages.station_index import StationIndex

MOST: Final = 100


def _rows(mask: pa.Array) -> list[int]:
    found: list[int] = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
    return found


def _named(rows: list[int], field: str, what: object) -> list[Problem]:
    """A problem for each of the first MOST rows; `what(row)` says what is wrong there."""
    say = what if callable(what) else (lambda row: str(what))
    found = [Problem("stations", row, field, say(row)) for row in rows[:MOST]]
    if len(rows) > MOST:
        more = f"and {len(rows) - MOST:,} more rows like it"
        found.append(Problem("stations", rows[MOST], field, more))
    return found


def station_problems(
    election: Election, index: Callable[[], StationIndex] | None = None
) -> list[Problem]:
    """Every station once, in a known district and territory, its district's territory.
    `index`, where given, gives the codes of the registry's ids (saylau.stages.station_index,
    which hashes them once with the protocols' stations); else they are hashed here."""
    table = election.stations
    if table.num_rows == 0:
        return []
    ids = table.column("station_id").combine_chunks()
    problems: list[Problem] = []
    # a hash table, cheaper than count_distinct's; on a large registry, beside the rest
    encoding = index or aside(lambda: _registry_index(ids), len(ids))
    places = _place_problems(election, ids)
    encoded = encoding()
    if encoded.distinct < len(ids):
        codes = encoded.codes.to_numpy(zero_copy_only=False)
        first = np.zeros(len(ids), dtype=bool)
        first[np.unique(codes, return_index=True)[1]] = True
        repeats = np.flatnonzero(~first).tolist()
        problems += _named(
            repeats, "station_id", lambda row: f"{ids[row].as_py()} is registered twice"
        )
    return problems + places


def _registry_index(ids: pa.Array) -> StationIndex:
    """The codes of the registry's ids alone."""
    encoded = pc.dictionary_encode(ids)
    return StationIndex(encoded.indices, len(encoded.dictionary), {})


def _place_problems(election: Election, ids: pa.Array) -> list[Problem]:
    """Every station in a known district and territory, its district's territory."""
    table = election.stations
    problems: list[Problem] = []
    districts = table.column("district_id").combine_chunks()
    territories = table.column("territory_id").combine_chunks()
    known = pa.array([d.district_id for d in election.districts], pa.string())
    home = pa.array([d.territory_id for d in election.districts], pa.string())
    at = pc.index_in(districts, value_set=known)
    problems += _named(
        _rows(pc.is_null(at)),
        "district_id",
        lambda row: f"unknown district {districts[row].as_py()} (not in districts.csv)",
    )
    expected = home.take(at)
    wrong = pc.and_(pc.is_valid(at), pc.not_equal(territories, expected))
    problems += _named(
        _rows(wrong),
        "territory_id",
        lambda row: (
            f"station {ids[row].as_py()} is in territory {territories[row].as_py()}, but its "
            f"district {districts[row].as_py()} lies in {expected[row].as_py()}"
        ),
    )
    places = pa.array([t.territory_id for t in election.territories], pa.string())
    problems += _named(
        _rows(pc.invert(pc.is_in(territories, value_set=places))),
        "territory_id",
        lambda row: f"unknown territory {territories[row].as_py()} (not in territories.csv)",
    )
    return problems
