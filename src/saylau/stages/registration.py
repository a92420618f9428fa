"""Registration: the registry is checked against the law before any vote is counted.

Parties file ranked lists of up to `list_tier.max_list_length` [V S6]; a party nominates
at most one candidate per district [L S28]; a new voting's candidates exclude the
original ones where the law bars them [V seed, S8]. Every contest belongs to a chamber whose
law has its tier, and lies where its tier says: a district contest in a registered district,
a college contest in a registered territory, a list contest across the whole nation. The
other inputs are then checked against the registry (saylau.stages.validation); every
problem is listed at once, naming its file, line and field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date

from saylau.inputs import ElectionInputs
from saylau.law.schema import Law
from saylau.registry.election import Election
from saylau.registry.model import SELF, Contest
from saylau.results import GENERATED_MARK, StageRecord
from saylau.rules.decision import CandidateId
from saylau.rules.district import check_new_voting_candidates
from saylau.said import N_, Said
from saylau.stages.accounting import too_many_contests
from saylau.stages.problems import Problem, refuse
from saylau.stages.station_checks import station_problems
from saylau.stages.station_index import StationIndex
from saylau.stages.validation import check_inputs

COLLEGE_NOMINATORS = frozenset({"maslikhat", SELF})
"""Who nominates to an electoral college's seat: the assemblies, or the candidates [V seed]."""

TIER_OF_LAW = {"list": "list_tier", "district": "district_tier", "new_voting": "district_tier"}
TIER_OF_LAW |= {"repeat_election": "district_tier", "college": "indirect_tier"}
REPLACING = ("new_voting", "repeat_election")
"""The contests that replace another: a new voting, and a repeat election."""


def unique_ids(election: Election) -> list[Problem]:
    """Every id is registered once."""
    problems = []
    for table, field, ids in (
        ("parties", "party_id", [p.party_id for p in election.parties]),
        ("territories", "territory_id", [t.territory_id for t in election.territories]),
        ("districts", "district_id", [d.district_id for d in election.districts]),
        ("contests", "contest_id", [c.contest_id for c in election.contests]),
        ("candidates", "candidate_id", [c.candidate_id for c in election.candidates]),
    ):
        seen: dict[str, int] = {}
        for index, key in enumerate(ids):
            if key in seen:
                problems.append(Problem(table, index, field, f"{key} is registered twice"))
            seen.setdefault(key, index)
    return problems


def places_known(
    election: Election, index: Callable[[], StationIndex] | None = None
) -> list[Problem]:
    """Stations and districts lie in registered districts and territories, and a station
    lies in its district's territory (saylau.stages.station_checks, with the registry's codes
    from `index` where given)."""
    problems = [
        Problem(
            "districts",
            i,
            "territory_id",
            f"unknown territory {d.territory_id} (not in territories.csv)",
        )
        for i, d in enumerate(election.districts)
        if d.territory_id not in election.territory_by_id
    ]
    return problems + station_problems(election, index)


