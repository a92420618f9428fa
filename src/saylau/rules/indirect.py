"""An electoral college electing one seat: the 1999 Senate vote by the maslikhats.

All deputies of a region's maslikhats vote in a joint session by secret ballot [V S22].
The session needs more than half of the electors present [L S35]; a candidate with more
than half of the votes of those who took part wins, otherwise the top two go to a second
round won by the most votes [L S13], where a 1997 text also asked for at least 40% [S30].
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from saylau.errors import InputError, TieUnresolved
from saylau.law.schema import Condition, IndirectTier
from saylau.law.share import format_share
from saylau.rules.decision import (
    CandidateId,
    Elected,
    Failed,
    Standings,
    Undecided,
    at,
    base_words,
    check_votes,
    judge_validity,
    lead,
    no_condition,
    share_of,
    standings,
    top_places,
    whole_number,
)
from saylau.rules.exact import meets_share
from saylau.rules.ties import TieResolution
from saylau.said import N_, Said, joined


@dataclass(frozen=True)
class CollegeCount:
    """One ballot of a college: its size, who was present, and the votes.

    `took_part` is the electors who received a ballot; when not given, all who were present.
    """

    electors: int
    present: int
    votes: Mapping[CandidateId, int]
    took_part: int | None = None


@dataclass(frozen=True)
class NoQuorum:
    """Too few electors present: the session cannot vote."""

    kind: Literal["no_quorum"] = field(default="no_quorum", init=False)
    present: int
    electors: int
    quorum: Fraction
    inclusive: bool
    round: int
    reason: str
    context: str = ""


@dataclass(frozen=True)
class SecondRoundNeeded:
    """No one reached the winning share: `candidates` go to a second round."""

    kind: Literal["second_round"] = field(default="second_round", init=False)
    candidates: tuple[CandidateId, ...]
    leader_votes: int
    base: int
    base_name: str
    share: Fraction
    reason: str
    standings: Standings
    context: str = ""
    ties: tuple[TieResolution, ...] = ()


IndirectDecision = Elected | SecondRoundNeeded | NoQuorum | Failed | Undecided


def validate_college(count: CollegeCount, context: str = "") -> None:
    """Votes <= those who took part <= those present <= the electors."""
    cast = check_votes(count.votes, context)
    electors = whole_number(count.electors, "electors", context)
    present = whole_number(count.present, "present", context)
    took = (
        present if count.took_part is None else whole_number(count.took_part, "took_part", context)
    )
    prefix = lead(context)
    if electors == 0:
        raise InputError(f"{prefix}the college has no electors")
    if present > electors:
        raise InputError(f"{prefix}{present} electors present, but the college has only {electors}")
    if took > present:
        raise InputError(f"{prefix}{took} took part, but only {present} electors were present")
    if cast > took:
        raise InputError(f"{prefix}the votes add up to {cast}, more than the {took} who took part")


def indirect_vote(
    count: CollegeCount,
    tier: IndirectTier,
    round: Literal[1, 2] = 1,
    *,
    ballot: Collection[CandidateId] | None = None,
    seed: int | None = None,
    context: str = "",
) -> IndirectDecision:
    """One ballot of the college for one seat.

    Round 1: `tier.win_share` of the base wins, else the top `second_round_candidates` go
    on (a tie for the last place follows `second_round_place_tie`). Round 2: the most votes
    wins, with at least `second_round_min_share` of those who took part when set. `ballot`,
    when given, names the candidates on the ballot; votes for anyone else are refused.
    """
    validate_college(count, context)
    if ballot is not None:
        outsiders = sorted(c for c in count.votes if c not in ballot)
        if outsiders:
            raise InputError(
                f"{lead(context)}votes for {', '.join(outsiders)}, who are not on the ballot"
            )
    if not meets_share(count.present, count.electors, tier.quorum, inclusive=tier.quorum_inclusive):
        reason = Said(
            N_(
                "%(present)s of %(electors)s electors present (%(share)s), not %(needed)s: "
                "no quorum"
            ),
            present=str(count.present),
            electors=str(count.electors),
            share=share_of(count.present, count.electors),
            needed=Said(N_("at least %(share)s"), share=format_share(tier.quorum))
            if tier.quorum_inclusive
            else Said(N_("more than %(share)s"), share=format_share(tier.quorum)),
        )
        return NoQuorum(
            count.present,
            count.electors,
            tier.quorum,
            tier.quorum_inclusive,
            round,
            reason,
            context,
        )
    took = count.present if count.took_part is None else count.took_part
    ranked = standings(count.votes)
    top = ranked[0][1]
    conditions = tier.validity if round == 1 else tier.second_round_validity
    if conditions:
        return _by_validity(count, tier, conditions, round, took, ranked, seed, context)
    if round == 1:
        base_name = tier.win_base
        base = took if base_name == "took_part" else count.electors
        win_share = tier.win_share
        if win_share is None:
            raise InputError(f"{lead(context)}the law gives no rule for round 1 (win_share)")
        if meets_share(top, base, win_share, inclusive=tier.win_inclusive):
            rule = Said(
                N_("at least %(share)s") if tier.win_inclusive else N_("more than %(share)s"),
                share=format_share(win_share),
            )
            how = Said(
                N_("%(votes)s of %(base)s %(label)s (%(share)s), %(rule)s"),
                votes=top,
                base=base,
                label=base_words(base_name),
                share=share_of(top, base),
                rule=rule,
            )
            return _most_votes(ranked, tier, base, base_name, "win_share", how, 1, seed, context)
        return _second_round_needed(
            count, tier, top, base, base_name, win_share, "", ranked, seed, context
        )
    minimum = tier.second_round_min_share
    if minimum is not None and not meets_share(top, took, minimum, inclusive=True):
        reason = Said(
            N_(
                "the most votes in round 2, %(votes)s of %(took)s who took part (%(share)s), "
                "fall short of the %(minimum)s required"
            ),
            votes=top,
            took=took,
            share=share_of(top, took),
            minimum=format_share(minimum),
        )
        return Failed("below_min_share", top, took, minimum, True, 2, reason, ranked, context)
    how = Said(
        N_("the most votes, %(votes)s of %(took)s who took part (%(share)s)"),
        votes=top,
        took=took,
        share=share_of(top, took),
    )
    return _most_votes(ranked, tier, took, "took_part", "most_votes", how, 2, seed, context)


def _by_validity(
    count: CollegeCount,
    tier: IndirectTier,
    conditions: tuple[Condition, ...],
    round_no: Literal[1, 2],
    took: int,
    ranked: Standings,
    seed: int | None,
    context: str,
) -> IndirectDecision:
    """A round under the law's alternative conditions of validity (`validity` in round 1,
    `second_round_validity` in round 2): the turnout is those who took part of the
    electors. Where the condition that applies elects, the most votes wins (a tie follows
    `tier.tie`); otherwise round 1 goes to a second round and round 2 fails."""
    top = ranked[0][1]
    bases = {"took_part": took, "registered": count.electors}
    bases["candidate_votes"] = sum(count.votes.values())
    judged = judge_validity(conditions, top, took, count.electors, bases.__getitem__, "electors")
    condition = judged.condition
    if condition is None:
        return no_condition(
            conditions, took, count.electors, round_no, judged.reason, ranked, context
        )
    name = "electors" if condition.base == "registered" else condition.base
    if judged.met:
        how = f"the most votes; {judged.reason}"
        return _most_votes(
            ranked, tier, judged.base, name, "validity", how, round_no, seed, context
        )
    if round_no == 2:
        reason = f"{judged.reason} in round 2: no one is elected and the voting failed"
        share, inclusive = condition.share, condition.inclusive
        return Failed(
            "below_min_share", top, judged.base, share, inclusive, 2, reason, ranked, context
        )
    return _second_round_needed(
        count, tier, top, judged.base, name, condition.share, judged.reason, ranked, seed, context
    )


def _second_round_needed(
    count: CollegeCount,
    tier: IndirectTier,
    top: int,
    base: int,
    base_name: str,
    share: Fraction,
    why: str,
    ranked: Standings,
    seed: int | None,
    context: str,
) -> SecondRoundNeeded:
    """No one elected in round 1: the top `second_round_candidates` go on (a tie for the
    last place follows `second_round_place_tie`)."""
    where = at(context, "round 1: second-round place")
    chosen, ties = top_places(
        count.votes,
        tier.second_round_candidates,
        tier.second_round_place_tie,
        None,
        seed,
        where,
    )
    reason: str = why or Said(
        N_("no one has %(needed)s of the %(base)s %(label)s (the leader has %(votes)s, %(share)s)"),
        needed=format_share(share),
        base=base,
        label=base_words(base_name),
        votes=top,
        share=share_of(top, base),
    )
    reason = Said(N_("%(why)s: %(chosen)s go to a second round"), why=reason, chosen=tuple(chosen))
    if ties:
        reason = joined([reason, *(t.describe() for t in ties)])
    return SecondRoundNeeded(chosen, top, base, base_name, share, reason, ranked, context, ties)


def _most_votes(
    ranked: Standings,
    tier: IndirectTier,
    base: int,
    base_name: str,
    rule: str,
    how: str,
    round_no: int,
    seed: int | None,
    context: str,
) -> Elected | Undecided:
    """The leader is elected; a tie for the lead follows `tier.tie`."""
    top = ranked[0][1]
    tied = tuple(c for c, v in ranked if v == top)
    if len(tied) == 1:
        reason: str = Said(
            N_("%(winner)s has %(how)s: elected in round %(round)s"),
            winner=tied[0],
            how=how,
            round=round_no,
        )
        return Elected(tied[0], top, base, base_name, rule, round_no, reason, ranked, context)
    names = ", ".join(tied)
    if tier.tie == "undecided":
        reason = (
            f"{names} are tied with {top:,} votes each in round {round_no} and the law gives "
            f"no rule: undecided until a recorded resolution settles it"
        )
        return Undecided(tied, top, round_no, reason, ranked, context, base, base_name, rule)
    if tier.tie == "refuse":
        raise TieUnresolved(
            f"{lead(context)}{names} are tied with {top:,} votes each in round {round_no}"
        )
    where = at(context, f"round {round_no}: winner")
    (winner,), ties = top_places(dict(ranked), 1, ("lot",), None, seed, where)
    reason = f"tied with {top:,} votes; {ties[0].describe()}"
    return Elected(winner, top, base, base_name, rule, round_no, reason, ranked, context, ties)
