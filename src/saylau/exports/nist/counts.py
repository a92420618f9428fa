"""The geography and the counts of a NIST SP 1500-100 v2 export.

Geography: the nation (`country`), each territory and each district (`other`, with their
kind as `OtherType`) and, unless a summary is asked for, each polling station
(`precinct`), every unit naming the units it is made of.

Counts: each entry's votes are `VoteCounts` (type `total`, with the `Round`) at the
contest's own level and every level below it that was counted; a list's seats are
`VoteCounts` of type `seats` at the nation. The ballots of a unit and round are
`BallotCounts`: `BallotsCast` the ballots found in the boxes, `BallotsRejected` the invalid
ones; the protocol's other lines, which the standard has no field for, are further
`BallotCounts` of type `other` whose `OtherType` names the line (`saylau:registered`,
`saylau:took_part`, `saylau:against_all`, ...) and whose `BallotsCast` holds its figure
(against all is a line of the protocol, not a candidate: the standard's selections are
the candidates and lists alone), and so are the counts of
protocols behind an area (`saylau:protocols`, `saylau:rejected`, `saylau:missing`,
`saylau:flagged`). Only counted protocols are in the counts: a rejected protocol's row is
in the CSV and Parquet exports, with its status.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

import pyarrow.compute as pc

from saylau.analysis.counts import STATUS, RunCounts
from saylau.protocol.lines import LINES
from saylau.registry.model import Contest
from saylau.tabulate.totals import COUNTS, LineTotals

EXTENSION: Final = "saylau:"
"""The prefix of every `OtherType` Saylau adds for what the standard has no field for."""
NATION: Final = "gp-nation"
STANDARD_LINES: Final = ("ballots_found", "invalid")
"""Lines the standard carries itself: BallotsCast and BallotsRejected."""


def gp(level: str, area: str) -> str:
    """The id of a unit: `gp-territory-akmola`, `gp-district-01`, `gp-station-01-001`."""
    return NATION if level == "nation" else f"gp-{level}-{area}"


def units(counts: RunCounts, *, stations: bool) -> list[dict[str, Any]]:
    """Every reporting unit, the nation first, each naming the units it is made of, with its
    voters on the list and who took part on its first counted ballot."""
    election = counts.inputs.election
    voters = _first_counts(counts, stations=stations)
    districts_of: dict[str, list[str]] = {}
    for district in election.districts:
        districts_of.setdefault(district.territory_id, []).append(district.district_id)
    stations_of: dict[str, list[str]] = {}
    station_ids = election.stations.column("station_id").to_pylist() if stations else []
    if stations:
        district_ids = election.stations.column("district_id").to_pylist()
        for station_id, district_id in zip(station_ids, district_ids, strict=True):
            stations_of.setdefault(district_id, []).append(station_id)
    found = [
        _unit(
            NATION,
            "country",
            "nation",
            [gp("territory", t.territory_id) for t in election.territories],
            voters,
        )
    ]
    for territory in election.territories:
        parts = [gp("district", d) for d in districts_of.get(territory.territory_id, [])]
        found.append(
            _unit(
                gp("territory", territory.territory_id),
                "other",
                territory.name,
                parts,
                voters,
                territory.kind,
            )
        )
    for district in election.districts:
        parts = [gp("station", s) for s in stations_of.get(district.district_id, [])]
        found.append(
            _unit(
                gp("district", district.district_id),
                "other",
                district.name,
                parts,
                voters,
                "district",
            )
        )
    if stations:
        found += [_unit(gp("station", s), "precinct", s, [], voters) for s in station_ids]
    return found


def _unit(
    unit: str,
    kind: str,
    name: str,
    parts: list[str],
    voters: Mapping[str, tuple[int, int]],
    other: str | None = None,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@id": unit,
        "@type": "ElectionResults.ReportingUnit",
        "Type": kind,
        "Name": text(name),
    }
    if other is not None:
        found["OtherType"] = other
    if parts:
        found["ComposingGpUnitIds"] = parts
    if unit in voters:
        found["VotersRegistered"], found["VotersParticipated"] = voters[unit]
    return found


def _first_counts(counts: RunCounts, *, stations: bool) -> dict[str, tuple[int, int]]:
    """(registered, took part) of each unit on the first ballot counted there."""
    found: dict[str, tuple[int, int]] = {}
    unseen = {
        gp("station", s) for s in counts.inputs.election.stations.column("station_id").to_pylist()
    }
    for contest, round in counts.ballots:
        for unit, total in levels(counts, contest, round).items():
            found.setdefault(unit, (total.registered, total.took_part))
        if stations and unseen:  # the first ballot at a station is enough: a list covers all
            for unit, lines, _ in station_rows(counts, contest, round):
                if unit in unseen:
                    found[unit] = (lines["registered"] or 0, lines["took_part"] or 0)
                    unseen.discard(unit)
    return found


def levels(counts: RunCounts, contest: Contest, round: int) -> dict[str, LineTotals]:
    """A contest's totals at its own level and the levels between it and the stations."""
    counted = counts.counted(contest, round)
    if counted is None:
        return {}
    totals = counted.totals
    found: dict[str, LineTotals] = {}
    if contest.district_id is None:
        found[NATION] = totals.nation
        found |= {gp("territory", t): v for t, v in totals.by_territory.items()}
    found |= {gp("district", d): v for d, v in totals.by_district.items()}
    return found


