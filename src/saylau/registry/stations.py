"""The polling stations of an election as one Arrow table: station_id, district_id and
territory_id, all text. There may be a million of them, so they are never Python objects
on the way from the file to the totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.registry.model import Station

STATION_COLUMNS: Final = ("station_id", "district_id", "territory_id")
STATION_SCHEMA: Final = pa.schema([(name, pa.string()) for name in STATION_COLUMNS])


def station_table(stations: Iterable[Station] = ()) -> pa.Table:
    """A station table from a few Station values (a scenario, an importer, a test)."""
    rows = list(stations)
    return pa.table(
        {
            "station_id": pa.array([s.station_id for s in rows], pa.string()),
            "district_id": pa.array([s.district_id for s in rows], pa.string()),
            "territory_id": pa.array([s.territory_id for s in rows], pa.string()),
        },
        schema=STATION_SCHEMA,
    )


def station_rows(stations: pa.Table) -> list[Station]:
    """The stations as values, one each: for small elections and tests, never at scale."""
    columns = [stations.column(name).to_pylist() for name in STATION_COLUMNS]
    return [Station(*row) for row in zip(*columns, strict=True)]


def by_district(stations: pa.Table) -> Mapping[str, pa.Table]:
    """Each district's stations, in registry order: one stable sort (Arrow's, which keeps
    numpy.ma unloaded), then slices."""
    if stations.num_rows == 0:
        return {}
    codes = pc.dictionary_encode(stations.column("district_id").combine_chunks())
    ordered = stations.take(pc.sort_indices(codes.indices))
    counts = np.bincount(
        codes.indices.to_numpy(zero_copy_only=False), minlength=len(codes.dictionary)
    )
    found: dict[str, pa.Table] = {}
    start = 0
    for code, count in enumerate(counts.tolist()):
        found[codes.dictionary[code].as_py()] = ordered.slice(start, count)
        start += count
    return found


__all__ = ["STATION_COLUMNS", "STATION_SCHEMA", "by_district", "station_rows", "station_table"]
