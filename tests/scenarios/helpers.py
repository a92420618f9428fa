"""Shared by the scenario tests: cached builds, sums, a control-relation checker, the rules.

The outcomes are decided here by the rule core on district sums of the station protocols,
never read from the generator's own plan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from saylau.inputs import ElectionInputs
from saylau.law import load_law
from saylau.protocol.lines import LINES, STATION
from saylau.rules.decision import CandidateId, Elected
from saylau.rules.district import DistrictCount, RunoffNeeded, first_round, new_voting, second_round
from saylau.rules.indirect import CollegeCount, IndirectDecision, indirect_vote
from saylau.scenarios.kz_1999 import build_kz_1999

SEEDS = (1999, 7)
"""The default seed and another: every requirement must hold for both."""


@cache
def built(seed: int = 1999, stations_per_district: int | None = None) -> ElectionInputs:
    return build_kz_1999(seed, stations_per_district)


def entries(table: pa.Table) -> list[str]:
    """The ballot entries of a protocol table: every column after the station and the lines."""
    return [c for c in table.column_names if c != STATION and c not in LINES]


def total(table: pa.Table, column: str) -> int:
    value = pc.sum(table[column]).as_py()
    return int(value or 0)


def violations(table: pa.Table) -> list[str]:
    """Every broken control relation of every row, named by station (docs/kz-1999-law.md)."""
    found: list[str] = []
    names = entries(table)
    for row in table.to_pylist():
        where = row[STATION]
        lost = row["ballots_lost"] or 0
        present = [c for c in (*LINES, *names) if c in row and c != "ballots_lost"]
        if any(row[c] is None or row[c] < 0 for c in present):
            found.append(f"{where}: a missing or negative line")
            continue
        if row["ballots_received"] != row["took_part"] + row["ballots_cancelled"] + lost:
            found.append(f"{where}: received != issued + cancelled + lost")
        if row["ballots_found"] > row["took_part"]:
            found.append(f"{where}: found > issued")
        if sum(row[c] for c in names) + row["against_all"] + row["invalid"] != row["ballots_found"]:
            found.append(f"{where}: entries + against all + invalid != found")
        if row["took_part"] > row["registered"]:
            found.append(f"{where}: issued > registered")
        if row["took_part_outside"] > row["took_part"]:
            found.append(f"{where}: outside > issued")
    return found


def district_count(table: pa.Table) -> DistrictCount:
    """A district's count in one round: the sums of its station protocols."""
    votes = {CandidateId(c): total(table, c) for c in entries(table)}
    against = total(table, "against_all")
    return DistrictCount(
        votes,
        took_part=total(table, "took_part"),
        valid=total(table, "ballots_found") - total(table, "invalid"),
        registered=total(table, "registered"),
        against_all=against,
    )


@dataclass(frozen=True)
class Outcome:
    """What the 1999 law makes of the generated district protocols."""

    decided: tuple[str, ...]
    runoff: tuple[str, ...]
    new_voting: tuple[str, ...]
    winners: dict[str, str]
    """Final winner by district id: the new-voting winner replaces an invalidated result."""


@cache
def outcome(seed: int = 1999, stations_per_district: int | None = None) -> Outcome:
    inputs = built(seed, stations_per_district)
    tier = load_law("kz-1999-majilis").district_tier
    assert tier is not None and tier.runoff is not None
    election = inputs.election
    decided: list[str] = []
    runoff: list[str] = []
    winners: dict[str, str] = {}
    for contest in election.contests_of("majilis", "district"):
        district = contest.district_id or ""
        first = first_round(district_count(inputs.protocols[(contest.contest_id, 1)]), tier)
        if isinstance(first, Elected):
            decided.append(district)
            winners[district] = first.winner
            continue
        assert isinstance(first, RunoffNeeded), first
        assert not first.ties
        runoff.append(district)
        second = second_round(
            first.pair, district_count(inputs.protocols[(contest.contest_id, 2)]), tier.runoff
        )
        assert isinstance(second, Elected), second
        winners[district] = second.winner
    new: list[str] = []
    for contest in election.contests_of("majilis", "new_voting"):
        assert contest.replaces is not None and contest.district_id is not None
        original = [CandidateId(c.candidate_id) for c in election.candidates_in(contest.replaces)]
        count = district_count(inputs.protocols[(contest.contest_id, 1)])
        decision = new_voting(original, count, tier)
        assert isinstance(decision, Elected), decision
        assert decision.round == 1
        new.append(contest.district_id)
        winners[contest.district_id] = decision.winner
    return Outcome(tuple(decided), tuple(runoff), tuple(new), winners)


def seats_by_nominator(seed: int = 1999) -> Counter[str]:
    """Final district seats by party (self-nominated counted as `independent`)."""
    election = built(seed).election
    return Counter(election.candidate_by_id[w].party_id for w in outcome(seed).winners.values())


def senate_decisions(seed: int = 1999) -> list[tuple[str, int, IndirectDecision]]:
    """Every college ballot decided under the kz-1999-senate law."""
    tier = load_law("kz-1999-senate").indirect_tier
    assert tier is not None
    found: list[tuple[str, int, IndirectDecision]] = []
    for ballot in built(seed).college_ballots:
        votes = {CandidateId(c): v for c, v in ballot.votes.items()}
        count = CollegeCount(ballot.electors, ballot.present, votes, ballot.took_part)
        decision = (
            indirect_vote(count, tier, 1) if ballot.round == 1 else indirect_vote(count, tier, 2)
        )
        found.append((ballot.contest_id, ballot.round, decision))
    return found
