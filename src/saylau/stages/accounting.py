"""Every seat accounted for: held, vacant, or not elected in this data.

A chamber's seats are the law's (`seats_total`): each tier's seats are elected by the
registry's contests of that tier. A seat is held when a decision seats someone; vacant when
its contest ends without a winner or its list has no candidate left [L/I S23]; and not
elected in this data when the law declares it but no contest here elects it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.law.schema import Law
from saylau.registry.election import Chamber, Election
from saylau.registry.model import Contest
from saylau.results import ListDecision, SeatGap, Vacancy
from saylau.said import N_, Said, joined

SHOWN = 10
"""At most this many districts without a contest are named in one reason."""


def list_vacancies(lists: Sequence[ListDecision]) -> tuple[Vacancy, ...]:
    """A vacancy for each list that won more seats than it has candidates."""
    found = []
    for decision in lists:
        won = {str(party): seats for party, seats in decision.allocation.seats.items()}
        for party, short in decision.vacant.items():
            reason = (
                f"the list of {party} won {won[party]} seat(s) but has "
                f"{won[party] - short} candidate(s): {short} seat(s) vacant"
            )
            found.append(Vacancy(decision.contest_id, None, reason, short, "list"))
    return tuple(found)


def seat_gaps(
    election: Election,
    chamber: Chamber,
    law: Law,
    lists: Sequence[ListDecision],
    undecided: Mapping[str, str] | None = None,
) -> tuple[SeatGap, ...]:
    """The law's seats that no contest of this data elects, tier by tier, and those whose
    contest is registered but could not be decided (`undecided`: why, by contest)."""
    gaps: list[SeatGap] = []
    cid = chamber.chamber_id
    if law.list_tier is not None:
        seats = law.list_tier.seats
        if not election.contests_of(cid, "list"):
            why = f"no list contest is registered: the {seats} list seats are not part of the data"
            gaps.append(SeatGap("list", seats, why))
        elif not lists:
            said = "; ".join((undecided or {}).values()) or "no list protocol was counted"
            why = f"{said}: the {seats} list seats are not decided"
            gaps.append(SeatGap("list", seats, why, "not_decided"))
    if law.district_tier is not None:
        contests = election.contests_of(cid, "district")
        seats, held = law.district_tier.seats, len(contests)
        if held < seats:
            why = _districts_without(election, contests, seats)
            gaps.append(SeatGap("district", seats - held, why))
    if law.indirect_tier is not None:
        seats, held = law.indirect_tier.seats_contested, len(election.contests_of(cid, "college"))
        if held < seats:
            why = (
                f"{held} of the {seats} contested seats have a college contest: "
                f"{seats - held} seat(s) are not part of the data"
            )
            gaps.append(SeatGap("indirect", seats - held, why))
    return tuple(gaps)


def _districts_without(election: Election, contests: Sequence[Contest], seats: int) -> str:
    """Why district seats are not elected: each registered district that has no contest, by
    number and name; else how few districts are registered at all."""
    held = len(contests)
    contested = {c.district_id for c in contests}
    bare = [d for d in election.districts if d.district_id not in contested]
    if not bare:
        what = "no district is" if held == 0 else f"{held} of the {seats} districts are"
        return f"{what} registered: {seats - held} district seat(s) are not part of the data"
    named = "; ".join(f"district {d.district_id} ({d.name}) has no contest" for d in bare[:SHOWN])
    if len(bare) > SHOWN:
        named += f"; and {len(bare) - SHOWN} more districts"
    said = f"{named}: its seat is not elected in this data"
    if len(bare) > 1:
        said = f"{named}: their {len(bare)} seats are not elected in this data"
    unplaced = seats - held - len(bare)
    if unplaced > 0:
        said += f"; {unplaced} more district seat(s) have no district registered"
    return said


def too_many_contests(election: Election, chamber: Chamber, law: Law) -> list[str]:
    """A chamber cannot hold more contests of a tier than the law gives that tier seats."""
    cid, problems = chamber.chamber_id, []
    tiers = (
        ("list", 1 if law.list_tier else 0, "list contest"),
        ("district", law.district_tier.seats if law.district_tier else 0, "district"),
        ("college", law.indirect_tier.seats_contested if law.indirect_tier else 0, "college"),
    )
    for tier, most, what in tiers:
        held = len(election.contests_of(cid, tier))
        if held > most:
            problems.append(
                f"chamber {cid}: {held} {tier} contests are registered, but the law "
                f"{law.id} has room for {most} ({what} seats)"
            )
    return problems


def seats_summary(
    name: str,
    total: int,
    majority: int,
    filled: int,
    vacant: int,
    gaps: int,
    contested: int,
    undecided: int = 0,
) -> str:
    """One line: how many seats are held, vacant, not part of the data, and not decided."""
    if contested:
        held = Said(
            N_(
                "%(chamber)s: %(filled)s of the %(contested)s seats contested filled "
                "(%(total)s seats in all)"
            ),
            chamber=name,
            filled=filled,
            contested=contested,
            total=total,
        )
    else:
        held = Said(
            N_("%(chamber)s: %(filled)s of %(total)s seats filled (a majority is %(majority)s)"),
            chamber=name,
            filled=filled,
            total=total,
            majority=majority,
        )
    parts = [held, Said(N_("%(count)s seat(s) vacant"), count=vacant)]
    if gaps:
        parts.append(Said(N_("%(count)s seat(s) not elected in this data"), count=gaps))
    if undecided:
        parts.append(Said(N_("%(count)s seat(s) not decided"), count=undecided))
    return joined(parts)
