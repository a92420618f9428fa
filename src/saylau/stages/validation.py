"""Every input checked against the registry and the law before anything is counted.

- An invalidation names a district contest, a round the law has, and the new voting that
  replaces it, in the same district; a contest is invalidated once.
- A new voting replaces the contest an invalidation names; `replaces` runs in no cycle.
- A repeat election replaces a district contest of its own district, and no contest is
  replaced by two repeat elections.
- A withdrawal names a candidate of a district contest whose law has a second round.
- A resolution names a contest, a round it can have, and one of its candidates.
- A college row names a college contest, round 1 or 2, and the contest's candidates.
- A protocol table names a contest and a round the law has; its columns are exactly the
  entries that stand: every candidate of a district's round 1, and on a list ballot every
  party with a list, no one else (where the registry holds no lists, any registered party
  may have a column, and none is required).

Each problem names its table, record and field (saylau.stages.problems).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from saylau.inputs import ElectionInputs
from saylau.law.schema import Law
from saylau.protocol.lines import entries
from saylau.registry.election import Election
from saylau.registry.model import Contest
from saylau.stages.preferences import preferences_valid
from saylau.stages.problems import Problem

DISTRICT_TIERS = ("district", "new_voting", "repeat_election")


def rounds_of(contest: Contest, laws: Mapping[str, Law]) -> int:
    """How many rounds a contest can have under its chamber's law."""
    law = laws.get(contest.chamber)
    if law is None:
        return 0
    if contest.tier in DISTRICT_TIERS:
        return law.district_tier.rounds if law.district_tier is not None else 0
    if contest.tier == "college":
        return 2 if law.indirect_tier is not None else 0
    return 1 if law.list_tier is not None else 0


def invalidations_valid(inputs: ElectionInputs, laws: Mapping[str, Law]) -> list[Problem]:
    """Each invalidation names a district contest, one of its rounds, and the new voting
    that replaces it in the same district; a contest is invalidated once."""
    election, problems = inputs.election, []
    seen: set[str] = set()
    for index, cancel in enumerate(inputs.invalidations):

        def problem(field: str, what: str, i: int = index) -> None:
            problems.append(Problem("invalidations", i, field, what))

        contest = election.contest_by_id.get(cancel.contest_id)
        if contest is None or contest.tier not in DISTRICT_TIERS:
            problem("contest_id", f"{cancel.contest_id} is not a district contest")
            continue
        if cancel.contest_id in seen:
            problem("contest_id", f"{cancel.contest_id} is invalidated a second time")
        seen.add(cancel.contest_id)
        rounds = rounds_of(contest, laws)
        if not 1 <= cancel.round <= rounds:
            problem("round", f"round {cancel.round}: the law has round(s) 1 to {rounds}")
        new = election.contest_by_id.get(cancel.new_contest_id)
        if new is None or new.tier != "new_voting":
            problem("new_contest_id", f"{cancel.new_contest_id} is not a new_voting contest")
        elif new.replaces != cancel.contest_id:
            what = (
                f"{new.contest_id} replaces {new.replaces} in contests.csv, not {cancel.contest_id}"
            )
            problem("new_contest_id", what)
        elif new.district_id != contest.district_id:
            what = (
                f"{new.contest_id} lies in district {new.district_id}, but "
                f"{cancel.contest_id} in {contest.district_id}"
            )
            problem("new_contest_id", what)
    return problems


def new_votings_valid(inputs: ElectionInputs) -> list[Problem]:
    """Each new voting replaces a contest an invalidation names; `replaces` has no cycle."""
    election, problems = inputs.election, []
    named = {i.new_contest_id for i in inputs.invalidations}
    for index, contest in enumerate(election.contests):
        if contest.tier != "new_voting":
            continue
        if contest.contest_id not in named:
            what = (
                f"new voting {contest.contest_id} replaces {contest.replaces}, but "
                f"invalidations.csv invalidates no result of it with this new voting"
            )
            problems.append(Problem("contests", index, "replaces", what))
        chain, current = [contest.contest_id], contest.replaces
        while current is not None and current in election.contest_by_id:
            if current in chain:
                what = f"replaces runs in a cycle: {' -> '.join([*chain, current])}"
                problems.append(Problem("contests", index, "replaces", what))
                break
            chain.append(current)
            current = election.contest_by_id[current].replaces
    return problems


