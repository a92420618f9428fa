"""Protocol columns for the vectorized checks: exact sums and the law's relations, row by row.

Sums are exact: in int64 when the largest values cannot overflow it, else in decimal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import reduce
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from saylau.law.form import OPTIONAL_LINES, VOTES, Comparison, ControlRelation, Term
from saylau.protocol.lines import LINES, STATION, EntryId, StationId, entries

INT64_MAX: Final = 2**63 - 1
WIDE: Final = pa.decimal128(30, 0)
"""Room for the sum of any number of int64 cells a table can hold (up to 10^11 of them)."""


class Columns:
    """A table's columns as int64 (chunked, not copied); an absent line reads as all null."""

    def __init__(self, table: pa.Table) -> None:
        names = table.column_names
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"protocol table: column {', '.join(twice)} appears twice")
        if STATION not in names:
            raise ValueError(f"protocol table: no {STATION} column")
        self.rows: int = table.num_rows
        station = table.column(STATION)
        if not (pa.types.is_string(station.type) or pa.types.is_large_string(station.type)):
            raise TypeError(f"protocol table: {STATION} is {station.type}, not text")
        if station.null_count:
            row = pc.indices_nonzero(pc.is_null(station))[0].as_py()
            raise ValueError(f"protocol table: row {row} has no {STATION}")
        self.station: pa.Array = (
            station if station.type == pa.string() else pc.cast(station, pa.string())
        )
        self.entries: tuple[EntryId, ...] = entries(table.column_names)
        self._arrays: dict[str, pa.Array] = {}
        self._bounds: dict[str, tuple[int | None, int | None]] = {}
        for name in names:
            column = table.column(name)
            if name == STATION:
                continue
            if not (pa.types.is_integer(column.type) or pa.types.is_null(column.type)):
                raise TypeError(
                    f"protocol table: column {name} is {column.type}, not whole numbers"
                )
            self._arrays[name] = (
                column if column.type == pa.int64() else pc.cast(column, pa.int64())
            )

    def __getitem__(self, name: str) -> pa.Array:
        if name not in self._arrays:
            self._arrays[name] = pa.nulls(self.rows, pa.int64())
        return self._arrays[name]

    def present(self, name: str) -> bool:
        """Whether the table has the column at all."""
        return name in self._arrays and self._arrays[name].null_count < self.rows

    def bounds(self, name: str) -> tuple[int | None, int | None]:
        """The smallest and largest value of a column (None, None when it holds none), found
        once for every check that asks."""
        if name not in self._bounds:
            array = self[name]
            if array.null_count == len(array):
                self._bounds[name] = (None, None)
            else:
                found = pc.min_max(array)
                self._bounds[name] = (found["min"].as_py(), found["max"].as_py())
        return self._bounds[name]

    def magnitude(self, name: str) -> int:
        """The largest absolute value in a column (0 when it holds none), as `magnitude`."""
        low, high = self.bounds(name)
        return max(abs(int(low or 0)), abs(int(high or 0)))


def total(terms: Iterable[pa.Array], bound: int | None = None) -> pa.Array:
    """The exact sum of int64 (or wide) arrays, row by row; null where any term is null.

    The sum of the largest magnitudes bounds every partial sum: within int64 it cannot wrap.
    `bound`, where the caller knows it, is that sum (or more).
    """
    arrays = list(terms)
    if bound is None:
        bound = sum(magnitude(array) for array in arrays)
    if bound <= INT64_MAX and all(array.type == pa.int64() for array in arrays):
        return reduce(pc.add, arrays)
    wide = [pc.cast(array, WIDE) for array in arrays]
    return reduce(lambda a, b: pc.cast(pc.add(a, b), WIDE), wide)


def magnitude(array: pa.Array) -> int:
    """The largest absolute value in an array (0 when it holds none)."""
    if array.null_count == len(array):
        return 0
    bounds = pc.min_max(array)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    return max(abs(int(low or 0)), abs(int(high or 0)))


