"""The registry's station ids and those of every protocol table of a list contest, hashed
once: registration's check for a station registered twice and each list contest's look-up
of its protocols' stations among the registry come from the same codes.

One `dictionary_encode` over the registry's ids followed by the tables' gives each id a code
in the order ids first appear, so the registry's k distinct ids take the codes 0 to k - 1:
a protocol's code below k is a registered station (at its first position in the registry,
which is its code when no id is registered twice), a code of k or more a station the
registry does not hold. Done apart, the two would hash the registry's ids twice, which at
five million stations costs over a second (docs/scaling.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.inputs import ElectionInputs
from saylau.protocol.aside import aside
from saylau.protocol.lines import STATION

ProtocolKey = tuple[str, int]
"""A protocol table's contest id and round."""


@dataclass(frozen=True)
class StationIndex:
    """The codes of the registry's station ids (int32, in registry order; null for a missing
    id), how many distinct ids it holds, and each covered protocol table's positions among
    the registry."""

    codes: pa.Array
    distinct: int
    found: Mapping[ProtocolKey, tuple[pa.Table, pa.Array]]

    def positions(self, key: ProtocolKey, table: pa.Table) -> pa.Array | None:
        """Each row's position among the registry (int32, null where the station is not
        registered), if the index was built from this very table; else None."""
        kept = self.found.get(key)
        return kept[1] if kept is not None and kept[0] is table else None


def station_index(inputs: ElectionInputs) -> StationIndex:
    """The index of the registry and of the protocol tables of every list contest (whose
    stations are the whole registry). A registry with a missing id is indexed alone."""
    election = inputs.election
    ids = election.stations.column("station_id").combine_chunks()
    whole = {c.contest_id for c in election.contests if c.district_id is None}
    tables = {
        key: table
        for key, table in inputs.protocols.items()
        if key[0] in whole and table.column(STATION).type == ids.type and not ids.null_count
    }
    stations = [table.column(STATION).combine_chunks() for table in tables.values()]
    codes, distinct, positions = hashed_once(ids, stations)
    found = {key: (table, p) for (key, table), p in zip(tables.items(), positions, strict=True)}
    return StationIndex(codes, distinct, found)


def hashed_once(
    ids: pa.Array, stations: Sequence[pa.Array]
) -> tuple[pa.Array, int, list[pa.Array]]:
    """The codes of the registry's `ids`, how many distinct ids they are, and each station
    column's positions among them (as `index_in` would give them: the first position of an
    id registered twice, null where the registry lacks it), from one hash of them all. The
    registry's ids must all be given (no null) when `stations` are."""
    codes = pc.dictionary_encode(pa.concat_arrays([ids, *stations])).indices
    registry = codes.slice(0, len(ids))
    most = pc.max(registry).as_py() if len(ids) else None
    distinct = 0 if most is None else int(most) + 1
    first = _first_positions(registry, distinct) if stations and distinct < len(ids) else None
    positions = []
    start = len(ids)
    for column in stations:
        mine = codes.slice(start, len(column))
        start += len(column)
        known = pc.if_else(pc.less(mine, distinct), mine, pa.scalar(None, pa.int32()))
        positions.append(known if first is None else first.take(known))
    return registry, distinct, positions


def _first_positions(registry: pa.Array, distinct: int) -> pa.Array:
    """For each code, the registry position where its id first appears."""
    codes = registry.to_numpy(zero_copy_only=False)
    first = np.zeros(distinct, dtype=np.int32)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1, dtype=np.int32)
    return pa.Array.from_buffers(pa.int32(), distinct, [None, pa.py_buffer(first)])


def indexing(inputs: ElectionInputs) -> Callable[[], StationIndex]:
    """The index, started beside the calling thread on a large registry (protocol.aside);
    the function returned gives it, computed once."""
    rows = inputs.election.stations.num_rows + sum(t.num_rows for t in inputs.protocols.values())
    return cache(aside(lambda: station_index(inputs), rows))


__all__ = ["StationIndex", "hashed_once", "indexing", "station_index"]