def repeat_elections_valid(inputs: ElectionInputs) -> list[Problem]:
    """Each repeat election replaces a district contest of its own district, once."""
    election, problems = inputs.election, []
    seen: set[str] = set()
    for index, contest in enumerate(election.contests):
        if contest.tier != "repeat_election" or contest.replaces is None:
            continue
        replaced = election.contest_by_id.get(contest.replaces)
        what = ""
        if replaced is not None and replaced.tier not in DISTRICT_TIERS:
            what = f"repeat election {contest.contest_id} replaces {replaced.contest_id}, "
            what += "which is not a district contest"
        elif replaced is not None and replaced.district_id != contest.district_id:
            what = (
                f"repeat election {contest.contest_id} lies in district {contest.district_id}, "
                f"but {replaced.contest_id} in {replaced.district_id}"
            )
        elif contest.replaces in seen:
            what = f"{contest.replaces} is replaced by a second repeat election"
        elif contest.replaces == contest.contest_id:
            what = f"repeat election {contest.contest_id} replaces itself"
        seen.add(contest.replaces)
        if what:
            problems.append(Problem("contests", index, "replaces", what))
    return problems


def withdrawals_valid(inputs: ElectionInputs, laws: Mapping[str, Law]) -> list[Problem]:
    """Each withdrawal names a candidate of a district contest that can have a second round,
    once."""
    election, problems = inputs.election, []
    seen: set[tuple[str, str]] = set()
    for index, withdrawal in enumerate(inputs.withdrawals):
        contest = election.contest_by_id.get(withdrawal.contest_id)
        if contest is None or contest.tier not in DISTRICT_TIERS:
            what = f"{withdrawal.contest_id} is not a district contest"
            problems.append(Problem("withdrawals", index, "contest_id", what))
            continue
        if rounds_of(contest, laws) < 2:
            what = f"{withdrawal.contest_id} has no second round under its law to withdraw from"
            problems.append(Problem("withdrawals", index, "contest_id", what))
        standing = {c.candidate_id for c in election.candidates_in(contest.contest_id)}
        if withdrawal.candidate_id not in standing:
            what = (
                f"{withdrawal.candidate_id} does not stand in {withdrawal.contest_id} "
                f"(candidates.csv)"
            )
            problems.append(Problem("withdrawals", index, "candidate_id", what))
        key = (withdrawal.contest_id, withdrawal.candidate_id)
        if key in seen:
            what = f"{withdrawal.candidate_id} withdraws from {withdrawal.contest_id} twice"
            problems.append(Problem("withdrawals", index, "candidate_id", what))
        seen.add(key)
    return problems


def resolutions_valid(inputs: ElectionInputs, laws: Mapping[str, Law]) -> list[Problem]:
    """Each resolution names a contest, a round it can have and one of its candidates, once."""
    election, problems = inputs.election, []
    seen: set[tuple[str, int]] = set()
    for index, resolution in enumerate(inputs.resolutions):
        contest = election.contest_by_id.get(resolution.contest_id)
        if contest is None or contest.tier == "list":
            what = f"{resolution.contest_id} is not a district or college contest"
            problems.append(Problem("resolutions", index, "contest_id", what))
            continue
        rounds = rounds_of(contest, laws)
        if not 1 <= resolution.round <= rounds:
            what = f"round {resolution.round}: {contest.contest_id} has round(s) 1 to {rounds}"
            problems.append(Problem("resolutions", index, "round", what))
        standing = {c.candidate_id for c in election.candidates_in(contest.contest_id)}
        if resolution.winner not in standing:
            what = f"{resolution.winner} does not stand in {resolution.contest_id} (candidates.csv)"
            problems.append(Problem("resolutions", index, "winner", what))
        key = (resolution.contest_id, resolution.round)
        if key in seen:
            what = f"{contest.contest_id} round {resolution.round} is resolved twice"
            problems.append(Problem("resolutions", index, "round", what))
        seen.add(key)
    return problems


