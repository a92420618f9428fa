"""Exact integer splits for generators: a total shared by weights, and tables with fixed margins.

Every split is exact (the parts add up to the total) and deterministic: remainders go to the
largest fractional parts, ties to the earlier row. No floats anywhere.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

SCALE = 1_000_000
"""Resolution of the integer weights built from shares."""


def split_total(total: int, weights: Sequence[int], caps: Sequence[int] | None = None) -> list[int]:
    """Share `total` in proportion to `weights` by largest remainders, no part above its cap.

    A part pushed over its cap gives the excess back, to be shared among the parts that
    still have room, in proportion to their weights (or to their room when those are zero).
    """
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("a split needs a non-negative total and weights")
    if caps is not None and total > sum(caps):
        raise ValueError(f"cannot split {total} under caps adding up to {sum(caps)}")
    parts = [0] * len(weights)
    open_rows = list(range(len(weights)))
    left = total
    while left:
        chosen = [weights[i] for i in open_rows]
        if not any(chosen):
            chosen = [1 if caps is None else caps[i] - parts[i] for i in open_rows]
        added = _largest_remainders(left, chosen)
        left = 0
        for row, more in zip(open_rows, added, strict=True):
            parts[row] += more
            if caps is not None and parts[row] > caps[row]:
                left += parts[row] - caps[row]
                parts[row] = caps[row]
        if caps is not None:
            open_rows = [i for i in open_rows if parts[i] < caps[i]]
    return parts


def _largest_remainders(total: int, weights: Sequence[int]) -> list[int]:
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    short = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for row in order[:short]:
        parts[row] += 1
    return parts


def fill_table(
    row_totals: Sequence[int], column_totals: Sequence[int], leanings: Sequence[Sequence[int]]
) -> list[list[int]]:
    """A table of whole numbers whose rows and columns add up exactly to the given totals.

    Column by column, each row takes its share of what it has left in proportion to its
    leaning towards this column among the columns still to fill; the last column takes the
    rest of every row. `leanings[row][column]` are positive integers.
    """
    if sum(row_totals) != sum(column_totals):
        raise ValueError(f"rows add up to {sum(row_totals)}, columns to {sum(column_totals)}")
    room = list(row_totals)
    tails = [sum(lean) for lean in leanings]
    columns: list[list[int]] = []
    for column, total in enumerate(column_totals[:-1]):
        weights = [
            room[r] * leanings[r][column] * SCALE // tails[r] if tails[r] else 0
            for r in range(len(room))
        ]
        part = split_total(total, weights, room)
        columns.append(part)
        for r, taken in enumerate(part):
            room[r] -= taken
            tails[r] -= leanings[r][column]
    columns.append(room)
    return [[col[r] for col in columns] for r in range(len(row_totals))]


def jitter(rng: random.Random, base: int, spread: int) -> int:
    """`base` moved by up to `spread` per mille either way: a seeded, whole-number weight."""
    return base * (1000 + rng.randint(-spread, spread))


def descending(rng: random.Random, total: int, count: int, below: int) -> list[int]:
    """`count` distinct whole numbers, each at least 1 and below `below`, adding up to `total`.

    Drawn from seeded weights, capped at `below - 1`, and redrawn until distinct; largest first.
    """
    if count == 0:
        if total:
            raise ValueError(f"{total} votes left for no candidate")
        return []
    if total < count * (count + 1) // 2 or total > count * (below - 1) - count * (count - 1) // 2:
        raise ValueError(f"cannot share {total} among {count} below {below}")
    for _ in range(1000):
        floor = [1] * count
        weights = [rng.randint(10, 100) ** 2 for _ in range(count)]
        parts = split_total(total - count, weights, [below - 2] * count)
        parts = sorted((p + f for p, f in zip(parts, floor, strict=True)), reverse=True)
        if len(set(parts)) == count:
            return parts
    return _staircase(total, count)


def _staircase(total: int, count: int) -> list[int]:
    """Distinct parts as even as possible: k + count - 1, ..., k, plus one for the first few."""
    base = (total - count * (count - 1) // 2) // count
    extra = total - count * base - count * (count - 1) // 2
    return [base + count - 1 - i + (1 if i < extra else 0) for i in range(count)]
