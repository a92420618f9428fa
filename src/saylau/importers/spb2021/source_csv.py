"""Reading one St Petersburg 2021 station file: a row per (station, entry on the ballot).

The same layout holds both elections of the day: the city's (`election` = `city`, ZakS)
and the federal one (`federal`, the State Duma); a file holds one of them, one tier.

The files (the package's data/SOURCES.md) repeat a station's protocol lines on every entry row.
A station is kept once per (`smd`, `uik`); a repeat that disagrees on a line, or on the
station's `tik` or `raion`, is a conflict and stops the read. So does a repeat of an entry
whose position, name or party differs, a second count for the same cell, and a station
without a count for an entry of its ballot. The file is parsed by pyarrow and checked
column by column; every error still names the file, the row (the CSV line number) and
the field.
"""

from __future__ import annotations

import csv
import gzip
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from saylau.errors import InputError
from saylau.io.csv_rows import RowNumbers, first_bad, row_numbers, wrong_width

LINE_FIELDS: Final = (
    "registered",
    "ballots_received",
    "ballots_cancelled",
    "ballots_stationary",
    "ballots_portable",
    "valid",
    "invalid",
    "lost",
    "not_counted",
)
"""The protocol lines a station row carries, in the file's order."""

COLUMNS: Final = (
    "election",
    "tier",
    "smd",
    "uik",
    "tik",
    "raion",
    *LINE_FIELDS,
    "entry_position",
    "entry_name",
    "party_id",
    "votes",
)

TEXT_COLUMNS: Final = frozenset({"election", "tier", "smd", "raion", "entry_name", "party_id"})
"""Columns read as text, without surrounding spaces; the others are whole numbers."""

NUMBER_DIGITS: Final = 9
"""At most this many digits in a station, commission or district number or a position."""
COUNT_DIGITS: Final = 18
"""At most this many digits in a count, so that every sum stays exact in int64."""
_SHIFT: Final = 10**NUMBER_DIGITS

Level = Literal["city", "federal"]
"""The `election` column: the city election (ZakS) or the federal one (State Duma)."""
Tier = Literal["list", "smd"]
EntryKey = Literal["party_id", "entry_position"]
"""The column naming an entry: the party on the list ballot, the position on a district one."""

Tick = Callable[[int], None]
"""Told the compressed bytes of the current file read so far."""

Counts = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Entry:
    """An entry on a ballot: a party on the list ballot, a candidate on a district ballot."""

    key: str
    position: int
    name: str
    party_id: str
    row: int


@dataclass(frozen=True)
class Ballot:
    """One ballot's protocols, the list ballot (`smd` "") or a district's, in station order.

    `rows` gives each station's first CSV line; `lines` and `votes` (by entry key) hold one
    count per station.
    """

    smd: str
    stations: tuple[str, ...]
    tiks: tuple[str, ...]
    raions: tuple[str, ...]
    rows: tuple[int, ...]
    lines: Mapping[str, Counts]
    entries: tuple[Entry, ...]
    votes: Mapping[str, Counts]


@dataclass(frozen=True)
class StationFile:
    """A file read: its ballots by `smd`, in district number order."""

    origin: str
    ballots: Mapping[str, Ballot]


def read_station_file(
    path: Path,
    *,
    level: Level,
    tier: Tier,
    entry_key: EntryKey,
    tick: Tick,
    origin: str | None = None,
) -> StationFile:
    """Read a gzipped station file; `entry_key` names an entry's id column, and `origin`
    the file in errors and notes (by default its path).

    Every row's `election` must be `level` and its `tier` `tier` (`list` or `smd`); on list
    rows `smd` is empty, on district rows a number.
    """
    origin = str(path) if origin is None else origin
    data = _unzip(path, origin, tick)
    table, row = _parse(data, origin)
    return StationFile(origin, _Reader(table, row, origin, level, tier, entry_key).ballots())


def _unzip(path: Path, origin: str, tick: Tick) -> bytes:
    chunks: list[bytes] = []
    try:
        with path.open("rb") as raw, gzip.GzipFile(fileobj=raw) as unzipped:
            while chunk := unzipped.read(1 << 18):
                chunks.append(chunk)
                tick(raw.tell())
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{origin}: cannot read: {exc}") from None
    return b"".join(chunks)


def _parse(data: bytes, origin: str) -> tuple[pa.Table, RowNumbers]:
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    header = [name.strip() for name in next(csv.reader([first]), [])]
    if not any(header):
        raise InputError(f"{origin}: the file is empty; expected the columns {','.join(COLUMNS)}")
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise InputError(f"{origin}: row 1: missing column {', '.join(missing)}")
    try:
        table = pv.read_csv(
            pa.py_buffer(data),
            read_options=pv.ReadOptions(column_names=header, skip_rows=1),
            convert_options=pv.ConvertOptions(
                include_columns=list(COLUMNS), column_types=dict.fromkeys(COLUMNS, pa.string())
            ),
        )
    except pa.ArrowInvalid as exc:
        found = wrong_width(data, len(header))
        if found is None:
            raise InputError(f"{origin}: cannot read: {exc}") from None
        line, width = found
        raise InputError(
            f"{origin}: row {line}: expected {len(header)} fields, got {width}"
        ) from None
    if table.num_rows == 0:
        raise InputError(f"{origin}: no rows after the header")
    return table, row_numbers(data, table.num_rows)