def college_valid(inputs: ElectionInputs) -> list[Problem]:
    """Each college ballot names a college contest, round 1 or 2, and its candidates."""
    election, problems = inputs.election, []
    for index, ballot in enumerate(inputs.college_ballots):
        contest = election.contest_by_id.get(ballot.contest_id)
        if contest is None or contest.tier != "college":
            what = f"{ballot.contest_id} is not a college contest"
            problems.append(Problem("college", index, "contest_id", what))
            continue
        if ballot.round not in (1, 2):
            problems.append(Problem("college", index, "round", f"round {ballot.round}: 1 or 2"))
        standing = {c.candidate_id for c in election.candidates_in(contest.contest_id)}
        for candidate in sorted(set(ballot.votes) - standing):
            what = f"{candidate} does not stand in {ballot.contest_id} (candidates.csv)"
            problems.append(Problem("college", index, "candidate_id", what))
    return problems


def allowed_entries(election: Election, contest: Contest) -> frozenset[str]:
    """Who may have a column on a contest's ballot: its candidates, or on a list ballot the
    parties with a list (every registered party, where the registry holds no lists)."""
    if contest.tier == "list":
        listed = {c.party_id for c in election.lists}
        return frozenset(listed or election.party_by_id)
    return frozenset(c.candidate_id for c in election.candidates_in(contest.contest_id))


def _against_all_on_ballot(
    name: str, contest: Contest, table: pa.Table, laws: Mapping[str, Law]
) -> list[Problem]:
    """A list ballot whose law has no against-all line (`list_tier.against_all =
    "not_on_ballot"`) records no vote against all."""
    law = laws.get(contest.chamber)
    if law is None or law.list_tier is None or contest.tier != "list":
        return []
    if law.list_tier.against_all != "not_on_ballot" or "against_all" not in table.column_names:
        return []
    recorded = pc.sum(table.column("against_all")).as_py() or 0
    if recorded == 0:
        return []
    what = (
        f"{recorded:,} votes against all are recorded, but the list ballot of the law "
        f"{law.id} has no against-all line (list_tier.against_all = not_on_ballot)"
    )
    return [Problem(name, None, "against_all", what)]


def protocols_valid(inputs: ElectionInputs, laws: Mapping[str, Law]) -> list[Problem]:
    """Each protocol table names a contest and a round the law has; its columns are exactly
    the entries that stand (in a second round, some of them)."""
    election, problems = inputs.election, []
    for (contest_id, round_no), table in sorted(inputs.protocols.items()):
        name = f"protocols/{contest_id}.r{round_no}"
        contest = election.contest_by_id.get(contest_id)
        if contest is None:
            problems.append(Problem(name, None, "contest", f"{contest_id} is not registered"))
            continue
        if contest.tier == "college":
            what = f"{contest_id} is a college seat: its votes are college.csv rows"
            problems.append(Problem(name, None, "contest", what))
            continue
        rounds = rounds_of(contest, laws)
        if not 1 <= round_no <= rounds:
            what = f"round {round_no}: {contest_id} has round(s) 1 to {rounds} under its law"
            problems.append(Problem(name, None, "round", what))
        columns: set[str] = set(entries(table.column_names))
        allowed = allowed_entries(election, contest)
        for column in sorted(columns - allowed):
            where = "lists.csv" if contest.tier == "list" else "candidates.csv"
            what = f"{column} does not stand in {contest_id} ({where})"
            problems.append(Problem(name, None, column, what))
        problems += _against_all_on_ballot(name, contest, table, laws)
        stands = contest.tier != "list" or bool(election.lists)  # else who stands is unknown
        if stands and (round_no == 1 or contest.tier == "list"):
            for column in sorted(allowed - columns):
                what = f"no column for {column}, who stands in {contest_id}: the votes are missing"
                problems.append(Problem(name, None, column, what))
    return problems


def check_inputs(inputs: ElectionInputs, laws: Mapping[str, Law]) -> list[Problem]:
    """Every cross-reference of the inputs other than the registry's own."""
    return (
        invalidations_valid(inputs, laws)
        + new_votings_valid(inputs)
        + repeat_elections_valid(inputs)
        + withdrawals_valid(inputs, laws)
        + resolutions_valid(inputs, laws)
        + college_valid(inputs)
        + protocols_valid(inputs, laws)
        + preferences_valid(inputs)
    )
