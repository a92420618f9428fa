"""Registration: the registry is checked against the law before any vote is counted.

Parties file ranked lists of up to `list_tier.max_list_length` [V S6]; a party nominates
at most one candidate per district [L S28]; a new voting's candidates exclude the
original ones where the law bars them [V seed, S8].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from saylau.errors import InputError
from saylau.law.schema import Law
from saylau.registry.election import Election
from saylau.registry.model import SELF
from saylau.results import GENERATED_MARK, StageRecord
from saylau.rules.decision import CandidateId
from saylau.rules.district import check_new_voting_candidates
from saylau.stages.accounting import too_many_contests

COLLEGE_NOMINATORS = frozenset({"maslikhat", SELF})
"""Who nominates to an electoral college's seat: the assemblies, or the candidates [V seed]."""


def unique_ids(election: Election) -> list[str]:
    """Every id is registered once."""
    problems = []
    for what, ids in (
        ("party", [p.party_id for p in election.parties]),
        ("territory", [t.territory_id for t in election.territories]),
        ("district", [d.district_id for d in election.districts]),
        ("station", [s.station_id for s in election.stations]),
        ("contest", [c.contest_id for c in election.contests]),
        ("candidate", [c.candidate_id for c in election.candidates]),
    ):
        problems += [
            f"{what} {i} is registered {n} times" for i, n in Counter(ids).items() if n > 1
        ]
    return problems


def places_known(election: Election) -> list[str]:
    """Stations and districts lie in registered districts and territories."""
    problems = [
        f"district {d.district_id}: unknown territory {d.territory_id}"
        for d in election.districts
        if d.territory_id not in election.territory_by_id
    ]
    for station in election.stations:
        if station.district_id not in election.district_by_id:
            problems.append(f"station {station.station_id}: unknown district {station.district_id}")
        if station.territory_id not in election.territory_by_id:
            problems.append(
                f"station {station.station_id}: unknown territory {station.territory_id}"
            )
    return problems


def contests_known(election: Election, laws: Mapping[str, Law]) -> list[str]:
    """Every contest belongs to a chamber with a law, and names a known district or territory."""
    problems = []
    for contest in election.contests:
        where = f"contest {contest.contest_id}"
        if contest.chamber not in laws:
            problems.append(f"{where}: chamber {contest.chamber} has no law")
        if contest.district_id is not None and contest.district_id not in election.district_by_id:
            problems.append(f"{where}: unknown district {contest.district_id}")
        if contest.tier == "new_voting" and contest.replaces not in election.contest_by_id:
            problems.append(f"{where}: new voting replaces unknown contest {contest.replaces}")
    return problems


def candidates_valid(election: Election) -> list[str]:
    """Candidates stand in known contests, for a known nominator, one per party per contest."""
    problems = []
    per_party: Counter[tuple[str, str]] = Counter()
    for candidate in election.candidates:
        where = f"candidate {candidate.candidate_id}"
        contest = election.contest_by_id.get(candidate.contest_id)
        if contest is None:
            problems.append(f"{where}: unknown contest {candidate.contest_id}")
            continue
        if contest.tier == "college":
            if candidate.nominator not in COLLEGE_NOMINATORS | election.party_by_id.keys():
                problems.append(f"{where}: unknown nominator {candidate.nominator}")
            continue
        if candidate.nominator != SELF:
            if candidate.nominator not in election.party_by_id:
                problems.append(f"{where}: unknown nominator {candidate.nominator}")
            per_party[(candidate.contest_id, candidate.nominator)] += 1
    problems += [
        f"contest {contest}: {party} nominated {n} candidates, but a party may nominate one"
        for (contest, party), n in sorted(per_party.items())
        if n > 1
    ]
    return problems


def lists_valid(election: Election, laws: Mapping[str, Law]) -> list[str]:
    """Lists belong to registered parties, ranked 1..n, no longer than the law allows."""
    problems = []
    longest = min(
        (
            law.list_tier.max_list_length
            for law in laws.values()
            if law.list_tier is not None and law.list_tier.max_list_length is not None
        ),
        default=None,
    )
    for party_id in sorted({c.party_id for c in election.lists}):
        ranks = [c.rank for c in election.list_of(party_id)]
        if party_id not in election.party_by_id:
            problems.append(f"list of {party_id}: no such party")
        if ranks != list(range(1, len(ranks) + 1)):
            problems.append(f"list of {party_id}: ranks must run 1..{len(ranks)}, got {ranks}")
        if longest is not None and len(ranks) > longest:
            problems.append(
                f"list of {party_id}: {len(ranks)} candidates, the law allows {longest}"
            )
    return problems


def new_voting_barred(election: Election, laws: Mapping[str, Law]) -> list[str]:
    """A new voting's candidates did not stand in the voting it replaces, where barred.

    Each contest registers its own candidate ids, so a person is matched by name.
    """
    problems = []
    for contest in election.contests:
        law = laws.get(contest.chamber)
        if contest.tier != "new_voting" or law is None or law.district_tier is None:
            continue
        original = [_person(c.name) for c in election.candidates_in(contest.replaces or "")]
        new = {_person(c.name): c for c in election.candidates_in(contest.contest_id)}
        for violation in check_new_voting_candidates(
            original, list(new), law.district_tier.new_voting, contest.contest_id
        ):
            candidate = new[violation.candidate]
            problems.append(
                f"{contest.contest_id}: candidate {candidate.candidate_id} ({candidate.name}) "
                f"stood in the invalidated voting {contest.replaces} and may not run again"
            )
    return problems


def _count(number: int, generated: bool) -> str:
    return f"{number:,}{GENERATED_MARK if generated else ''}"


def _person(name: str) -> CandidateId:
    return CandidateId(" ".join(name.casefold().split()))


def register(
    election: Election,
    laws: Mapping[str, Law],
    date: str | None,
    *,
    generated: frozenset[str] = frozenset(),
) -> StageRecord:
    """Check the registry; refuse it with every problem listed, or record what is registered.

    Counts of generated parts (`stations`, `candidates`) carry the generated mark.
    """
    seats = [
        problem
        for chamber in election.chambers
        if chamber.chamber_id in laws
        for problem in too_many_contests(election, chamber, laws[chamber.chamber_id])
    ]
    problems = (
        seats
        + unique_ids(election)
        + places_known(election)
        + contests_known(election, laws)
        + candidates_valid(election)
        + lists_valid(election, laws)
        + new_voting_barred(election, laws)
    )
    if problems:
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise InputError(f"the registry breaks {len(problems)} rule(s):\n  {shown}{more}")
    lists = len({c.party_id for c in election.lists})
    people = _count(len(election.candidates), "candidates" in generated)
    places = _count(len(election.stations), "stations" in generated)
    bodies = _count(len(election.commissions()), "stations" in generated)
    summary = (
        f"{len(election.parties)} parties and associations, {lists} party lists, "
        f"{people} candidates in {len(election.contests)} contests; "
        f"{len(election.territories)} territories, {len(election.districts)} districts, "
        f"{places} stations, {bodies} commissions"
    )
    return StageRecord("registration", "all", date, summary)
