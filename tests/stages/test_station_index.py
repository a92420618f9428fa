"""One hash of the registry's station ids and the protocols' gives what two gave: the
registry's codes and distinct count as its own `dictionary_encode`, and each protocol
table's positions as `positions_among` (registration's and counting's look-ups apart)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.protocol.table import positions_among
from saylau.stages.station_index import hashed_once

ids = st.sampled_from([f"{n:03d}" for n in range(12)])
"""Few ids, so that repeats and unknown stations are common."""


@settings(deadline=None)  # pyarrow's first call in a process is slow
@given(
    registry=st.lists(ids, max_size=20),
    tables=st.lists(st.lists(st.one_of(ids, st.none()), max_size=20), max_size=3),
)
def test_one_hash_gives_what_two_gave(registry: list[str], tables: list[list[str | None]]) -> None:
    known = pa.array(registry, pa.string())
    columns = [pa.array(table, pa.string()) for table in tables]
    codes, distinct, positions = hashed_once(known, columns)
    alone = pc.dictionary_encode(known)
    assert codes.to_pylist() == alone.indices.to_pylist()
    assert distinct == len(alone.dictionary)
    assert len(positions) == len(columns)
    for column, found in zip(columns, positions, strict=True):
        assert found.type == pa.int32()
        assert found.to_pylist() == positions_among(column, known).to_pylist()


def test_a_repeated_registry_id_is_found_at_its_first_position() -> None:
    known = pa.array(["7", "3", "7", "5"], pa.string())
    codes, distinct, (found,) = hashed_once(known, [pa.array(["7", "9", "5", None])])
    assert distinct == 3
    assert codes.to_pylist() == [0, 1, 0, 2]
    assert found.to_pylist() == [0, None, 3, None]
