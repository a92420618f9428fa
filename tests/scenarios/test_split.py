"""The exact splits behind the generators: parts add up, caps hold, margins are exact."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.scenarios.split import descending, fill_table, split_total


def test_split_total_by_largest_remainders() -> None:
    assert split_total(10, [1, 1, 1]) == [4, 3, 3]
    assert split_total(7, [5, 3, 2]) == [4, 2, 1]
    assert split_total(5, [0, 0]) == [3, 2]


def test_split_total_gives_the_excess_of_a_cap_to_the_others() -> None:
    assert split_total(10, [8, 1, 1], [4, 10, 10]) == [4, 3, 3]


def test_split_total_refuses_what_the_caps_cannot_hold() -> None:
    with pytest.raises(ValueError, match="caps"):
        split_total(10, [1, 1], [4, 5])


@given(
    st.integers(0, 10**7),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_split_total_is_exact_and_capped(
    total: int, weights: list[int], rng: random.Random
) -> None:
    caps = [rng.randint(0, 10**6) for _ in weights]
    if sum(caps) < total:
        caps[0] += total - sum(caps)
    parts = split_total(total, weights, caps)
    assert sum(parts) == total
    assert all(0 <= p <= c for p, c in zip(parts, caps, strict=True))


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=12), st.integers(1, 8), st.data())
def test_fill_table_keeps_both_margins(rows: list[int], width: int, data: st.DataObject) -> None:
    columns = split_total(
        sum(rows), data.draw(st.lists(st.integers(1, 100), min_size=width, max_size=width))
    )
    leanings = [
        data.draw(st.lists(st.integers(1, 1000), min_size=width, max_size=width)) for _ in rows
    ]
    table = fill_table(rows, columns, leanings)
    assert [sum(r) for r in table] == rows
    assert [sum(col) for col in zip(*table, strict=True)] == columns
    assert all(v >= 0 for r in table for v in r)


@given(st.integers(0, 2**32), st.integers(1, 8), st.integers(20, 10**5))
def test_descending_parts_are_distinct_and_below_the_bound(
    seed: int, count: int, below: int
) -> None:
    rng = random.Random(seed)
    top = count * (below - 1) - count * (count - 1) // 2
    total = rng.randint(count * (count + 1) // 2, top)
    parts = descending(rng, total, count, below)
    assert sum(parts) == total
    assert parts == sorted(set(parts), reverse=True)
    assert parts[0] < below and parts[-1] >= 1