def contests_known(election: Election, laws: Mapping[str, Law]) -> list[Problem]:
    """Every contest belongs to a chamber whose law has its tier, and lies where its tier
    says: a district in a registered district, a college seat in a registered territory,
    a list across the nation."""
    problems = []
    for index, contest in enumerate(election.contests):

        def problem(field: str, what: str, i: int = index, c: str = contest.contest_id) -> None:
            problems.append(Problem("contests", i, field, f"contest {c}: {what}"))

        law = laws.get(contest.chamber)
        if law is None:
            problem("chamber", f"chamber {contest.chamber} is not one of election.toml's")
        elif getattr(law, TIER_OF_LAW[contest.tier]) is None:
            problem("tier", f"the law {law.id} of chamber {contest.chamber} has no such tier")
        if contest.tier in ("district", *REPLACING):
            if contest.district_id is None:
                problem("district_id", f"a {contest.tier} contest needs its district")
            elif contest.district_id not in election.district_by_id:
                problem(
                    "district_id", f"unknown district {contest.district_id} (not in districts.csv)"
                )
        elif contest.district_id is not None:
            problem("district_id", f"a {contest.tier} contest lies in no single district")
        if contest.tier == "college":
            if contest.territory_id not in election.territory_by_id:
                problem("territory_id", "a college seat needs a registered territory")
        elif contest.tier == "list" and contest.territory_id is not None:
            problem("territory_id", "a list contest covers the whole nation")
        if contest.tier in REPLACING and contest.replaces not in election.contest_by_id:
            problem("replaces", f"replaces unknown contest {contest.replaces} (contests.csv)")
        if contest.tier not in REPLACING and contest.replaces is not None:
            problem("replaces", "only a new voting or a repeat election replaces another contest")
        if contest.tier == "repeat_election" and law and law.district_tier:
            problems.extend(repeat_allowed(index, contest, law))
    for chamber in election.chambers:
        if chamber.chamber_id in laws:
            for what in too_many_contests(election, chamber, laws[chamber.chamber_id]):
                problems.append(Problem("contests", None, "tier", what))
    return problems


def repeat_allowed(index: int, contest: Contest, law: Law) -> list[Problem]:
    """A repeat election is held only where the law calls one after a failed district."""
    tier = law.district_tier
    if tier is None or tier.failed == "repeat_election":
        return []
    what = (
        f"contest {contest.contest_id}: a repeat election, but the law {law.id} calls none "
        f"after a failed district (district_tier.failed = '{tier.failed}')"
    )
    return [Problem("contests", index, "tier", what)]


def candidates_valid(election: Election) -> list[Problem]:
    """Candidates stand in known contests, for a known nominator, one per party per contest."""
    problems = []
    per_party: Counter[tuple[str, str]] = Counter()
    for index, candidate in enumerate(election.candidates):
        contest = election.contest_by_id.get(candidate.contest_id)
        who = f"candidate {candidate.candidate_id}"
        if contest is None:
            what = f"{who}: unknown contest {candidate.contest_id} (not in contests.csv)"
            problems.append(Problem("candidates", index, "contest_id", what))
            continue
        if contest.tier == "list":
            what = f"{who}: a list contest's candidates are the parties' lists (lists.csv)"
            problems.append(Problem("candidates", index, "contest_id", what))
        allowed = frozenset(election.party_by_id)
        if contest.tier == "college":
            allowed = COLLEGE_NOMINATORS | allowed
        if candidate.nominator != SELF and candidate.nominator not in allowed:
            what = f"{who}: unknown nominator {candidate.nominator} (not in parties.csv)"
            problems.append(Problem("candidates", index, "nominator", what))
        if contest.tier != "college" and candidate.nominator != SELF:
            per_party[(candidate.contest_id, candidate.nominator)] += 1
            if per_party[(candidate.contest_id, candidate.nominator)] == 2:
                what = f"{candidate.nominator} nominates a second candidate in {contest.contest_id}"
                problems.append(Problem("candidates", index, "nominator", what))
    return problems


def coalitions_valid(election: Election) -> list[Problem]:
    """A coalition names at least two members, each a registered party that is no
    coalition; only a coalition has members. A candidate's `member` is one of the members
    of the coalition that nominated them."""
    problems = []
    for index, party in enumerate(election.parties):
        who = f"{party.kind} {party.party_id}"
        if party.kind != "coalition":
            if party.members:
                what = f"{who} has members; only a coalition (kind coalition) has them"
                problems.append(Problem("parties", index, "members", what))
            continue
        if len(set(party.members)) < 2:
            what = f"{who} names {len(set(party.members))} member(s); a coalition has two or more"
            problems.append(Problem("parties", index, "members", what))
        if len(set(party.members)) != len(party.members):
            problems.append(Problem("parties", index, "members", f"{who} names a member twice"))
        for member in party.members:
            found = election.party_by_id.get(member)
            if found is None:
                what = f"{who}: unknown member {member} (not in parties.csv)"
                problems.append(Problem("parties", index, "members", what))
            elif found.kind == "coalition":
                what = f"{who}: member {member} is itself a coalition"
                problems.append(Problem("parties", index, "members", what))
    for index, candidate in enumerate(election.candidates):
        if candidate.member is None:
            continue
        nominator = election.party_by_id.get(candidate.nominator)
        who = f"candidate {candidate.candidate_id}"
        if nominator is None or nominator.kind != "coalition":
            what = f"{who}: a member is named only for a coalition's candidate"
            problems.append(Problem("candidates", index, "member", what))
        elif candidate.member not in nominator.members:
            what = (
                f"{who}: {candidate.member} is not a member of the coalition "
                f"{nominator.party_id} ({', '.join(nominator.members)})"
            )
            problems.append(Problem("candidates", index, "member", what))
    return problems


