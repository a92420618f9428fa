"""The final stage: each chamber's composition in the published table's form.

Seats by tier: a party's list seats (those it won; any it cannot fill are vacant), its
district seats (by the winners' nominator; self-nominated winners count as independents),
the seats it holds, and the change since the previous election. List percentages are of
the base the law names (`list_tier.percent_base`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

from saylau.inputs import Published
from saylau.law.schema import Law
from saylau.registry.election import Chamber, Election
from saylau.registry.model import INDEPENDENT, Party
from saylau.results import ChamberResult, LawRef, ListDecision, PartyResult, Seat, Vacancy
from saylau.rules.decision import Elected
from saylau.rules.district_cases import repeat_election_due
from saylau.stages.accounting import list_vacancies, seat_gaps
from saylau.stages.districts import ContestPath
from saylau.tabulate.totals import LineTotals

NOMINATOR_NAMES = {INDEPENDENT: "Independent (self-nominated)"}
"""Names for seat holders' parties that are not registered parties."""


def seats_of(election: Election, paths: Sequence[ContestPath]) -> tuple[Seat, ...]:
    """A seat for every contest whose final decision elected someone."""
    seats = []
    for path in paths:
        final = path.final
        if isinstance(final, Elected):
            candidate = election.candidate_by_id[final.winner]
            seats.append(
                Seat(
                    path.contest_id,
                    candidate.candidate_id,
                    candidate.name,
                    candidate.nominator,
                    candidate.party_id,
                    final,
                )
            )
    return tuple(seats)


def vacancies_of(
    paths: Sequence[ContestPath], repeat_due: Collection[str] = ()
) -> tuple[Vacancy, ...]:
    """Every contest that ends the calendar with no one seated, and why; a failed district
    of `repeat_due` says its repeat election is due (`district_tier.failed`)."""
    found = []
    for path in paths:
        final = path.final
        if isinstance(final, Elected):
            continue
        if final is not None:
            why = final.reason
            if path.contest_id in repeat_due:
                why = repeat_election_due(why)
            found.append(Vacancy(path.contest_id, final, why))
        else:
            last = path.last
            why = path.missing or (last.reason if last is not None else "no decision")
            found.append(Vacancy(path.contest_id, None, why))
    return tuple(found)


def party_rows(
    election: Election,
    lists: Sequence[ListDecision],
    seats: Sequence[Seat],
    share_base: int | None,
) -> tuple[PartyResult, ...]:
    """One row per registered party, in registry order, then any unregistered seat holder
    (the self-nominated, where no `independent` party is registered)."""
    votes: Counter[str] = Counter()
    list_seats: Counter[str] = Counter()
    on_list: set[str] = set()
    for decision in lists:
        for party, count in decision.count.votes.items():
            votes[party] += count
            on_list.add(party)
        list_seats.update(decision.allocation.seats)
    district_seats = Counter(seat.party_id for seat in seats)
    known = any(p.seats_before is not None for p in election.parties)
    registry = list(election.parties)
    registry += [
        Party(pid, NOMINATOR_NAMES.get(pid, pid), "independent" if pid == INDEPENDENT else "party")
        for pid in sorted(district_seats.keys() - election.party_by_id.keys())
    ]
    vacant: Counter[str] = Counter()
    for decision in lists:
        vacant.update(decision.vacant)
    rows = []
    for registered in registry:
        pid = registered.party_id
        won_list, won_district = list_seats[pid], district_seats[pid]
        list_votes = votes[pid] if pid in on_list else None
        share = Fraction(list_votes, share_base) if list_votes is not None and share_base else None
        rows.append(
            PartyResult(
                pid,
                registered.name,
                list_votes,
                share,
                won_list,
                won_district,
                won_list - vacant[pid] + won_district,
                registered.seats_before,
                known,
                list_vacant=vacant[pid],
            )
        )
    return tuple(rows)


def compose(
    election: Election,
    chamber: Chamber,
    law: Law,
    *,
    lists: Sequence[ListDecision] = (),
    districts: Sequence[ContestPath] = (),
    colleges: Sequence[ContestPath] = (),
    national: LineTotals | None = None,
    decided_round1: int = 0,
    runoffs: int = 0,
    new_voting: int = 0,
    published: Published | None = None,
    runoff: LineTotals | None = None,
    law_ref: LawRef | None = None,
    undecided: Mapping[str, str] | None = None,
    repeat_due: Collection[str] = (),
) -> ChamberResult:
    """A chamber's final result from its stages' decisions: every seat held, vacant, or not
    elected in this data (saylau.stages.accounting)."""
    seats = seats_of(election, [*districts, *colleges])
    base_name = law.list_tier.share_base if law.list_tier is not None else None
    base = national.base(base_name) if national is not None and base_name else None
    parties = party_rows(election, lists, seats, base)
    before = published if published is not None and (lists or districts) else None
    return ChamberResult(
        chamber_id=chamber.chamber_id,
        name=chamber.name,
        seats_total=law.seats_total,
        majority=law.majority,
        seats_filled=sum(d.seats_filled for d in lists) + len(seats),
        registered=national.registered if national else None,
        took_part=national.took_part if national else None,
        valid=national.counted_valid if national else None,
        against_all=national.against_all if national else None,
        invalid=national.invalid if national else None,
        parties=parties if (lists or districts) else (),
        seats=seats,
        vacancies=list_vacancies(lists)
        + vacancies_of(districts, repeat_due)
        + vacancies_of(colleges),
        districts_decided_round1=decided_round1,
        runoffs=runoffs,
        new_voting=new_voting,
        seats_contested=len(colleges),
        turnout_before=before.turnout_before if before else None,
        turnout_before_derived=before.turnout_before_derived if before else None,
        turnout_before_places=before.turnout_before_places if before else 2,
        runoff_registered=runoff.registered if runoff else None,
        runoff_took_part=runoff.took_part if runoff else None,
        registered_parties=sum(p.kind == "party" for p in election.parties),
        party_lists=len({c.party_id for c in election.lists}),
        seats_elected=law.indirect_tier.seats_elected if law.indirect_tier else None,
        appointed_seats=law.appointed_seats,
        law=law_ref,
        ballots_found=national.ballots_found if national else None,
        percent_base=base_name if lists else None,
        percent_base_value=base if lists else None,
        gaps=seat_gaps(election, chamber, law, lists, undecided),
    )
