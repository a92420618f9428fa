"""`group_sums` runs Arrow's grouping without loading pyarrow.acero: its groups and sums are
those of `Table.group_by(...).aggregate(...)`, in one thread or on every core."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.tabulate import batch
from saylau.tabulate.batch import EXACT, group_sums

WHOLE = pc.ScalarAggregateOptions(min_count=0)
AGGREGATIONS: list[tuple[Any, ...]] = [
    ("votes", "sum", WHOLE),
    ("optional", "sum"),
    ("wide", "sum", WHOLE),
    ("flag", "sum", WHOLE),
    ([], "count_all"),
]
CELL = st.integers(min_value=-(2**40), max_value=2**40)


def by_keys(table: pa.Table) -> list[dict[str, Any]]:
    """The rows, in the order of their keys: neither way of grouping promises an order."""
    return sorted(table.to_pylist(), key=lambda row: (row["d"] is None, row["d"] or 0, row["a"]))


def table_of(rows: list[tuple[int | None, bool, int, int | None, int]]) -> pa.Table:
    return pa.table(
        {
            "d": pa.array([row[0] for row in rows], pa.int32()),
            "a": pa.array([row[1] for row in rows], pa.bool_()),
            "votes": pa.array([row[2] for row in rows], pa.int64()),
            "optional": pa.array([row[3] for row in rows], pa.int64()),
            "wide": pa.array([row[4] for row in rows], pa.int64()).cast(EXACT),
            "flag": pa.array([int(row[1]) for row in rows], pa.int64()),
        }
    )


ROWS = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
        st.booleans(),
        CELL,
        st.one_of(st.none(), CELL),
        CELL,
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, threaded=st.booleans())
def test_the_groups_and_sums_are_pyarrows(
    rows: list[tuple[int | None, bool, int, int | None, int]], threaded: bool
) -> None:
    table = table_of(rows)
    expected = table.group_by(["d", "a"]).aggregate(AGGREGATIONS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "THREADED_ROWS", 0 if threaded else batch.THREADED_ROWS)
        found = group_sums(table, ["d", "a"], AGGREGATIONS)
    assert found.schema == expected.schema
    assert by_keys(found) == by_keys(expected)


def test_a_large_table_is_grouped_on_every_core_with_the_same_sums() -> None:
    rows = [(i % 7, i % 3 == 0, i, None if i % 5 == 0 else i, -i) for i in range(70_000)]
    table = table_of(rows)
    assert table.num_rows >= batch.THREADED_ROWS
    expected = table.group_by(["d", "a"]).aggregate(AGGREGATIONS)
    assert by_keys(group_sums(table, ["d", "a"], AGGREGATIONS)) == by_keys(expected)
