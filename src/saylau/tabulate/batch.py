"""Batch tabulation: a whole protocol table summed up to the district, territory and nation.

One pass groups the rows by district and by acceptance; the district totals are then
summed into territories and the nation, so every level obeys the control relation.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.errors import InputError
from saylau.protocol.columns import combined
from saylau.protocol.lines import (
    LINES,
    OPTIONAL_LINES,
    REQUIRED_LINES,
    RESERVED_COLUMNS,
    STATION,
    EntryId,
)
from saylau.tabulate.area import (
    REGISTRY_COLUMNS,
    Area,
    area_at,
    code_counts,
    registry_columns_checked,
)
from saylau.tabulate.totals import ContestTotals, DistrictId, LineTotals

INT64_MAX: Final = 2**63 - 1
_DISTRICT = "__district"
_ACCEPTED = "__accepted"
_FLAGGED = "__flagged"
_ROWS = "__rows"
_Sums = dict[tuple[int | None, bool], dict[str, Any]]
"""Grouped sums by (district code, accepted); the district code is None for unplaced rows."""


def entry_columns(table: pa.Table) -> tuple[EntryId, ...]:
    """The ballot entries of a protocol table: every column that is not a station or a line."""
    return tuple(name for name in table.column_names if name not in RESERVED_COLUMNS)


def tabulate(
    table: pa.Table,
    accepted: pa.BooleanArray | None,
    stations: pa.Table,
    *,
    contest_id: str,
    round: int,
    expected: Collection[str] | pa.Array | None = None,
    flagged: pa.BooleanArray | None = None,
    positions: pa.Array | None = None,
    area: Area | None = None,
) -> ContestTotals:
    """Sum the accepted rows of one contest's protocol table at every level.

    `table` holds one row per station (the layout of `saylau.protocol.lines`); `accepted`
    is its row mask, where a null counts as not accepted, and None accepts every row.
    `stations` is the registry (station_id, district_id, territory_id). `expected` names
    the stations that should report; by default, every registry station of each district
    that has a row in `table`, so a district with no row at all is not reported missing:
    pass `expected` for a contest whose whole area is known (a national list). `flagged`
    marks the rows kept for review that still count (`LineTotals.flagged`). `positions`,
    where the check looked each row's station up in `stations` already, spares a second
    look-up (saylau.protocol.table.TableCheck.positions); `area`, where `area_of` made it
    for these `stations` and `expected` already, spares making it again.

    Only accepted rows are summed; `rejected` counts the other rows of each district, and
    `missing` the expected stations without any row. A rejected row that names no expected
    station (blank, unknown, or of another area) is counted in `unplaced` only. Required
    lines must be present and, in accepted rows, not null; null entry votes count as 0;
    optional lines follow `saylau.tabulate.totals`. Raises InputError for an accepted row
    of a station that is not expected, two accepted rows of one station, an expected
    station not in the registry, or a district split between territories.
    """
    entries = entry_columns(table)
    _check_columns(table, stations, entries)
    mask = _accepted_mask(accepted, table.num_rows)
    _check_required_lines(table, mask)
    registry = stations.column(STATION).combine_chunks()
    if positions is None:
        positions = pc.index_in(table.column(STATION), value_set=registry)
    row_at = combined(positions).cast(pa.int64())
    if area is None or expected is None:
        area = area_at(stations, registry, expected, row_at)
    districts, expected_at = area.districts, area.expected_at
    if len(expected_at) == len(registry):  # every station, as for a national list
        placed = pc.is_valid(row_at)
    else:
        placed = pc.is_in(row_at, value_set=expected_at).fill_null(False)
    _check_accepted_rows(table, mask, placed)
    placed_at = pc.filter(row_at, placed)
    once = _once(placed_at, len(registry))
    if not once:
        _check_one_accepted_row(table, mask, row_at)
    row_district = pc.if_else(placed, districts.indices.take(row_at), None)
    expected_district, expected_count = area.expected_district, area.expected_count
    review = _accepted_mask(flagged, table.num_rows) if flagged is not None else None
    sums = _grouped_sums(table, mask, row_district, entries, review)
    if once:  # each placed row is another station: the rest of the expected are missing
        missing = {code: count - _rows(sums, code) for code, count in expected_count.items()}
    else:
        unreported = pc.invert(pc.is_in(expected_at, value_set=row_at).fill_null(False))
        missing = code_counts(pc.filter(expected_district, unreported))

    by_district: dict[DistrictId, LineTotals] = {}
    for code in expected_count:
        rejected = _rows(sums, code, accepted=False)
        total = _district_total(sums.get((code, True)), entries, rejected, missing.get(code, 0))
        by_district[districts.dictionary[code].as_py()] = total
    unplaced = _rows(sums, None, accepted=False)
    return ContestTotals.from_districts(
        contest_id, round, entries, by_district, area.territory_of, unplaced=unplaced
    )


def _once(positions: pa.Array, known: int) -> bool:
    """Whether no registry position is named twice: counted, not hashed."""
    named = positions.to_numpy(zero_copy_only=False)
    return bool(np.bincount(named, minlength=known).max(initial=0) <= 1)


def _rows(sums: _Sums, code: int | None, accepted: bool | None = None) -> int:
    """How many rows of district `code` (None: unplaced) are accepted, rejected, or either."""
    wanted = (True, False) if accepted is None else (accepted,)
    return sum(sums[code, flag][_ROWS] for flag in wanted if (code, flag) in sums)


def _check_columns(table: pa.Table, stations: pa.Table, entries: Sequence[EntryId]) -> None:
    registry_columns_checked(stations)
    schema = table.schema
    kinds = dict(zip(schema.names, schema.types, strict=True))
    if STATION not in kinds:
        raise InputError(f"the protocol table has no column {STATION}")
    for line in REQUIRED_LINES:
        if line not in kinds:
            raise InputError(f"the protocol table has no column {line}, a required line")
    for name in (*LINES, *entries):
        if name in kinds and not pa.types.is_integer(kinds[name]):
            raise InputError(f"protocol table column {name}: {kinds[name]} is not whole numbers")


def _accepted_mask(accepted: pa.BooleanArray | None, rows: int) -> pa.Array:
    if accepted is None:
        return pa.repeat(True, rows)
    if isinstance(accepted, pa.ChunkedArray):
        accepted = accepted.combine_chunks()
    if not pa.types.is_boolean(accepted.type):
        raise InputError(f"the accepted mask is {accepted.type}, not boolean")
    if len(accepted) != rows:
        raise InputError(f"the accepted mask has {len(accepted)} rows, the table {rows}")
    return accepted.fill_null(False)


def _check_accepted_rows(table: pa.Table, mask: pa.Array, placed: pa.Array) -> None:
    """Every accepted row names an expected station."""
    stray = pc.and_(mask, pc.invert(placed))
    if pc.any(stray).as_py():
        station = combined(pc.filter(table.column(STATION), stray))[0].as_py()
        if station is None:
            raise InputError("protocol table: an accepted row has no station id")
        raise InputError(
            f"protocol table: accepted row of station {station}, "
            "which is not an expected station of the registry"
        )


def _check_one_accepted_row(table: pa.Table, mask: pa.Array, row_at: pa.Array) -> None:
    """No station has two accepted rows (two rejected rows are two rejections)."""
    counted = pc.filter(row_at, mask)
    if pc.count_distinct(counted).as_py() == len(counted):
        return
    counts = pc.value_counts(counted)
    twice = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))[0]
    station = combined(pc.filter(table.column(STATION), pc.equal(row_at, twice)))[0]
    raise InputError(f"protocol table: station {station.as_py()} has two accepted rows")


def _check_required_lines(table: pa.Table, mask: pa.Array) -> None:
    for line in REQUIRED_LINES:
        column = table.column(line)
        if column.null_count == 0:
            continue
        blank = pc.and_(pc.is_null(column), mask)
        if pc.any(blank).as_py():
            station = combined(pc.filter(table.column(STATION), blank))[0].as_py()
            raise InputError(f"station {station}: accepted protocol has no {line}")


def _grouped_sums(
    table: pa.Table,
    mask: pa.Array,
    row_district: pa.Array,
    entries: Sequence[EntryId],
    flagged: pa.Array | None,
) -> _Sums:
    """Sums of every line and entry, the row count and the flagged rows, by (district,
    accepted)."""
    present = set(table.column_names)
    summed = [name for name in (*LINES, *entries) if name in present]
    columns = {_DISTRICT: row_district, _ACCEPTED: mask}
    columns.update({name: _exact(table.column(name)) for name in summed})
    whole = pc.ScalarAggregateOptions(min_count=0)
    aggregations: list[tuple[Any, ...]] = [
        (name, "sum") if name in OPTIONAL_LINES else (name, "sum", whole) for name in summed
    ]
    if flagged is not None:
        columns[_FLAGGED] = pc.cast(flagged, pa.int64())
        aggregations.append((_FLAGGED, "sum", whole))
    aggregations.append(([], "count_all"))
    grouped = group_sums(pa.table(columns), [_DISTRICT, _ACCEPTED], aggregations)
    grouped = grouped.rename_columns([_output_name(name) for name in grouped.column_names])
    return {
        (row[_DISTRICT], row[_ACCEPTED]): {k: _whole(v) for k, v in row.items()}
        for row in grouped.to_pylist()
    }


THREADED_ROWS: Final = 1 << 16
"""A table of this many rows or more is grouped on Arrow's thread pool, as pyarrow groups
every table; a smaller one in the calling thread, which spares handing it to the pool."""


def group_sums(table: pa.Table, keys: list[str], aggregations: list[tuple[Any, ...]]) -> pa.Table:
    """`table.group_by(keys).aggregate(aggregations)`, run by Arrow's own engine (acero) as
    pyarrow plans it (each function as its hash_ variant, named `column_function` or
    `count_all`), without loading `pyarrow.acero`: its import of `pyarrow.dataset` and the
    file systems is a large part of a small run's start-up, for nothing a run uses. The
    groups come in no set order."""
    try:
        from pyarrow._acero import AggregateNodeOptions, Declaration, TableSourceNodeOptions
    except ImportError:  # a pyarrow without the module: its public way
        return table.group_by(keys).aggregate(aggregations)
    steps = []
    for target, function, *options in aggregations:
        columns = [target] if isinstance(target, str) else list(target)
        name = "_".join([*columns, function]) if columns else function
        steps.append((columns, f"hash_{function}", options[0] if options else None, name))
    source = Declaration("table_source", TableSourceNodeOptions(table))
    summed = Declaration("aggregate", AggregateNodeOptions(steps, keys=keys))
    plan = Declaration.from_sequence([source, summed])
    found: pa.Table = plan.to_table(use_threads=table.num_rows >= THREADED_ROWS)
    return found


def _whole(value: Any) -> Any:
    """A decimal sum as a Python int; any other value as it is."""
    return int(value) if isinstance(value, Decimal) else value


EXACT: Final = pa.decimal128(38, 0)
"""Room for any total of int64 cells a table can hold: sums are never wrapped."""


def _exact(column: Any) -> Any:
    """The column as it is when its total cannot pass int64, else as 38-digit decimals, so
    that the sums are exact at any size (int() of each makes it a Python int again)."""
    if len(column) == 0:
        return column
    bounds = pc.min_max(column)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    if max(abs(low or 0), abs(high or 0)) * len(column) <= INT64_MAX:
        return column
    return pc.cast(column, EXACT)


def _output_name(name: str) -> str:
    """The summed column an aggregate output stands for: `x_sum` is x, `count_all` the rows."""
    if name in (_DISTRICT, _ACCEPTED):
        return name
    if name == "count_all":
        return _ROWS
    return name.removesuffix("_sum")


def _district_total(
    row: dict[str, Any] | None, entries: Sequence[EntryId], rejected: int, missing: int
) -> LineTotals:
    if row is None:
        return LineTotals.empty(entries, rejected=rejected, missing=missing)
    return LineTotals(
        registered=row["registered"],
        ballots_received=row["ballots_received"],
        took_part=row["took_part"],
        ballots_cancelled=row["ballots_cancelled"],
        ballots_found=row["ballots_found"],
        invalid=row["invalid"],
        took_part_outside=row.get("took_part_outside"),
        ballots_lost=row.get("ballots_lost"),
        ballots_unaccounted=row.get("ballots_unaccounted"),
        valid=row.get("valid"),
        against_all=row.get("against_all"),
        votes={entry: row[entry] for entry in entries},
        protocols=row[_ROWS],
        rejected=rejected,
        missing=missing,
        flagged=row.get(_FLAGGED) or 0,
    )


__all__ = ["REGISTRY_COLUMNS", "entry_columns", "tabulate"]
