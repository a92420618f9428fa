"""Builders for the tabulation tests: a registry and a protocol table from Protocol values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyarrow as pa

from saylau.protocol.lines import LINES, STATION, Line, Protocol


def registry(places: Iterable[tuple[str, str, str]]) -> pa.Table:
    """The registry table from (station, district, territory) triples."""
    rows = list(places)
    return pa.table(
        {
            "station_id": pa.array([row[0] for row in rows], pa.string()),
            "district_id": pa.array([row[1] for row in rows], pa.string()),
            "territory_id": pa.array([row[2] for row in rows], pa.string()),
        }
    )


def protocol_table(
    protocols: Sequence[Protocol],
    entries: Sequence[str],
    *,
    off_form: Iterable[Line] = (),
) -> pa.Table:
    """One row per protocol; the lines in `off_form` are left out as columns, and an entry
    missing from a protocol's votes is a null."""
    left_out = set(off_form)
    columns: dict[str, pa.Array] = {
        STATION: pa.array([p.station_id for p in protocols], pa.string())
    }
    for line in LINES:
        if line not in left_out:
            columns[line] = pa.array([p.line(line) for p in protocols], pa.int64())
    for entry in entries:
        columns[entry] = pa.array([p.votes.get(entry) for p in protocols], pa.int64())
    return pa.table(columns)


def protocol(
    station: str,
    counts: tuple[int, int, int, int, int, int],
    votes: dict[str, int],
    *,
    outside: int | None = None,
    against_all: int | None = None,
    lost: int | None = None,
    version: int = 1,
) -> Protocol:
    """A protocol of contest `list` round 1: registered, received, took part, cancelled,
    found and invalid in `counts`, then the votes and the optional lines."""
    registered, received, took_part, cancelled, found, invalid = counts
    return Protocol(
        station_id=station,
        contest_id="list",
        round=1,
        registered=registered,
        ballots_received=received,
        took_part=took_part,
        ballots_cancelled=cancelled,
        ballots_found=found,
        invalid=invalid,
        votes=votes,
        against_all=against_all,
        took_part_outside=outside,
        ballots_lost=lost,
        version=version,
    )


__all__ = ["protocol", "protocol_table", "registry"]