def station_rows(
    counts: RunCounts, contest: Contest, round: int
) -> Iterator[tuple[str, dict[str, int | None], dict[str, int | None]]]:
    """(unit, lines, votes) of every counted protocol of a contest and round."""
    table = counts.stations(contest, round)
    if table is None:
        return
    table = table.filter(pc.not_equal(table.column(STATUS), "rejected"))
    columns = table.to_pydict()
    lines = [line for line in LINES if line in columns]
    entries = [
        c
        for c in table.column_names
        if c not in (*LINES, "station_id", "district_id", "territory_id", STATUS)
    ]
    for row, station in enumerate(columns["station_id"]):
        yield (
            gp("station", station),
            {line: columns[line][row] for line in lines},
            {entry: columns[entry][row] for entry in entries},
        )


def ballot_counts(
    unit: str,
    round: int,
    lines: Mapping[str, int | None],
    protocols: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The ballots of a unit and round: the standard's fields, then each other line."""
    found = [
        {
            "@type": "ElectionResults.BallotCounts",
            "GpUnitId": unit,
            "Round": round,
            "Type": "total",
            "BallotsCast": lines.get("ballots_found") or 0,
            "BallotsRejected": lines.get("invalid") or 0,
        }
    ]
    extra = {k: v for k, v in lines.items() if k not in STANDARD_LINES and v is not None}
    extra |= dict(protocols or {})
    found += [
        {
            "@type": "ElectionResults.BallotCounts",
            "GpUnitId": unit,
            "Round": round,
            "Type": "other",
            "OtherType": f"{EXTENSION}{name}",
            "BallotsCast": value,
        }
        for name, value in extra.items()
    ]
    return found


def totals_lines(total: LineTotals) -> tuple[dict[str, int | None], dict[str, int]]:
    """A total's lines, and its counts of protocols."""
    return {line: total.line(line) for line in LINES}, {
        name: getattr(total, name) for name in COUNTS
    }


def vote_count(unit: str, round: int, count: int, kind: str = "total") -> dict[str, Any]:
    return {
        "@type": "ElectionResults.VoteCounts",
        "Count": count,
        "GpUnitId": unit,
        "Round": round,
        "Type": kind,
    }


def ext(kind: str, value: str) -> dict[str, Any]:
    """A Saylau external identifier: `saylau:<kind>` = value."""
    return {
        "@type": "ElectionResults.ExternalIdentifier",
        "Type": "other",
        "OtherType": f"{EXTENSION}{kind}",
        "Value": value,
    }


def text(content: str, language: str = "und") -> dict[str, Any]:
    """An InternationalizedText of one language; names from the data are `und` (their
    language is not recorded), Saylau's own words `en`."""
    return {
        "@type": "ElectionResults.InternationalizedText",
        "Text": [
            {"@type": "ElectionResults.LanguageString", "Content": content, "Language": language}
        ],
    }
