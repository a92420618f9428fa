"""control_row finds the same first control character as the pattern, row by row."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from saylau.io.control import control_row
from saylau.io.files import CONTROL

CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from("ab 7é\x00\t\n\x1f\x7f\x85\x9f\xa0ß\u200b"), max_size=4),
)


def expected(cells: list[str | None]) -> int | None:
    rows = [row for row, cell in enumerate(cells) if cell is not None and CONTROL.search(cell)]
    return rows[0] if rows else None


@given(st.lists(CELLS, max_size=12))
def test_the_first_control_row_is_the_patterns(cells: list[str | None]) -> None:
    assert control_row(pa.array(cells, pa.string())) == expected(cells)


@given(st.lists(st.lists(CELLS, max_size=5), min_size=1, max_size=4))
def test_a_chunked_column_counts_rows_across_its_chunks(chunks: list[list[str | None]]) -> None:
    column = pa.chunked_array([pa.array(chunk, pa.string()) for chunk in chunks], pa.string())
    assert control_row(column) == expected([cell for chunk in chunks for cell in chunk])


def test_printable_ascii_and_other_text() -> None:
    assert control_row(pa.array(["s1", "", "a b~"])) is None
    assert control_row(pa.array(["é", "s\x7f"])) == 1
    assert control_row(pa.array(["é", "\u200b"])) is None
