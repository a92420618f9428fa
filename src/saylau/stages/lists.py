"""The list tier: tabulated list votes through the threshold and the allocation method.

1999: 7% of the voters who took part, then Hare largest remainder over the qualifying
lists (docs/kz-1999-law.md); seats go to candidates in list order, and a list that runs
out of candidates leaves its remaining seats vacant [L/I S23].
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.law.schema import ListTier
from saylau.registry.election import Election
from saylau.results import ListDecision
from saylau.rules.allocation import ListEntry, PartyId
from saylau.rules.apportion import allocate_list_tier
from saylau.rules.preferences import Candidate as ListedCandidate
from saylau.rules.preferences import Placed, ordered, rule_label
from saylau.stages.counting import Counted


def list_entries(election: Election, counted: Counted) -> list[ListEntry]:
    """One entry per list on the ballot, with its party's registration order; a coalition's
    list is a coalition's entry, with its number of members (its threshold may depend on
    them)."""
    entries = []
    for party_id, votes in sorted(counted.count.votes.items()):
        party = election.party_by_id.get(party_id)
        order = party.registration_order if party is not None else None
        if party is not None and party.kind == "coalition":
            entries.append(
                ListEntry(PartyId(party_id), votes, "coalition", order, len(party.members))
            )
        else:
            entries.append(ListEntry(PartyId(party_id), votes, registration_order=order))
    return entries


def members(election: Election, seats: dict[PartyId, int]) -> dict[str, tuple[str, ...]]:
    """Who takes each list's seats: the first candidates in list order [L/I S23]."""
    return {
        party: tuple(c.name for c in election.list_of(party)[:won])
        for party, won in sorted(seats.items())
        if won
    }


def seated(
    election: Election,
    tier: ListTier,
    seats: Mapping[PartyId, int],
    votes: Mapping[str, int],
    preferences: Mapping[str, Mapping[int, int]],
) -> dict[str, tuple[Placed, ...]]:
    """Who takes each list's seats, and why: the first candidates of the list as the law's
    preference rule orders it (saylau.rules.preferences); list order where it has none."""
    found: dict[str, tuple[Placed, ...]] = {}
    for party, won in sorted(seats.items()):
        if not won:
            continue
        people = [ListedCandidate(c.rank, c.name) for c in election.list_of(party)]
        order = ordered(people, tier.preferences, preferences.get(party, {}), votes.get(party, 0))
        found[party] = order[:won]
    return found


def vacant(election: Election, seats: dict[PartyId, int]) -> dict[str, int]:
    """The seats each list won beyond its candidates: left vacant [L/I S23]."""
    found = {party: won - len(election.list_of(party)) for party, won in sorted(seats.items())}
    return {party: short for party, short in found.items() if short > 0}


def undecided(contest_id: str, counted: Counted | None) -> str | None:
    """Why a list contest cannot be decided, in words; None when it can. No protocol
    entered, every protocol rejected, and nobody voting are told apart."""
    if counted is None or (counted.count.protocols == 0 and counted.count.rejected == 0):
        return f"no protocol of {contest_id} was entered"
    count = counted.count
    if count.protocols == 0:
        return (
            f"all {count.rejected:,} protocol(s) of {contest_id} were rejected "
            f"(listed under the protocols rejected), so no vote was counted"
        )
    if count.took_part == 0 and not any(count.votes.values()):
        return (
            f"nobody voted: 0 of the {count.registered:,} registered took part in the "
            f"{count.protocols:,} accepted protocol(s) of {contest_id}"
        )
    if not any(count.votes.values()):
        return (
            f"no list received a vote in the {count.protocols:,} accepted protocol(s) of "
            f"{contest_id} ({count.took_part:,} took part)"
        )
    return None


def decide_list(
    election: Election,
    tier: ListTier,
    counted: Counted,
    seed: int,
    preferences: Mapping[str, Mapping[int, int]] | None = None,
) -> ListDecision:
    """Allocate the tier's seats on the nation's count of the list ballot, then seat the
    lists' candidates in order: list order, or as the preference votes (by party and rank)
    reorder it under the law's `preferences`. Where the registry holds no list candidates
    at all, the seats go to their parties and the members are not named (`members_known`
    is False)."""
    count = counted.count
    allocation = allocate_list_tier(
        tier,
        list_entries(election, counted),
        took_part=count.took_part,
        valid=count.counted_valid,
        ballots_found=count.ballots_found,
        seed=seed,
    )
    if not election.lists:
        return ListDecision(
            counted.contest_id, allocation, count, members_known=False, areas=counted.totals
        )
    if tier.preferences is None:
        return ListDecision(
            counted.contest_id,
            allocation,
            count,
            members(election, allocation.seats),
            vacant(election, allocation.seats),
            areas=counted.totals,
        )
    list_votes = {str(party): votes for party, votes in count.votes.items()}
    placed = seated(election, tier, allocation.seats, list_votes, preferences or {})
    return ListDecision(
        counted.contest_id,
        allocation,
        count,
        {party: tuple(p.name for p in seats) for party, seats in placed.items()},
        vacant(election, allocation.seats),
        areas=counted.totals,
        seated=placed,
        preference_rule=rule_label(tier.preferences),
    )
