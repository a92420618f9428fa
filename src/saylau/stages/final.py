"""The final stage: each chamber's composition, and the published figures it is checked against.

Seats by tier follow the published table's form: a party's list seats, its district
seats (by the winners' nominator; self-nominated winners count as independents), the
total, and the change since the previous election.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from saylau.law.schema import Law
from saylau.registry.election import Chamber, Election
from saylau.registry.model import INDEPENDENT, Party
from saylau.results import ChamberResult, ListDecision, PartyResult, Seat, Vacancy
from saylau.rules.decision import Elected
from saylau.stages.districts import ContestPath
from saylau.stages.inputs import Note, Published
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


def vacancies_of(paths: Sequence[ContestPath]) -> tuple[Vacancy, ...]:
    """Every contest that ends the calendar with no one seated, and why."""
    found = []
    for path in paths:
        final = path.final
        if isinstance(final, Elected):
            continue
        if final is not None:
            found.append(Vacancy(path.contest_id, final, final.reason))
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
                won_list + won_district,
                registered.seats_before,
                known,
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
    turnout_before: Fraction | None = None,
    runoff: LineTotals | None = None,
) -> ChamberResult:
    """A chamber's final result from its stages' decisions."""
    seats = seats_of(election, [*districts, *colleges])
    won_on_lists = sum(sum(d.allocation.seats.values()) for d in lists)
    parties = party_rows(election, lists, seats, national.took_part if national else None)
    return ChamberResult(
        chamber_id=chamber.chamber_id,
        name=chamber.name,
        seats_total=law.seats_total,
        majority=law.majority,
        seats_filled=won_on_lists + len(seats),
        registered=national.registered if national else None,
        took_part=national.took_part if national else None,
        valid=national.counted_valid if national else None,
        against_all=national.against_all if national else None,
        invalid=national.invalid if national else None,
        parties=parties if (lists or districts) else (),
        seats=seats,
        vacancies=vacancies_of([*districts, *colleges]),
        districts_decided_round1=decided_round1,
        runoffs=runoffs,
        new_voting=new_voting,
        seats_contested=len(colleges),
        turnout_before=turnout_before,
        runoff_registered=runoff.registered if runoff else None,
        runoff_took_part=runoff.took_part if runoff else None,
        registered_parties=sum(p.kind == "party" for p in election.parties),
        party_lists=len({c.party_id for c in election.lists}),
        seats_elected=law.indirect_tier.seats_elected if law.indirect_tier else None,
        appointed_seats=law.appointed_seats,
    )


FIGURES = (
    "registered",
    "took_part",
    "valid",
    "against_all",
    "invalid",
    "seats_total",
    "majority",
    "seats_filled",
    "districts_decided_round1",
    "runoffs",
    "new_voting",
    "seats_contested",
)
"""The chamber figures a published figure `<chamber>.<figure>` is compared with."""


def compare_published(chambers: Sequence[ChamberResult], published: Published) -> list[Note]:
    """Every published figure the run computes, checked; a difference is a reported conflict."""
    notes = []
    by_id: Mapping[str, ChamberResult] = {c.chamber_id: c for c in chambers}
    for key, value in sorted(published.figures.items()):
        chamber_id, _, figure = key.partition(".")
        chamber = by_id.get(chamber_id)
        if chamber is None or figure not in FIGURES:
            continue
        computed = getattr(chamber, figure)
        if computed is not None and computed != value:
            source = published.sources.get(key, "no source given")
            notes.append(
                Note(
                    "conflict",
                    f"{chamber_id} {figure}: published {value:,} ({source}), "
                    f"tabulated {computed:,}, a difference of {computed - value:+,}",
                )
            )
    return notes


def unfound_ballots(chamber: ChamberResult) -> list[Note]:
    """Ballots issued but not found in the boxes: the parts fall short of those who took part."""
    if chamber.took_part is None or chamber.valid is None or chamber.invalid is None:
        return []
    gap = chamber.took_part - chamber.valid - chamber.invalid
    if gap == 0:
        return []
    return [
        Note(
            "conflict",
            f"{chamber.chamber_id}: valid {chamber.valid:,} + invalid {chamber.invalid:,} = "
            f"{chamber.valid + chamber.invalid:,}, which is {gap:,} "
            f"{'short of' if gap > 0 else 'more than'} the {chamber.took_part:,} voters who "
            f"took part (ballots issued); the total is kept as counted, not adjusted",
        )
    ]
