"""The 1999 Majilis ballots by station: the list ballot, the districts' rounds, new voting.

Real: the list ballot's national totals [S2] and the published outcome of the districts
[seed]. Generated: everything by station, and every district vote (see plan.py).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

import pyarrow as pa

from saylau.inputs import Invalidation
from saylau.registry.model import Candidate, Contest, District
from saylau.said import N_, Said
from saylau.scenarios.kz_1999.electorate import (
    Electorate,
    second_round_took_part,
    station_split,
)
from saylau.scenarios.kz_1999.plan import Count, Outline, new_voting, round_one, round_two
from saylau.scenarios.kz_1999.protocols import (
    StationLines,
    district_table,
    list_table,
    station_lines,
)
from saylau.scenarios.kz_1999.tables import DistrictRow, TerritoryRow

LIST_CONTEST: Final = "majilis-list"
INVALIDATED: Final = Said(
    N_(
        "the Central Election Commission declared the result invalid, violations preventing "
        "the voters' will from being determined; new voting without the original candidates "
        "[V seed, S8] (that the second round was the one invalidated is an assumption)"
    )
)
"""The reason of each invalidation (a message: the report says it in its language)."""
ROUND2_TURNOUT: Final = (485, 495)
"""Per mille of the runoff districts' voters who took part in round 2: 'just under 50
percent' [RFE/RL 26 Oct 1999, preliminary]."""
NEW_VOTING_TURNOUT: Final = (420, 560)
"""Per mille, generated: the new votings' turnout was not published."""


@dataclass(frozen=True)
class MajilisVote:
    """New-voting contests, every district candidate, every protocol table, invalidations."""

    contests: tuple[Contest, ...]
    candidates: tuple[Candidate, ...]
    protocols: Mapping[tuple[str, int], pa.Table]
    invalidations: tuple[Invalidation, ...]


def station_ballots(
    rng: random.Random, electorate: Electorate, took_part: Mapping[str, int]
) -> dict[str, StationLines]:
    """The lines of each station's protocol for one round, in station order."""
    return {
        s.station_id: station_lines(
            rng, electorate.registered[s.station_id], took_part[s.station_id]
        )
        for s in electorate.stations
        if s.station_id in took_part
    }


def majilis_vote(
    seed_rng: Mapping[str, random.Random],
    electorate: Electorate,
    territories: Sequence[TerritoryRow],
    districts: Sequence[DistrictRow],
    plan: Outline,
    list_totals: Mapping[str, int],
) -> MajilisVote:
    """Every Majilis ballot. `seed_rng` holds one generator for each part: "lines",
    "list", "districts", "round2" and "new"; a part's draws never shift another's."""
    rng = seed_rng["districts"]
    lines = station_ballots(seed_rng["lines"], electorate, electorate.took_part)
    protocols: dict[tuple[str, int], pa.Table] = {
        (LIST_CONTEST, 1): list_table(
            seed_rng["list"],
            [t.territory_id for t in territories],
            {t.territory_id: t.region for t in territories},
            [s.station_id for s in electorate.stations],
            {s.station_id: s.territory_id for s in electorate.stations},
            lines,
            electorate.list_gap,
            list_totals,
        )
    }
    took_d = electorate.sum_by(electorate.took_part, "district")
    candidates: list[Candidate] = []
    first: dict[str, tuple[tuple[Candidate, ...], Count]] = {}
    for district in districts:
        slate, count = round_one(rng, district.district_id, plan, took_d[district.district_id])
        first[district.district_id] = (slate, count)
        candidates += slate
        protocols[(count.contest_id, 1)] = _table(
            rng, electorate, district.district_id, count, lines
        )
    turnout = Fraction(rng.randint(*ROUND2_TURNOUT), 1000)
    took2 = second_round_took_part(seed_rng["round2"], electorate, plan.runoff, turnout)
    lines2 = station_ballots(seed_rng["lines"], electorate, took2)
    for district_id in plan.runoff:
        nominator = None if district_id in plan.new_voting else plan.nominators[district_id]
        slate, count = first[district_id]
        took = sum(lines2[s.station_id].took_part for s in electorate.of_district(district_id))
        second = round_two(rng, count, slate, nominator, took)
        protocols[(count.contest_id, 2)] = _table(rng, electorate, district_id, second, lines2)
    contests: list[Contest] = []
    invalidations: list[Invalidation] = []
    rows = {d.district_id: d for d in districts}
    for district_id in plan.new_voting:
        voters = sum(
            electorate.registered[s.station_id] for s in electorate.of_district(district_id)
        )
        took = voters * rng.randint(*NEW_VOTING_TURNOUT) // 1000
        split = station_split(seed_rng["new"], electorate, district_id, took)
        lines_new = station_ballots(seed_rng["lines"], electorate, split)
        contest, slate, count = new_voting(
            rng, rows[district_id], plan.nominators[district_id], took
        )
        contests.append(contest)
        candidates += slate
        protocols[(count.contest_id, 1)] = _table(rng, electorate, district_id, count, lines_new)
        replaced = first[district_id][1].contest_id
        invalidations.append(Invalidation(replaced, 2, INVALIDATED, contest.contest_id))
    return MajilisVote(tuple(contests), tuple(candidates), protocols, tuple(invalidations))


def district_contests(districts: Sequence[District]) -> tuple[Contest, ...]:
    """The list contest, then one contest per district."""
    found = [Contest(LIST_CONTEST, "majilis", "list")]
    found += [
        Contest(f"majilis-{d.district_id}", "majilis", "district", d.district_id, d.territory_id)
        for d in districts
    ]
    return tuple(found)


def _table(
    rng: random.Random,
    electorate: Electorate,
    district_id: str,
    count: Count,
    lines: Mapping[str, StationLines],
) -> pa.Table:
    station_ids = [s.station_id for s in electorate.of_district(district_id)]
    return district_table(rng, count, station_ids, lines)
