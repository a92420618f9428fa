"""St Petersburg 2021: where each station lies, and its protocol lines as protocol tables.

The lines map onto Saylau's (saylau.protocol.lines) as stated in saylau.importers.spb2021.city:
took_part = ballots_received - ballots_cancelled - lost + not_counted (the Russian
protocol's balance), ballots_found = ballots_stationary + ballots_portable,
ballots_lost = lost, ballots_unaccounted = not_counted, and the form's own `valid` line as
published. No published count is changed; disagreements become notes, errors, or (for a
`valid` line that differs from the votes) the law's control relation `valid_balance`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pyarrow as pa

from saylau.errors import InputError
from saylau.importers.spb2021.source_csv import Ballot, Counts, StationFile
from saylau.inputs import Note
from saylau.protocol.lines import LINES, STATION, Line


def took_part(lines: Mapping[str, Counts]) -> Counts:
    """Ballots issued, from the balance received = issued + cancelled + lost - not counted."""
    issued: Counts = (
        lines["ballots_received"]
        - lines["ballots_cancelled"]
        - lines["lost"]
        + lines["not_counted"]
    )
    return issued


_LINE_OF: Mapping[Line, Callable[[Mapping[str, Counts]], Counts]] = {
    "registered": lambda lines: lines["registered"],
    "ballots_received": lambda lines: lines["ballots_received"],
    "took_part": took_part,
    "ballots_cancelled": lambda lines: lines["ballots_cancelled"],
    "ballots_found": lambda lines: lines["ballots_stationary"] + lines["ballots_portable"],
    "invalid": lambda lines: lines["invalid"],
    "valid": lambda lines: lines["valid"],
    "ballots_lost": lambda lines: lines["lost"],
    "ballots_unaccounted": lambda lines: lines["not_counted"],
}
"""Each of Saylau's lines the files give, from the file's columns."""

TABLE_LINES: tuple[Line, ...] = tuple(name for name in LINES if name in _LINE_OF)
"""The line columns of every table, in the layout's order; the rest are left out."""


def protocol_table(ballot: Ballot, columns: Sequence[tuple[str, str]]) -> pa.Table:
    """The protocol table of one ballot; `columns` pairs each entry key with its column name.

    Every count is kept as published. A station whose `valid` line differs from the sum of
    its entries is not the importer's to judge: the law's relation `valid_balance` checks it.
    """
    data: dict[str, pa.Array] = {STATION: pa.array(ballot.stations, pa.string())}
    for name in TABLE_LINES:
        data[name] = _int64(_LINE_OF[name](ballot.lines))
    for key, column in columns:
        data[column] = _int64(ballot.votes[key])
    schema = pa.schema([pa.field(name, array.type, nullable=False) for name, array in data.items()])
    return pa.table(data, schema=schema)


