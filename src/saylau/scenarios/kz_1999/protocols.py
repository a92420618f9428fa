"""Station protocols of the 1999 Majilis ballots, generated to add up to the planned totals.

Every protocol keeps the control relations of docs/kz-1999-law.md [I]: received = issued +
cancelled + lost; found in the boxes <= issued; entries + against all + invalid = found;
issued <= registered; issued outside <= issued. The list ballot adds up exactly to the
published national figures [S2]; how each total splits by station is generated.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from saylau.protocol.lines import LINES, STATION
from saylau.scenarios.kz_1999.plan import Count
from saylau.scenarios.split import fill_table, jitter

AGAINST_ALL, INVALID = "against_all", "invalid"

REGION_LEANINGS: Mapping[str, Mapping[str, int]] = {
    "north": {"otan": 900, "communist": 1350, "agrarian": 1100, "alash": 450, "revival": 1500},
    "centre": {"communist": 1150, "civic": 1250, "labour": 1250, "alash": 700},
    "south": {"otan": 1150, "communist": 650, "alash": 1600, "revival": 500, "against_all": 850},
    "west": {"otan": 1100, "communist": 850, "agrarian": 900, "alash": 1200},
    "city": {"otan": 850, "azamat": 1800, "civic": 1150, "congress": 1500, "agrarian": 450},
    "capital": {"civic": 1150, "agrarian": 800, "azamat": 1300},
}
"""Generated leanings (per mille of the national share) of the list vote in each region."""


@dataclass(frozen=True)
class StationLines:
    """The lines of a station protocol that do not depend on how the ballots were marked."""

    registered: int
    ballots_received: int
    took_part: int
    took_part_outside: int
    ballots_cancelled: int
    ballots_lost: int


def station_lines(rng: random.Random, registered: int, took_part: int) -> StationLines:
    """Ballots received: the list plus up to 1% reserve; issued outside: 0.5-4% [generated]."""
    received = registered + rng.randint(0, registered // 100)
    outside = took_part * rng.randint(5, 40) // 1000
    return StationLines(registered, received, took_part, outside, received - took_part, 0)


def protocol_table(
    station_ids: Sequence[str],
    lines: Mapping[str, StationLines],
    found: Sequence[int],
    entries: Sequence[str],
    rows: Sequence[Sequence[int]],
) -> pa.Table:
    """One contest and round in the protocol-table layout (saylau.protocol.lines).

    `rows[i]` holds station i's votes for each entry, then against all, then invalid.
    """
    width = len(entries)
    values: dict[str, list[int]] = {
        "registered": [lines[s].registered for s in station_ids],
        "ballots_received": [lines[s].ballots_received for s in station_ids],
        "took_part": [lines[s].took_part for s in station_ids],
        "ballots_cancelled": [lines[s].ballots_cancelled for s in station_ids],
        "ballots_found": list(found),
        "invalid": [row[width + 1] for row in rows],
        "took_part_outside": [lines[s].took_part_outside for s in station_ids],
        "ballots_lost": [lines[s].ballots_lost for s in station_ids],
        "against_all": [row[width] for row in rows],
    }
    columns: dict[str, pa.Array] = {STATION: pa.array(list(station_ids), pa.string())}
    columns.update({line: pa.array(values[line], pa.int64()) for line in LINES if line in values})
    for k, entry in enumerate(entries):
        columns[entry] = pa.array([row[k] for row in rows], pa.int64())
    return pa.table(columns)


def fill_by_size(
    row_totals: Sequence[int], column_totals: Sequence[int], leanings: Sequence[Sequence[int]]
) -> list[list[int]]:
    """`fill_table` with the smallest columns filled first, the largest taking the rest."""
    order = sorted(range(len(column_totals)), key=lambda c: (column_totals[c], c))
    filled = fill_table(
        row_totals,
        [column_totals[c] for c in order],
        [[lean[c] for c in order] for lean in leanings],
    )
    back = {c: k for k, c in enumerate(order)}
    return [[row[back[c]] for c in range(len(column_totals))] for row in filled]


def list_table(
    rng: random.Random,
    territory_ids: Sequence[str],
    regions: Mapping[str, str],
    station_ids: Sequence[str],
    station_territory: Mapping[str, str],
    lines: Mapping[str, StationLines],
    gap: Mapping[str, int],
    totals: Mapping[str, int],
) -> pa.Table:
    """The list ballot: national `totals` (parties, against all, invalid) down to stations.

    First by territory, leaning by region; then by station, near the territory's shares.
    Ballots found = issued - `gap` (the published 9 ballots never found, [S2] vs its parts).
    """
    parties = [c for c in totals if c not in (AGAINST_ALL, INVALID)]
    columns = [*parties, AGAINST_ALL, INVALID]
    national = [totals[c] for c in columns]
    found = {s: lines[s].took_part - gap.get(s, 0) for s in station_ids}
    by_territory = {t: [s for s in station_ids if station_territory[s] == t] for t in territory_ids}
    territory_found = [sum(found[s] for s in by_territory[t]) for t in territory_ids]
    leanings = [
        [
            jitter(rng, total, 80) * REGION_LEANINGS[regions[t]].get(c, 1000) // 1000
            for c, total in zip(columns, national, strict=True)
        ]
        for t in territory_ids
    ]
    territory_rows = fill_by_size(territory_found, national, leanings)
    rows: dict[str, list[int]] = {}
    for t, row in zip(territory_ids, territory_rows, strict=True):
        own = by_territory[t]
        lean = [[jitter(rng, v, 150) for v in row] for _ in own]
        rows.update(zip(own, fill_by_size([found[s] for s in own], row, lean), strict=True))
    return protocol_table(
        station_ids, lines, [found[s] for s in station_ids], parties, [rows[s] for s in station_ids]
    )


def district_table(
    rng: random.Random,
    count: Count,
    station_ids: Sequence[str],
    lines: Mapping[str, StationLines],
) -> pa.Table:
    """A district ballot: the planned district `count` shared among its stations.

    Every ballot issued is found in the box (no gap is published for district ballots).
    """
    found = [lines[s].took_part for s in station_ids]
    if sum(found) != count.took_part:
        raise ValueError(f"{count.contest_id}: stations issued {sum(found)}, not {count.took_part}")
    column_totals = [v for _, v in count.votes] + [count.against_all, count.invalid]
    lean = [[jitter(rng, v, 200) for v in column_totals] for _ in station_ids]
    rows = fill_by_size(found, column_totals, lean)
    return protocol_table(station_ids, lines, found, count.entries, rows)
