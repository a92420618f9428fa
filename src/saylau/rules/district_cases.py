"""District cases a law may settle apart from its round's rule: one candidate on the ballot
(`district_tier.uncontested`), a second round left with one candidate
(`runoff.single_candidate`), too few candidates in round 1 for a runoff
(`runoff.min_round1_candidates`), a second-round tie settled by the first round's votes
(`runoff.tie_by_round1`), and what a failed district leads to (`district_tier.failed`).

The words of every reason these cases give are in this module.

Lithuania, Law on Elections to the Seimas art. 88(3)-(4) (2016): a runoff follows only
where more than two candidates stood; with one or two and no one elected, the election is
void and held again; a runoff tie goes to the one with more votes in round 1, then a lot.
Ukraine, 2019 (OSCE/ODIHR interim report): an uncontested district's only candidate needs
the majority of the votes cast.
"""

from __future__ import annotations

from collections.abc import Sequence

from saylau.law.schema import Condition, DistrictTier, Runoff
from saylau.rules.decision import (
    CandidateId,
    Elected,
    Failed,
    Standings,
    below_share,
    judge_validity,
    no_condition,
)
from saylau.rules.district_count import DistrictCount, base_of, round_one


def uncontested(count: DistrictCount, tier: DistrictTier, context: str = "") -> Elected | Failed:
    """One candidate on the ballot: elected where the alternative of `tier.uncontested`
    that applies at this turnout is met; otherwise no one is elected and the voting fails."""
    ranked, failed = round_one(count, tier, context)
    if failed:
        return failed
    return alone_on_ballot(count, tier.uncontested, 1, ranked, context)


def alone_on_ballot(
    count: DistrictCount,
    conditions: Sequence[Condition],
    round_no: int,
    ranked: Standings,
    context: str,
) -> Elected | Failed:
    """The only candidate of a round is elected where the alternative of the uncontested
    `conditions` that applies at this turnout is met; otherwise the voting fails."""
    only, top = ranked[0]
    judged = judge_validity(conditions, top, count.took_part, count.registered, base_of(count))
    condition = judged.condition
    if condition is None:
        return no_condition(
            conditions, count.took_part, count.registered, round_no, judged.reason, ranked, context
        )
    alone = f"{only} is the only candidate on the ballot; {judged.reason}"
    if round_no > 1:
        alone = f"{only} is the only candidate on the round {round_no} ballot; {judged.reason}"
    if judged.met:
        reason = f"{alone}: elected"
        return Elected(
            only, top, judged.base, condition.base, "uncontested", round_no, reason, ranked, context
        )
    reason = f"{alone}: no one is elected and the voting failed"
    return below_share(top, judged, condition, round_no, reason, ranked, context)


def lone_runoff(
    candidates: Sequence[CandidateId], runoff: Runoff, context: str = ""
) -> Elected | Failed | None:
    """A second round left with one candidate, where the law settles it without a vote
    (`runoff.single_candidate`): `elected` seats the candidate, `failed` ends the voting.
    None where the round is held (more candidates, or `runoff_rule` or `uncontested`)."""
    if len(candidates) != 1 or runoff.single_candidate not in ("elected", "failed"):
        return None
    only = candidates[0]
    if runoff.single_candidate == "elected":
        reason = (
            f"{only} is the only candidate left for the second round: elected without a vote, "
            f"as the law provides"
        )
        return Elected(only, 0, 0, "", "unopposed", 2, reason, (), context)
    reason = (
        f"{only} is the only candidate left for the second round: the law holds no vote "
        f"with one candidate, so no one is elected and the voting failed"
    )
    return Failed("too_few_candidates", 1, 0, None, False, 2, reason, (), context)


def too_few_for_runoff(
    count: DistrictCount, runoff: Runoff, why: str, base: int, ranked: Standings, context: str
) -> Failed | None:
    """A round 1 that elected no one fails, with no runoff, where fewer candidates stood in
    it than `runoff.min_round1_candidates`."""
    stood, needed = len(count.votes), runoff.min_round1_candidates
    if stood >= needed:
        return None
    reason = (
        f"{why}, and {stood} candidate{'s' if stood != 1 else ''} stood, fewer than the "
        f"{needed} a second round needs: no one is elected and the voting failed"
    )
    return Failed("too_few_candidates", ranked[0][1], base, None, False, 1, reason, ranked, context)


def round1_settles(
    tied: tuple[CandidateId, ...], first_round_votes: dict[CandidateId, int]
) -> tuple[tuple[CandidateId, ...], str]:
    """Of those tied in round 2, the ones with the most votes in round 1, and the words that
    say so (`runoff.tie_by_round1`)."""
    best = max(first_round_votes.get(c, 0) for c in tied)
    ahead = tuple(c for c in tied if first_round_votes.get(c, 0) == best)
    earlier = ", ".join(f"{c} {first_round_votes.get(c, 0):,}" for c in tied)
    if len(ahead) == 1:
        return ahead, f"{ahead[0]} had more votes in round 1 ({earlier})"
    return ahead, f"round 1 does not separate them ({earlier})"


def repeat_election_due(failed: str) -> str:
    """The words of a district whose voting failed, where the law calls a repeat election
    (`district_tier.failed = "repeat_election"`) and none is in the data."""
    return f"{failed}; a repeat election is due in this district, and none is in this data"


def repeat_election_held(contest_id: str, failed: str) -> str:
    """The note of a failed district whose repeat election `contest_id` decides its seat."""
    return f"{failed}; the seat goes to repeat election {contest_id}"


def repeat_not_due(contest_id: str, replaced: str, why: str) -> str:
    """The note of a repeat election in the data whose district did not fail."""
    return (
        f"repeat election {contest_id} replaces {replaced}, which {why}: the repeat election "
        f"is not counted"
    )


def repeat_summary(held: int, filled: int, due: int) -> str:
    """The repeat elections stage in one line."""
    text = f"{held} districts decided by repeat elections after failed votings: {filled} filled"
    return text + (f"; {due} repeat election(s) due and not in this data" if due else "")