class _Reader:
    """Checks one parsed file column by column and splits it into ballots."""

    def __init__(
        self,
        table: pa.Table,
        row: RowNumbers,
        origin: str,
        level: Level,
        tier: Tier,
        entry_key: EntryKey,
    ) -> None:
        self.row, self.origin, self.entry_key = row, origin, entry_key
        self.text = {
            name: _trimmed(table[name].combine_chunks(), name in TEXT_COLUMNS) for name in COLUMNS
        }
        self._only("election", level)
        self._only("tier", tier)
        self.rows = table.num_rows
        if tier == "list":
            self._only("smd", "")
            self.smd: Counts = np.full(self.rows, -1, dtype=np.int64)
        else:
            self.smd = self._whole("smd", NUMBER_DIGITS)
        self.uik = self._whole("uik", NUMBER_DIGITS)
        self.tik = self._whole("tik", NUMBER_DIGITS)
        self.lines = {name: self._whole(name, COUNT_DIGITS) for name in LINE_FIELDS}
        self.position = self._whole("entry_position", NUMBER_DIGITS)
        self.votes = self._whole("votes", COUNT_DIGITS)
        self.raion, self.raions = _codes(self.text["raion"])
        self.name, self.names = _codes(self.text["entry_name"])
        self.party, self.parties = _codes(self.text["party_id"])
        if entry_key == "party_id":
            empty = first_bad(pc.not_equal(self.text["party_id"], ""))
            if empty is not None:
                raise InputError(f"{origin}: row {row(empty)}, field party_id: empty")

    def ballots(self) -> dict[str, Ballot]:
        station_keys, station_first, station = np.unique(
            self.smd * _SHIFT + self.uik, return_index=True, return_inverse=True
        )
        self._agree_on_stations(station_first[station])
        key = self.party if self.entry_key == "party_id" else self.position
        entry_keys, entry_first, entry = np.unique(
            (self.smd + 1) * _SHIFT + key, return_index=True, return_inverse=True
        )
        self._agree_on_entries(entry_first[entry])
        self._one_count_per_cell(station * len(entry_keys) + entry)
        ballot_of_station = station_keys // _SHIFT
        ballot_of_entry = entry_keys // _SHIFT - 1
        rank = np.empty(len(entry_keys), dtype=np.int64)
        rank[np.lexsort((entry_keys, self.position[entry_first], ballot_of_entry))] = np.arange(
            len(entry_keys)
        )
        order = np.lexsort((self.uik, rank[entry]))
        votes = self.votes[order]
        found: dict[str, Ballot] = {}
        offset = 0
        for smd in sorted(set(ballot_of_station.tolist())):  # np.unique would load numpy.ma
            firsts = station_first[ballot_of_station == smd]
            entries = entry_first[ballot_of_entry == smd]
            entries = entries[np.argsort(rank[entry[entries]])]
            size = len(firsts)
            if np.count_nonzero(self.smd == smd) != size * len(entries):
                self._missing_count(int(smd), firsts, entries)
            ballot_votes: dict[str, Counts] = {}
            described = tuple(self._entry(int(i)) for i in entries)
            for item in described:
                ballot_votes[item.key] = votes[offset : offset + size]
                offset += size
            district = "" if smd < 0 else str(int(smd))
            found[district] = Ballot(
                smd=district,
                stations=tuple(map(str, self.uik[firsts].tolist())),
                tiks=tuple(map(str, self.tik[firsts].tolist())),
                raions=tuple(self.raions[r] for r in self.raion[firsts].tolist()),
                rows=tuple(map(self.row, firsts.tolist())),
                lines={name: values[firsts] for name, values in self.lines.items()},
                entries=described,
                votes=ballot_votes,
            )
        return found

    def _entry(self, index: int) -> Entry:
        party = self.parties[int(self.party[index])]
        position = int(self.position[index])
        key = party if self.entry_key == "party_id" else str(position)
        return Entry(key, position, self.names[int(self.name[index])], party, self.row(index))

    def _agree_on_stations(self, first: Counts) -> None:
        """Every row of a station carries its first row's commission, raion and lines."""
        fields: list[tuple[str, Counts, Callable[[int], str]]] = [
            ("tik", self.tik, str),
            ("raion", self.raion, lambda code: self.raions[code]),
        ]
        fields += [(name, self.lines[name], str) for name in LINE_FIELDS]
        clash = _first_clash(fields, first)
        if clash is not None:
            index, name, now, was = clash
            raise InputError(
                f"{self.origin}: row {self.row(index)}, field {name}: station "
                f"{self.uik[index]}{_in(self.smd[index])} has {now} here but {was} on row "
                f"{self.row(int(first[index]))}; the rows of one station must agree"
            )

    def _agree_on_entries(self, first: Counts) -> None:
        """Every row of an entry carries its first row's position, name and party."""
        fields: list[tuple[str, Counts, Callable[[int], str]]] = [
            ("entry_position", self.position, str),
            ("entry_name", self.name, lambda code: self.names[code]),
            ("party_id", self.party, lambda code: self.parties[code]),
        ]
        clash = _first_clash(fields, first)
        if clash is not None:
            index, name, now, was = clash
            raise InputError(
                f"{self.origin}: row {self.row(index)}, field {name}: "
                f"{self._what(int(first[index]))} has '{now}' here but '{was}' on row "
                f"{self.row(int(first[index]))}"
            )

    def _one_count_per_cell(self, cell: Counts) -> None:
        _, first, inverse = np.unique(cell, return_index=True, return_inverse=True)
        if len(first) == self.rows:
            return
        again = np.ones(self.rows, dtype=bool)
        again[first] = False
        index = int(np.flatnonzero(again)[0])
        earlier = int(first[inverse[index]])
        raise InputError(
            f"{self.origin}: row {self.row(index)}, field votes: station {self.uik[index]} "
            f"already has a count for {self._what(index)} on row {self.row(earlier)}"
        )

    def _missing_count(self, smd: int, stations: Counts, entries: Counts) -> None:
        """Name the first station of the ballot without a row for one of its entries."""
        key = self.party if self.entry_key == "party_id" else self.position
        mine = np.flatnonzero(self.smd == smd)
        held = set(zip(self.uik[mine].tolist(), key[mine].tolist(), strict=True))
        for first in stations.tolist():
            for index in entries.tolist():
                if (int(self.uik[first]), int(key[index])) not in held:
                    raise InputError(
                        f"{self.origin}: row {self.row(first)}, field votes: station "
                        f"{self.uik[first]} has no row for {self._what(index)}"
                    )

    def _what(self, index: int) -> str:
        entry = self._entry(index)
        return f"{self.entry_key} {entry.key}{_in(self.smd[index])}"

    def _only(self, name: str, expected: str) -> None:
        index = first_bad(pc.equal(self.text[name], expected))
        if index is not None:
            value = self.text[name][index].as_py()
            raise InputError(
                f"{self.origin}: row {self.row(index)}, field {name}: '{value}', "
                f"expected '{expected}'"
            )

    def _whole(self, name: str, digits: int) -> Counts:
        """A column of whole numbers of at most `digits` digits; surrounding spaces are allowed."""
        column = self.text[name]
        if _all_whole(column, digits):  # the common case: no cell to look at on its own
            values: Counts = pc.cast(column, pa.int64()).to_numpy()
            return values
        column = pc.utf8_trim_whitespace(column)
        index = first_bad(_whole_cells(column, digits))
        if index is None:
            trimmed: Counts = pc.cast(column, pa.int64()).to_numpy()
            return trimmed
        value = column[index].as_py()
        where = f"{self.origin}: row {self.row(index)}, field {name}"
        if not value:
            raise InputError(f"{where}: empty; a whole number is needed")
        raise InputError(
            f"{where}: '{value}' is not a whole number of at most {digits} digits "
            f"(digits only, no sign, separators or decimals)"
        )