def _int64(counts: Counts) -> pa.Array:
    """Counts as an Arrow int64 array over the same memory (`pa.array` of a NumPy array
    would load numpy.ma, which nothing else in a run needs)."""
    data = np.ascontiguousarray(counts, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def not_counted_stations(read: StationFile) -> list[str]:
    """Stations that record ballots not counted on receipt, where Saylau's balance fails."""
    found: set[str] = set()
    for ballot in read.ballots.values():
        found.update(np.asarray(ballot.stations)[ballot.lines["not_counted"] != 0].tolist())
    return sorted(found, key=int)


ABROAD: Final = "Голосование за рубежом"
"""The `raion` of a station abroad ("voting abroad"): the files attach each to a commission
and a district of the city, as the law assigns stations abroad, but not to a raion."""


@dataclass
class Placement:
    """Each station's district (`smd`) and commission (`tik`), and each commission's raion;
    `abroad` holds the stations abroad, each with its commission."""

    district_of: dict[str, str] = field(default_factory=dict)
    tik_of: dict[str, str] = field(default_factory=dict)
    raion_of: dict[str, str] = field(default_factory=dict)
    abroad: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def place_stations(city: StationFile, local: StationFile) -> Placement:
    """Place every station; both files must agree on its commission, and a commission's
    stations in the city on its raion (a station abroad is in the commission the files name,
    with a note). A station without a district protocol goes to its commission's one district."""
    found = Placement()
    first: dict[str, tuple[str, int, str]] = {}
    for read in (city, local):
        for ballot in read.ballots.values():
            for uik, tik, raion, row in zip(
                ballot.stations, ballot.tiks, ballot.raions, ballot.rows, strict=True
            ):
                was_tik, was_row, where = first.setdefault(uik, (tik, row, read.origin))
                if was_tik != tik:
                    raise InputError(
                        f"{read.origin}: row {row}, field tik: station {uik} has {tik} here "
                        f"but {was_tik} on row {was_row} of {where}"
                    )
                if raion == ABROAD:
                    found.abroad[uik] = tik
                elif found.raion_of.setdefault(tik, raion) != raion:
                    raise InputError(
                        f"{read.origin}: row {row}, field raion: station {uik} puts tik {tik} "
                        f"in '{raion}', other stations in '{found.raion_of[tik]}'"
                    )
                found.tik_of[uik] = tik
                if ballot.smd:
                    _one_district(found, ballot.smd, uik, row, read.origin)
    for tik in found.abroad.values():
        found.raion_of.setdefault(tik, ABROAD)
    _place_list_only(found, city, local)
    if found.abroad:
        found.notes.append(_abroad_note(found))
    return found


def _abroad_note(found: Placement) -> Note:
    where = ", ".join(
        f"{uik} (tik {found.abroad[uik]}, district {found.district_of.get(uik, 'none')})"
        for uik in sorted(found.abroad, key=int)
    )
    return Note(
        "source",
        f"{len(found.abroad)} stations vote abroad (raion '{ABROAD}'): {where}. They are "
        "counted in the territorial commission and the district the files attach them to, "
        "as the commission counted them.",
    )


def _one_district(found: Placement, smd: str, uik: str, row: int, origin: str) -> None:
    was = found.district_of.setdefault(uik, smd)
    if was != smd:
        raise InputError(
            f"{origin}: row {row}, field smd: station {uik} is in district {smd} here but in "
            f"district {was} on an earlier row; a station lies in one district"
        )


def _place_list_only(found: Placement, city: StationFile, local: StationFile) -> None:
    spans: defaultdict[str, set[str]] = defaultdict(set)
    for uik, smd in found.district_of.items():
        spans[found.tik_of[uik]].add(smd)
    for ballot in city.ballots.values():
        for uik, tik, row in zip(ballot.stations, ballot.tiks, ballot.rows, strict=True):
            if uik in found.district_of:
                continue
            if len(spans[tik]) != 1:
                lie_in = ", ".join(sorted(spans[tik], key=int)) or "none"
                raise InputError(
                    f"{city.origin}: row {row}, field uik: station {uik} has no district "
                    f"protocol in {local.origin}, and the district of its tik {tik} cannot be "
                    f"told (its stations lie in districts {lie_in})"
                )
            (smd,) = spans[tik]
            found.district_of[uik] = smd
            found.notes.append(
                Note(
                    "conflict",
                    f"Station {uik} has a list protocol (row {row} of {city.origin}) but no "
                    f"district protocol in {local.origin}: its district, {smd}, is inferred "
                    f"from its territorial commission {tik}, whose other stations all lie in "
                    f"it. Its district protocol is missing, not zero.",
                )
            )
    listed = {uik for ballot in city.ballots.values() for uik in ballot.stations}
    for ballot in local.ballots.values():
        for uik, row in zip(ballot.stations, ballot.rows, strict=True):
            if uik not in listed:
                found.notes.append(
                    Note(
                        "conflict",
                        f"Station {uik} has a district protocol (row {row} of {local.origin}) "
                        f"but no list protocol in {city.origin}.",
                    )
                )
