"""Single-member districts: one round or two, withdrawal before the second, new voting.

The 1999 Majilis districts (docs/kz-1999-law.md): more than 50% of the voters who took
part wins the first round [L S13]; otherwise the top two meet in a second round [V S8],
a tie for a place in it is drawn by lot [V S18], and the one with more votes than the
other wins [L S13]. A second-round tie, a withdrawal and an against-all win have no
known 1999 rule [?]: each is a law setting, never a constant here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from saylau.errors import InputError, RuleMissing, TieUnresolved
from saylau.law.schema import Condition, DistrictTier, NewVoting, Runoff
from saylau.rules.decision import (
    HALF,
    AgainstAllWins,
    CandidateId,
    Elected,
    Failed,
    Standings,
    Undecided,
    Violation,
    at,
    below_share,
    judge_validity,
    lead,
    no_condition,
    standings,
    top_places,
)
from saylau.rules.district_cases import (
    alone_on_ballot,
    lone_runoff,
    round1_settles,
    too_few_for_runoff,
    uncontested,
    voting_failed,
)
from saylau.rules.district_count import DistrictCount as DistrictCount
from saylau.rules.district_count import (
    base_of,
    count_base,
    precheck,
    round_one,
)
from saylau.rules.district_count import validate_count as validate_count
from saylau.rules.district_words import (
    by_lot,
    majority,
    more_votes,
    most_votes,
    moved_up,
    no_majority,
    round2_majority,
    round2_no_majority,
    runoff_places,
    settled_by_round1,
    tied_each,
    to_runoff,
    undecided,
    with_ties,
    withdrew,
)
from saylau.rules.exact import meets_share
from saylau.rules.ties import TieResolution
from saylau.said import N_, Said


@dataclass(frozen=True)
class RunoffPair:
    """Who stands in the second round, in first-round order, and how they got there."""

    candidates: tuple[CandidateId, ...]
    first_round_votes: tuple[int, ...]
    reason: str
    ties: tuple[TieResolution, ...] = ()
    withdrawn: tuple[CandidateId, ...] = ()


@dataclass(frozen=True)
class RunoffNeeded:
    """No first-round majority: the `pair` goes to a second round."""

    kind: Literal["runoff"] = field(default="runoff", init=False)
    pair: RunoffPair
    leader_votes: int
    base: int
    base_name: str
    reason: str
    standings: Standings
    round: int = 1
    context: str = ""

    @property
    def ties(self) -> tuple[TieResolution, ...]:
        """The ties settled to fill the runoff places."""
        return self.pair.ties


DistrictDecision = Elected | RunoffNeeded | Undecided | Failed


def plurality(
    count: DistrictCount, tier: DistrictTier, *, seed: int | None = None, context: str = ""
) -> Elected | Failed:
    """One round: the most votes wins; a tie for first follows the `tier.tie` chain."""
    ranked, failed = round_one(count, tier, context)
    if failed:
        return failed
    base = count_base(count, tier.majority_base)
    top = ranked[0][1]
    where = at(context, Said(N_("round 1: first place")))
    chosen, ties = top_places(count.votes, 1, tier.tie, count.registration_order, seed, where)
    winner = chosen[0]
    reason = with_ties(most_votes(winner, top, base, tier.majority_base), ties[:1])
    return Elected(
        winner, top, base, tier.majority_base, "plurality", 1, reason, ranked, context, ties
    )


def first_round(
    count: DistrictCount, tier: DistrictTier, *, seed: int | None = None, context: str = ""
) -> DistrictDecision:
    """Round 1: more than half of the base wins, else the top `runoff.candidates` go on.

    1999: the base is those who took part, invalid and against-all ballots included [L S13].
    Under a plurality rule this is `plurality`; one candidate on the ballot follows
    `tier.uncontested`, where the law gives it.
    """
    if tier.uncontested and len(count.votes) == 1:
        return uncontested(count, tier, context)
    if tier.validity:
        return _first_round_valid(count, tier, seed, context)
    if tier.win == "plurality":
        return plurality(count, tier, seed=seed, context=context)
    if tier.runoff is None:
        raise RuleMissing(f"{lead(context)}an absolute majority needs a [runoff] section")
    ranked, failed = round_one(count, tier, context)
    if failed:
        return failed
    name = tier.majority_base
    base = count_base(count, name)
    leader, top = ranked[0]
    if meets_share(top, base, HALF, inclusive=False):
        reason = majority(leader, top, base, name)
        return Elected(leader, top, base, name, "absolute_majority", 1, reason, ranked, context)
    why = no_majority(leader, top, base, name)
    return _to_runoff(count, tier, ranked, base, name, why, seed, context)


def _first_round_valid(
    count: DistrictCount, tier: DistrictTier, seed: int | None, context: str
) -> DistrictDecision:
    """Round 1 under the law's alternative conditions of validity (`tier.validity`): where
    the condition that applies elects, the most votes wins (a tie follows `tier.tie`);
    otherwise the runoff follows, or, in one round, the voting fails."""
    ranked, failed = round_one(count, tier, context)
    if failed:
        return failed
    top = ranked[0][1]
    judged = judge_validity(tier.validity, top, count.took_part, count.registered, base_of(count))
    condition = judged.condition
    if condition is None:
        return no_condition(
            tier.validity, count.took_part, count.registered, 1, judged.reason, ranked, context
        )
    if judged.met:
        where = at(context, Said(N_("round 1: first place")))
        chosen, ties = top_places(count.votes, 1, tier.tie, count.registration_order, seed, where)
        reason = Said(
            N_("%(winner)s has the most votes; %(why)s: elected in round 1"),
            winner=chosen[0],
            why=judged.reason,
        )
        reason = with_ties(reason, ties)
        return Elected(
            chosen[0],
            top,
            judged.base,
            condition.base,
            "validity",
            1,
            reason,
            ranked,
            context,
            ties,
        )
    if tier.runoff is None:
        reason = voting_failed(judged.reason)
        return below_share(top, judged, condition, 1, reason, ranked, context)
    return _to_runoff(
        count, tier, ranked, judged.base, condition.base, judged.reason, seed, context
    )


def _to_runoff(
    count: DistrictCount,
    tier: DistrictTier,
    ranked: Standings,
    base: int,
    name: str,
    why: str,
    seed: int | None,
    context: str,
) -> RunoffNeeded | Failed:
    """No one elected in round 1: the top `runoff.candidates` go to a second round, where
    enough candidates stood in round 1 for one (`runoff.min_round1_candidates`)."""
    runoff = tier.runoff
    if runoff is None:
        raise RuleMissing(f"{lead(context)}a second round needs a [runoff] section")
    too_few = too_few_for_runoff(count, runoff, why, base, ranked, context)
    if too_few:
        return too_few
    top = ranked[0][1]
    where = at(context, Said(N_("round 1: runoff place")))
    chosen, ties = top_places(
        count.votes, runoff.candidates, runoff.place_tie, count.registration_order, seed, where
    )
    pair = RunoffPair(
        chosen, tuple(count.votes[c] for c in chosen), runoff_places(len(chosen), ties), ties
    )
    reason = to_runoff(why, chosen)
    return RunoffNeeded(pair, top, base, name, reason, ranked, 1, context)


def withdraw(
    pair: RunoffPair,
    withdrawn: CandidateId,
    first_round: DistrictCount,
    runoff: Runoff,
    *,
    seed: int | None = None,
    context: str = "",
) -> RunoffPair:
    """A candidate leaves the second round: the next in round-1 order moves up, or not.

    1999: no rule found [?]; `runoff.withdrawal` says which ("next_moves_up" by default).
    """
    validate_count(first_round, context)
    prefix = lead(context)
    if withdrawn not in pair.candidates:
        raise InputError(
            f"{prefix}{withdrawn} is not in the second round ({', '.join(pair.candidates)})"
        )
    unknown = [c for c in pair.candidates if c not in first_round.votes]
    if unknown:
        raise InputError(f"{prefix}{', '.join(unknown)} not in the first-round count")
    remaining = tuple(c for c in pair.candidates if c != withdrawn)
    gone = (*pair.withdrawn, withdrawn)
    out = set(pair.candidates) | set(gone)
    others = {c: v for c, v in first_round.votes.items() if c not in out}
    ties: tuple[TieResolution, ...] = ()
    if runoff.withdrawal == "remaining_only" or not others:
        reason = withdrew(withdrawn, remaining, bool(others))
    else:
        place = Said(N_("withdrawal of %(candidate)s: runoff place"), candidate=withdrawn)
        movers, ties = top_places(
            others, 1, runoff.place_tie, first_round.registration_order, seed, at(context, place)
        )
        remaining += movers
        reason = moved_up(withdrawn, movers[0], ties)
    votes = tuple(first_round.votes[c] for c in remaining)
    return RunoffPair(remaining, votes, reason, pair.ties + ties, gone)


def second_round(
    pair: RunoffPair,
    count: DistrictCount,
    runoff: Runoff,
    *,
    seed: int | None = None,
    context: str = "",
    against_all_wins: AgainstAllWins = "no_effect",
    turnout_inclusive: bool = False,
    uncontested: Sequence[Condition] = (),
) -> Elected | Undecided | Failed:
    """Round 2: the one with more votes than the other wins [L S13].

    A tie goes to the one with more round-1 votes where `runoff.tie_by_round1`, then follows
    `runoff.tie`; 1999 has no rule [?], so by default it is undecided. A round left with one
    candidate follows `runoff.single_candidate` (the `uncontested` conditions of the tier,
    where it says so).
    """
    lone = lone_runoff(pair.candidates, runoff, context)
    if lone is not None:
        return lone
    validate_count(count, context)
    prefix = lead(context)
    wrong = sorted(set(count.votes) ^ set(pair.candidates))
    if wrong:
        only = ", ".join(pair.candidates)
        raise InputError(
            f"{prefix}round 2 needs votes for {only} and no one else: {', '.join(wrong)}"
        )
    ranked = standings(count.votes)
    failed = precheck(count, runoff.min_turnout, turnout_inclusive, against_all_wins, 2, context)
    if failed:
        return failed
    if len(pair.candidates) == 1 and runoff.single_candidate == "uncontested":
        if not uncontested:
            raise RuleMissing(f"{prefix}runoff.single_candidate needs district_tier.uncontested")
        return alone_on_ballot(count, uncontested, 2, ranked, context)
    name: str = runoff.majority_base
    top, base = ranked[0][1], count_base(count, name)
    tied = tuple(c for c, v in ranked if v == top)
    rule, valid = "plurality", list[Said]()
    if runoff.validity:
        judged = judge_validity(
            runoff.validity, top, count.took_part, count.registered, base_of(count)
        )
        condition = judged.condition
        if condition is None:
            return no_condition(
                runoff.validity,
                count.took_part,
                count.registered,
                2,
                judged.reason,
                ranked,
                context,
            )
        if not judged.met:
            reason = Said(
                N_("%(why)s in round 2: no one is elected and the voting failed"),
                why=judged.reason,
            )
            return below_share(top, judged, condition, 2, reason, ranked, context)
        name, base, rule = condition.base, judged.base, "validity"
        valid.append(judged.reason)
    elif runoff.win == "absolute_majority":
        if meets_share(top, base, HALF, inclusive=False):
            reason = round2_majority(tied[0], top, base, name)
            return Elected(
                tied[0], top, base, name, "absolute_majority", 2, reason, ranked, context
            )
        reason = round2_no_majority(base, name)
        return Failed("no_majority", top, base, HALF, False, 2, reason, ranked, context)
    if len(tied) == 1:
        reason = more_votes(ranked, valid)
        return Elected(tied[0], top, base, name, rule, 2, reason, ranked, context)
    if runoff.tie_by_round1:
        earlier = dict(zip(pair.candidates, pair.first_round_votes, strict=True))
        tied, settled = round1_settles(tied, earlier)
        valid.append(tied_each(top, settled))
        if len(tied) == 1:
            reason = settled_by_round1(tied[0], valid)
            return Elected(tied[0], top, base, name, rule, 2, reason, ranked, context)
    if runoff.tie == "undecided":
        reason = undecided(tied, top, valid)
        return Undecided(tied, top, 2, reason, ranked, context, base, name, rule)
    if runoff.tie == "refuse":
        names = ", ".join(tied)
        raise TieUnresolved(f"{prefix}{names} are tied with {top:,} votes each in round 2")
    where = at(context, Said(N_("round 2: winner")))
    among = {c: count.votes[c] for c in tied}
    chosen, ties = top_places(among, 1, ("lot",), count.registration_order, seed, where)
    reason = by_lot(top, valid, ties[0])
    return Elected(chosen[0], top, base, name, rule, 2, reason, ranked, context, ties)


def check_new_voting_candidates(
    original: Collection[CandidateId],
    new: Collection[CandidateId],
    rule: NewVoting,
    context: str = "",
) -> tuple[Violation, ...]:
    """New voting after an invalidated result: the original candidates may not run again [V S8]."""
    if not rule.original_candidates_barred:
        return ()
    why = "stood in the invalidated voting and may not run again"
    barred = sorted(set(original) & set(new))
    return tuple(
        Violation("original_candidate_barred", c, f"{lead(context)}{c} {why}") for c in barred
    )


def new_voting(
    original_candidates: Collection[CandidateId],
    count: DistrictCount,
    tier: DistrictTier,
    *,
    seed: int | None = None,
    context: str = "",
) -> DistrictDecision:
    """A fresh contest, decided like round 1 (or under the law's own validity alternatives
    for new voting, `new_voting.validity`), once its candidates pass the bar on re-running."""
    violations = check_new_voting_candidates(
        original_candidates, count.votes.keys(), tier.new_voting, context
    )
    if violations:
        barred = ", ".join(v.candidate for v in violations)
        raise InputError(f"{lead(context)}new voting: {barred} may not run again")
    if tier.new_voting.validity:
        tier = tier.model_copy(update={"validity": tier.new_voting.validity})
    return first_round(count, tier, seed=seed, context=context)
