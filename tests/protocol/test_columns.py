"""A table's column bounds are found once and agree with `magnitude`; `breaks` given the
symbols' sizes marks the rows it marks when it finds them itself."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.protocol.columns import Columns, breaks, magnitude, symbols
from tests.protocol.helpers import form_of

CELL = st.one_of(st.none(), st.integers(min_value=-(2**40), max_value=2**40))


def test_bounds_of_a_column_with_nulls_an_empty_one_and_an_absent_one() -> None:
    table = pa.table(
        {
            "station_id": pa.array(["1", "2", "3"]),
            "registered": pa.array([5, None, -7], pa.int64()),
            "invalid": pa.array([None, None, None], pa.int64()),
        }
    )
    columns = Columns(table)
    assert columns.bounds("registered") == (-7, 5)
    assert columns.magnitude("registered") == 7 == magnitude(columns["registered"])
    assert columns.bounds("invalid") == (None, None)
    assert columns.bounds("valid") == (None, None)  # absent: all null
    assert columns.magnitude("valid") == 0


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=12))
def test_breaks_with_the_sizes_given_marks_the_same_rows(
    rows: list[tuple[int | None, ...]],
) -> None:
    names = ("registered", "ballots_found", "invalid", "party-a")
    table = pa.table(
        {
            "station_id": pa.array([str(i) for i in range(len(rows))]),
            **{
                name: pa.array([row[i] for row in rows], pa.int64()) for i, name in enumerate(names)
            },
        }
    )
    columns = Columns(table)
    named = symbols(columns)
    sizes = {name: magnitude(array) for name, array in named.items()}
    for relation in form_of("kz-1999-majilis").relations:
        assert breaks(relation, named, sizes).equals(breaks(relation, named))
