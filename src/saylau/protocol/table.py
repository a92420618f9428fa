"""The control relations on a whole protocol table at once, with pyarrow compute.

A protocol table (layout in `saylau.protocol.lines`) holds the protocols of one contest and
round, one row per station. `check_table` builds one boolean mask per check (the integrity
checks, then each relation of the law's form) and turns only the failing rows into
violations, whose messages are those of `check_protocol`, row by row. Two checks need the
whole table or the registry: a station on more than one row (`duplicate_station`: every
such row is rejected) and a station that is not one of the election's (`unknown_station`).
An entry whose votes are left empty is `line_missing`.

Rejected protocols are never dropped: `TableCheck.accepted` says which rows to count, and
`TableCheck.flagged` which counted rows break a relation whose severity is `flag`.
Sums are exact: in int64 when the largest values cannot overflow it, else in decimal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.law.form import (
    VOTES,
    ControlRelation,
    ProtocolForm,
    Severity,
)
from saylau.protocol.aside import aside
from saylau.protocol.checks import (
    ProtocolKey,
    ProtocolViolation,
    ViolationCode,
    duplicated,
    not_recorded,
    not_whole,
    relation_broken,
    unknown,
)
from saylau.protocol.columns import (
    Columns,
    breaks,
    combined,
    magnitude,
    station_id_array,
    symbols,
)
from saylau.protocol.lines import (
    LINES,
    REQUIRED_LINES,
    RESERVED_COLUMNS,
    STATION,
    ContestId,
    Protocol,
    StationId,
)


@dataclass(frozen=True, eq=False)
class TableCheck:
    """The violations of a protocol table, and which of its rows are accepted."""

    contest_id: ContestId
    round: int
    table: pa.Table
    violations: tuple[ProtocolViolation, ...]
    rows: tuple[int, ...]
    """The table row (from 0) of each violation."""
    accepted: pa.BooleanArray
    """One flag per row: True where the row breaks no check that rejects."""
    flagged: pa.BooleanArray
    """One flag per row: True where the row breaks a relation that flags it for review."""
    positions: pa.Array | None = None
    """Each row's position among the stations given to the check (null: unknown), when
    the check was given them; tabulation reuses it instead of looking every id up again."""

    @property
    def accepted_count(self) -> int:
        """How many protocols are accepted."""
        return int(pc.sum(self.accepted, min_count=0).as_py())

    @property
    def rejected_count(self) -> int:
        """How many protocols are rejected (kept in the table, not counted)."""
        rows: int = self.table.num_rows
        return rows - self.accepted_count

    @property
    def rejected_stations(self) -> tuple[StationId, ...]:
        """The stations of the rejected rows, each once, in table order."""
        stations = self.table.column(STATION).filter(pc.invert(self.accepted))
        names: list[StationId] = stations.to_pylist()
        return tuple(dict.fromkeys(names))

    @property
    def flagged_stations(self) -> tuple[StationId, ...]:
        """The stations of accepted rows flagged for review, each once, in table order."""
        keep = pc.and_(self.accepted, self.flagged)
        names: list[StationId] = self.table.column(STATION).filter(keep).to_pylist()
        return tuple(dict.fromkeys(names))

    def accepted_table(self) -> pa.Table:
        """The rows to count: the table without its rejected protocols."""
        return self.table.filter(self.accepted)

    def counts(self) -> Mapping[ViolationCode, int]:
        """How many violations of each code."""
        found: dict[ViolationCode, int] = {}
        for violation in self.violations:
            found[violation.code] = found.get(violation.code, 0) + 1
        return found


def _number(value: Any) -> int | None:
    """A cell as a Python int (decimal sums included), or None."""
    return None if value is None else int(value)


def positions_among(station: pa.Array, known: pa.Array) -> pa.Array:
    """Each row's position among the known stations (int32, null where unknown); where the
    known stations repeat an id, its first position. One hash table of the known ids, probed
    by every row."""
    return combined(pc.index_in(station, value_set=combined(known)))


def _duplicates(
    station: pa.Array, positions: pa.Array | None
) -> tuple[pa.Array | None, dict[str, int]]:
    """The rows whose station is on more than one row (None when none is), and how many rows
    each such has. Counting distinct ids settles the common case (over their positions among
    the known stations, when given: integers, not text); only a table with repeats is
    sorted, so that equal ids end up side by side."""
    rows = len(station)
    if rows < 2:
        return None, {}
    if positions is not None and positions.null_count == 0:
        named = positions.to_numpy(zero_copy_only=False)
        if np.bincount(named).max(initial=0) <= 1:
            return None, {}
    elif pc.count_distinct(station).as_py() == rows:
        return None, {}
    ordered = station.take(pc.array_sort_indices(station))
    same = pc.equal(ordered.slice(1), ordered.slice(0, rows - 1))
    repeated = pc.filter(ordered.slice(1), same)
    counts: dict[str, int] = {}
    for station_id in repeated.to_pylist():
        counts[station_id] = counts.get(station_id, 1) + 1
    return pc.is_in(station, value_set=pa.array(list(counts), pa.string())), counts


class _Findings:
    """The masks of the relations and the violations of their failing rows."""

    def __init__(self, station: pa.Array, contest_id: ContestId, round: int) -> None:
        self.station = station
        self.contest_id = contest_id
        self.round = round
        self.checks = 0
        self.found: list[tuple[int, int, ProtocolViolation]] = []
        self.severities: dict[Severity, list[pa.Array]] = {"reject": [], "flag": []}

    def skip(self) -> None:
        """A check that cannot fail on this table (no negative, no null cell): none found."""
        self.checks += 1

    def record(
        self,
        mask: pa.Array,
        build: Callable[..., ProtocolViolation],
        *values: pa.Array,
        severity: Severity = "reject",
    ) -> None:
        """Keep `mask`; build a violation from `values` on each row where it is True."""
        position = self.checks
        self.checks += 1
        if not pc.any(mask).as_py():
            return
        self.severities[severity].append(mask)
        failing = pc.indices_nonzero(mask)
        ids = self.station.take(failing).to_pylist()
        cells = [array.take(failing).to_pylist() for array in values]
        for row, station_id, *numbers in zip(failing.to_pylist(), ids, *cells, strict=True):
            key = ProtocolKey(station_id, self.contest_id, self.round)
            self.found.append((row, position, build(key, *[_number(n) for n in numbers])))

    def mask(self, severity: Severity, rows: int) -> pa.Array:
        """Row by row, whether any check of `severity` is broken."""
        masks = self.severities[severity]
        return reduce(pc.or_, masks) if masks else pa.repeat(False, rows)


def check_table(
    table: pa.Table,
    contest_id: ContestId,
    round: int,
    stations: Collection[StationId] | pa.Array | None = None,
    *,
    form: ProtocolForm,
    positions: pa.Array | Callable[[], pa.Array | None] | None = None,
) -> TableCheck:
    """Every check on every row, vectorized: the same violations as `check_protocol` with
    the same `form` on each row, plus `duplicate_station` and `unknown_station`. Each row's
    position among `stations` is looked up here, unless given as `positions` (as
    `positions_among` would give them), or as a function that gives them (or None, to look
    them up here after all), asked once the rows' own checks are done, so that a look-up
    computed beside them has the time of those checks."""
    columns = Columns(table)
    lookup: Callable[[], pa.Array | None] | None = None
    if positions is not None and not isinstance(positions, pa.Array | pa.ChunkedArray):
        lookup, positions = _or_looked_up(positions, columns.station, stations), None
    elif stations is not None and positions is None:
        station, among = columns.station, station_id_array(stations)
        lookup = aside(lambda: positions_among(station, among), columns.rows)
    findings = _Findings(columns.station, contest_id, round)
    record = findings.record
    for name in (*LINES, *columns.entries):
        cell, (low, _) = columns[name], columns.bounds(name)
        if low is not None and low < 0:
            record(pc.fill_null(pc.less(cell, 0), False), _negative(name), cell)
        else:
            findings.skip()
    for name in (*REQUIRED_LINES, *columns.entries):
        if columns[name].null_count:
            record(pc.is_null(columns[name]), _missing(name))
        else:
            findings.skip()

    named = symbols(columns)
    sizes: dict[str, int] = {line: columns.magnitude(line) for line in LINES}
    sizes[VOTES] = magnitude(named[VOTES])
    for relation in form.relations:
        used = [symbol for symbol in named if symbol in relation.rule.symbols]
        build = _relation_builder(relation, used)
        cells = [named[symbol] for symbol in used]
        record(breaks(relation, named, sizes), build, *cells, severity=relation.severity)

    if lookup is not None:
        positions = lookup()
    elif stations is None:
        positions = None
    repeated, rows_of = _duplicates(columns.station, positions)
    if repeated is None:
        findings.skip()
    else:
        record(repeated, lambda key: duplicated(key, rows_of[key.station_id]))
    if positions is not None:
        record(pc.is_null(positions), unknown)

    ordered = sorted(findings.found, key=lambda item: (item[0], item[1]))
    return TableCheck(
        contest_id=contest_id,
        round=round,
        table=table,
        violations=tuple(violation for _, _, violation in ordered),
        rows=tuple(row for row, _, _ in ordered),
        accepted=pc.invert(findings.mask("reject", columns.rows)),
        flagged=findings.mask("flag", columns.rows),
        positions=positions,
    )


def _or_looked_up(
    given: Callable[[], pa.Array | None],
    station: pa.Array,
    stations: Collection[StationId] | pa.Array | None,
) -> Callable[[], pa.Array | None]:
    """The positions `given` gives, or where it gives none, looked up among `stations`."""

    def positions() -> pa.Array | None:
        found = given()
        if found is not None or stations is None:
            return found
        return positions_among(station, station_id_array(stations))

    return positions


def _relation_builder(
    relation: ControlRelation, symbols: Sequence[str]
) -> Callable[..., ProtocolViolation]:
    def build(key: ProtocolKey, *cells: int | None) -> ProtocolViolation:
        return relation_broken(key, relation, dict(zip(symbols, cells, strict=True)))

    return build


def _negative(line: str) -> Callable[[ProtocolKey, int], ProtocolViolation]:
    return lambda key, value: not_whole(key, line, value)


def _missing(line: str) -> Callable[[ProtocolKey], ProtocolViolation]:
    return lambda key: not_recorded(key, line)


def protocols_from_table(table: pa.Table, contest_id: ContestId, round: int) -> Iterator[Protocol]:
    """Each row as a Protocol, rejected rows included (they are reviewed, not dropped).

    An empty cell of an optional line is None. An empty cell of a required line is None too,
    against the field's type, so that `check_protocol` can report it as `line_missing`; an
    empty entry cell is left out of `votes` (`check_table` reports it).
    """
    columns = Columns(table)
    lines = [line for line in LINES if line in table.column_names]
    for batch in table.select([STATION, *lines, *columns.entries]).to_batches():
        data = batch.to_pydict()
        for row in range(batch.num_rows):
            fields: dict[str, Any] = {line: data[line][row] for line in lines}
            fields.update({line: None for line in REQUIRED_LINES if line not in fields})
            votes = {entry: data[entry][row] for entry in columns.entries}
            yield Protocol(
                station_id=data[STATION][row],
                contest_id=contest_id,
                round=round,
                votes={entry: value for entry, value in votes.items() if value is not None},
                **fields,
            )


def table_from_protocols(protocols: Iterable[Protocol]) -> pa.Table:
    """The protocol table of protocols of one contest and round, in the lines.py layout.

    Every line has a column (int64; null where not recorded), then one int64 column per
    entry, in the order entries first appear. Raises ValueError on protocols of different
    contests or rounds, on an entry named like a reserved column, and on a value that is not
    a whole number (a table holds only whole numbers).
    """
    rows = list(protocols)
    keys = sorted({(p.contest_id, p.round) for p in rows})
    if len(keys) > 1:
        raise ValueError(f"protocols of more than one contest and round: {keys}")
    names = list(dict.fromkeys(entry for p in rows for entry in p.votes))
    clash = sorted(set(names) & RESERVED_COLUMNS)
    if clash:
        raise ValueError(f"entry id {', '.join(clash)} is a reserved column name")
    data: dict[str, pa.Array] = {STATION: pa.array([p.station_id for p in rows], pa.string())}
    for line in LINES:
        data[line] = _whole_column(line, [(p.station_id, p.line(line)) for p in rows])
    for entry in names:
        data[entry] = _whole_column(entry, [(p.station_id, p.votes.get(entry)) for p in rows])
    return pa.table(data)


def _whole_column(name: str, cells: list[tuple[StationId, object]]) -> pa.Array:
    for station_id, value in cells:
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f"station {station_id}: {name} is {value!r}, not a whole number")
    return pa.array([value for _, value in cells], pa.int64())


__all__ = ["TableCheck", "check_table", "protocols_from_table", "table_from_protocols"]