def symbols(columns: Columns) -> dict[str, pa.Array]:
    """Every symbol a relation may name, as a column: the lines, then `votes` (null where
    any entry's votes are null)."""
    found: dict[str, pa.Array] = {line: columns[line] for line in LINES}
    found[VOTES] = total(
        [columns[entry] for entry in columns.entries] or [zeros(columns.rows)],
        sum(columns.magnitude(entry) for entry in columns.entries),
    )
    return found


def breaks(
    relation: ControlRelation,
    symbols: Mapping[str, pa.Array],
    sizes: Mapping[str, int] | None = None,
) -> pa.Array:
    """Row by row, whether the relation is evaluated and broken (see `checks.readable`).
    `sizes`, where the caller knows them, holds each symbol's `magnitude`."""
    rule = relation.rule
    evaluable: list[pa.Array] = []  # a column without a null leaves every row evaluable
    values: dict[str, pa.Array] = {}
    for symbol in rule.symbols:
        column = symbols[symbol]
        if symbol in OPTIONAL_LINES and symbol not in relation.requires:
            values[symbol] = pc.fill_null(column, 0) if column.null_count else column
        else:
            values[symbol] = column
            if column.null_count:
                evaluable.append(pc.is_valid(column))
    if sizes is None:  # a null filled with 0 leaves a column's magnitude as it was
        sizes = {symbol: magnitude(column) for symbol, column in values.items()}
    one, other = (rule.left, rule.right), (rule.right, rule.left)
    left, right = (
        total(
            terms_of(plus, values, 1) + terms_of(minus, values, -1),
            _bound(plus, sizes, 1) + _bound(minus, sizes, -1),
        )
        for plus, minus in (one, other)
    )
    broken = pc.invert(compare(rule.comparison, left, right))
    if evaluable:
        broken = pc.and_(broken, reduce(pc.and_, evaluable))
    return pc.fill_null(broken, False) if broken.null_count else broken


def _bound(terms: tuple[Term, ...], sizes: Mapping[str, int], sign: int) -> int:
    """The largest magnitude of the terms of `sign` (`terms_of`'s columns), summed."""
    found = 0
    for term in terms:
        size = term.coefficient * sign
        if size > 0:
            found += size * (1 if term.symbol is None else sizes[term.symbol])
    return found


def terms_of(terms: tuple[Term, ...], values: Mapping[str, pa.Array], sign: int) -> list[pa.Array]:
    """The terms of `sign` (+1 the positive, -1 the negative ones) as non-negative columns."""
    rows = len(next(iter(values.values())))
    found = []
    for term in terms:
        size = term.coefficient * sign
        if size <= 0:
            continue
        if term.symbol is None:
            found.append(pa.array([size] * rows, pa.int64()))
        elif size == 1:
            found.append(values[term.symbol])
        else:  # int64 (19 digits) times a factor of at most 9 digits: exact in 30 digits
            cell = pc.cast(values[term.symbol], pa.decimal128(19, 0))
            found.append(pc.multiply(cell, pa.scalar(size, pa.decimal128(10, 0))))
    return found or [zeros(rows)]


def compare(comparison: Comparison, left: pa.Array, right: pa.Array) -> pa.Array:
    if left.type != right.type:
        left, right = pc.cast(left, WIDE), pc.cast(right, WIDE)
    if comparison == "=":
        return pc.equal(left, right)
    if comparison == "<=":
        return pc.less_equal(left, right)
    if comparison == ">=":
        return pc.greater_equal(left, right)
    if comparison == "<":
        return pc.less(left, right)
    return pc.greater(left, right)


def zeros(rows: int) -> pa.Array:
    return pa.repeat(pa.scalar(0, pa.int64()), rows)


def combined(array: Any) -> pa.Array:
    """An Arrow array as one array (a chunked one combined)."""
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def station_id_array(stations: Collection[StationId] | pa.Array) -> pa.Array:
    """Station ids as an Arrow array of text (as they are, when they are one already)."""
    if isinstance(stations, pa.Array | pa.ChunkedArray):
        return stations
    return pa.array(list(stations), pa.string())


__all__ = [
    "INT64_MAX",
    "WIDE",
    "Columns",
    "breaks",
    "combined",
    "compare",
    "station_id_array",
    "symbols",
    "terms_of",
    "total",
    "zeros",
]