def _whole_cells(column: pa.Array, digits: int) -> pa.Array:
    """Which cells are ASCII digits only, one to `digits` of them."""
    return pc.and_(pc.ascii_is_decimal(column), pc.less_equal(pc.binary_length(column), digits))


def _all_whole(column: pa.Array, digits: int) -> bool:
    """Whether every cell is ASCII digits only, one to `digits` of them (none is null)."""
    if column.null_count:
        return False
    decimal = pc.all(pc.ascii_is_decimal(column)).as_py()
    return bool(decimal) and (pc.max(pc.binary_length(column)).as_py() or 0) <= digits


def _trimmed(column: pa.Array, text: bool) -> pa.Array:
    return pc.utf8_trim_whitespace(column) if text else column


def _codes(column: pa.Array) -> tuple[Counts, list[str]]:
    encoded = pc.dictionary_encode(column)
    codes: Counts = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, [str(value) for value in encoded.dictionary.to_pylist()]


def _first_clash(
    fields: list[tuple[str, Counts, Callable[[int], str]]], first: Counts
) -> tuple[int, str, str, str] | None:
    """The earliest row (and its first field) whose value differs from its group's first row."""
    best: tuple[int, str, str, str] | None = None
    for name, values, show in fields:
        differ = np.flatnonzero(values != values[first])
        if differ.size and (best is None or int(differ[0]) < best[0]):
            index = int(differ[0])
            best = (index, name, show(int(values[index])), show(int(values[first[index]])))
    return best


def _in(smd: np.int64 | int) -> str:
    return f" in district {int(smd)}" if smd >= 0 else ""
