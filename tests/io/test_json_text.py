"""The CLI's JSON text: the same value as the standard library's, laid out by level."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from saylau.io.json_text import json_text

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(VALUES, st.integers(0, 4))
def test_the_text_reads_back_as_the_same_value(value: Any, levels: int) -> None:
    assert json.loads(json_text(value, levels)) == value


@given(VALUES)
def test_with_every_level_open_it_is_the_standard_indented_text(value: Any) -> None:
    assert json_text(value, 100) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_record_below_the_open_levels_is_one_line() -> None:
    text = json_text({"rejected": [{"station_id": "s1", "codes": ["a"]}], "n": 1})
    assert text.splitlines() == [
        "{",
        '  "rejected": [',
        '    {"station_id": "s1", "codes": ["a"]}',
        "  ],",
        '  "n": 1',
        "}",
    ]