def lists_valid(election: Election, laws: Mapping[str, Law]) -> list[Problem]:
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
    first: dict[str, int] = {}
    for index, entry in enumerate(election.lists):
        first.setdefault(entry.party_id, index)
    for party_id, index in first.items():
        ranks = [c.rank for c in election.list_of(party_id)]
        if party_id not in election.party_by_id:
            problems.append(
                Problem("lists", index, "party_id", f"no party {party_id} in parties.csv")
            )
        if ranks != list(range(1, len(ranks) + 1)):
            what = f"the list of {party_id} must be ranked 1..{len(ranks)}, got {ranks}"
            problems.append(Problem("lists", index, "rank", what))
        if longest is not None and len(ranks) > longest:
            what = f"the list of {party_id} has {len(ranks)} candidates; the law allows {longest}"
            problems.append(Problem("lists", index, "rank", what))
    return problems


def new_voting_barred(election: Election, laws: Mapping[str, Law]) -> list[Problem]:
    """A new voting's candidates did not stand in the voting it replaces, where barred.

    Each contest registers its own candidate ids, so a person is matched by name.
    """
    problems = []
    index_of = {c.candidate_id: i for i, c in enumerate(election.candidates)}
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
            what = (
                f"{contest.contest_id}: candidate {candidate.candidate_id} ({candidate.name}) "
                f"stood in the invalidated voting {contest.replaces} and may not run again"
            )
            problems.append(Problem("candidates", index_of[candidate.candidate_id], "name", what))
    return problems


def runoff_dates_valid(election: Election, laws: Mapping[str, Law]) -> list[Problem]:
    """The second round is held within the days the law gives it after the first
    (`district_tier.runoff.days_after` at the earliest, `latest_days` at the latest), where
    the election gives both dates."""
    problems: list[Problem] = []
    first, second = election.dates.get("round1"), election.dates.get("round2")
    if first is None or second is None:
        return problems
    for chamber in election.chambers:
        law = laws.get(chamber.chamber_id)
        if law is None or law.district_tier is None or law.district_tier.runoff is None:
            continue
        runoff = law.district_tier.runoff
        if runoff.days_after is None and runoff.latest_days is None:
            continue
        try:
            gap = (date.fromisoformat(second) - date.fromisoformat(first)).days
        except ValueError:
            what = f"round1 {first!r} and round2 {second!r} must be dates such as 2030-03-17"
            problems.append(Problem("election", None, "dates", what))
            return problems
        held = f"round2 ({second}) is {gap} day(s) after round1 ({first}), but the law {law.id}"
        if runoff.days_after is not None and gap < runoff.days_after:
            what = (
                f"{held} holds the second round {runoff.days_after} days after the first at "
                f"the earliest (district_tier.runoff.days_after)"
            )
            problems.append(Problem("election", None, "dates.round2", what))
        if runoff.latest_days is not None and gap > runoff.latest_days:
            what = (
                f"{held} holds the second round within {runoff.latest_days} days of the "
                f"first (district_tier.runoff.latest_days)"
            )
            problems.append(Problem("election", None, "dates.round2", what))
    return problems


def college_seats_per_territory(election: Election, laws: Mapping[str, Law]) -> list[Problem]:
    """A territory holds no more college seats of a chamber than the law gives each
    territory (`indirect_tier.seats_per_territory`)."""
    problems = []
    held: Counter[tuple[str, str | None]] = Counter()
    for index, contest in enumerate(election.contests):
        law = laws.get(contest.chamber)
        if contest.tier != "college" or law is None or law.indirect_tier is None:
            continue
        key = (contest.chamber, contest.territory_id)
        held[key] += 1
        most = law.indirect_tier.seats_per_territory
        if held[key] == most + 1:
            what = (
                f"contest {contest.contest_id}: territory {contest.territory_id} holds more "
                f"than the {most} college seat(s) the law {law.id} gives each territory "
                f"(indirect_tier.seats_per_territory)"
            )
            problems.append(Problem("contests", index, "territory_id", what))
    return problems


def _registry_problems(
    election: Election,
    laws: Mapping[str, Law],
    index: Callable[[], StationIndex] | None = None,
) -> list[Problem]:
    return (
        unique_ids(election)
        + places_known(election, index)
        + contests_known(election, laws)
        + candidates_valid(election)
        + coalitions_valid(election)
        + lists_valid(election, laws)
        + new_voting_barred(election, laws)
        + runoff_dates_valid(election, laws)
        + college_seats_per_territory(election, laws)
    )


def cross_reference_problems(
    inputs: ElectionInputs, laws: Mapping[str, Law], *, inputs_too: bool = True
) -> list[Problem]:
    """The problems registration finds under `laws`: the registry's, and where `inputs_too`
    those of the other inputs against it (saylau.stages.validation)."""
    problems = _registry_problems(inputs.election, laws)
    return problems + check_inputs(inputs, laws) if inputs_too else problems


def _person(name: str) -> CandidateId:
    return CandidateId(" ".join(name.casefold().split()))


def register(
    inputs: ElectionInputs,
    laws: Mapping[str, Law],
    date: str | None,
    *,
    own: Mapping[str, Law] | None = None,
    index: Callable[[], StationIndex] | None = None,
) -> StageRecord:
    """Check the registry and every other input against it; refuse them with every problem
    listed, or record what is registered. Counts of generated parts (`stations`,
    `candidates`) carry the generated mark.

    `laws` are the laws the run applies; `own`, where given, the laws the election was held
    under. The registry is checked against both: a law given in place of a chamber's own
    passes the same checks as the law the election names. The recorded inputs (protocols,
    invalidations, resolutions) are checked against the own laws: what a replay under
    another law cannot use is reported unused, not refused. `index`, where given, gives the
    registry's station codes (saylau.stages.station_index)."""
    election = inputs.election
    problems = _registry_problems(election, own or laws, index)
    problems += check_inputs(inputs, own or laws)
    if own is not None and any(laws[c] is not own.get(c) for c in laws):
        problems += [p for p in _registry_problems(election, laws, index) if p not in problems]
    refuse(problems, inputs.origins)
    generated = inputs.generated
    people, places = "candidates" in generated, "stations" in generated
    summary = Said(
        N_(
            "%(parties)s parties and associations, %(lists)s party lists, "
            "%(candidates)s%(candidates_mark)s candidates in %(contests)s contests; "
            "%(territories)s territories, %(districts)s districts, "
            "%(stations)s%(stations_mark)s stations, %(commissions)s%(stations_mark)s commissions"
        ),
        parties=len(election.parties),
        lists=len({c.party_id for c in election.lists}),
        candidates=len(election.candidates),
        candidates_mark=GENERATED_MARK if people else "",
        contests=len(election.contests),
        territories=len(election.territories),
        districts=len(election.districts),
        stations=int(election.stations.num_rows),
        stations_mark=GENERATED_MARK if places else "",
        commissions=election.commission_count,
    )
    return StageRecord("registration", "all", date, summary)
