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
from typing import Final

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
from saylau.said import N_, Said, joined


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
    alone = Said(
        N_("%(candidate)s is the only candidate on the ballot; %(why)s"),
        candidate=only,
        why=judged.reason,
    )
    if round_no > 1:
        alone = Said(
            N_("%(candidate)s is the only candidate on the round %(round)s ballot; %(why)s"),
            candidate=only,
            round=round_no,
            why=judged.reason,
        )
    if judged.met:
        reason = Said(N_("%(why)s: elected"), why=alone)
        return Elected(
            only, top, judged.base, condition.base, "uncontested", round_no, reason, ranked, context
        )
    reason = voting_failed(alone)
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
        reason = Said(
            N_(
                "%(candidate)s is the only candidate left for the second round: elected "
                "without a vote, as the law provides"
            ),
            candidate=only,
        )
        return Elected(only, 0, 0, "", "unopposed", 2, reason, (), context)
    reason = Said(
        N_(
            "%(candidate)s is the only candidate left for the second round: the law holds no "
            "vote with one candidate, so no one is elected and the voting failed"
        ),
        candidate=only,
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
    words = (
        N_(
            "%(why)s, and %(stood)s candidate stood, fewer than the %(needed)s a second round "
            "needs: no one is elected and the voting failed"
        )
        if stood == 1
        else N_(
            "%(why)s, and %(stood)s candidates stood, fewer than the %(needed)s a second round "
            "needs: no one is elected and the voting failed"
        )
    )
    reason = Said(words, why=why, stood=stood, needed=needed)
    return Failed("too_few_candidates", ranked[0][1], base, None, False, 1, reason, ranked, context)


def round1_settles(
    tied: tuple[CandidateId, ...], first_round_votes: dict[CandidateId, int]
) -> tuple[tuple[CandidateId, ...], Said]:
    """Of those tied in round 2, the ones with the most votes in round 1, and the words that
    say so (`runoff.tie_by_round1`)."""
    best = max(first_round_votes.get(c, 0) for c in tied)
    ahead = tuple(c for c in tied if first_round_votes.get(c, 0) == best)
    earlier = tuple(
        Said("%(candidate)s %(votes)s", candidate=c, votes=first_round_votes.get(c, 0))
        for c in tied
    )
    if len(ahead) == 1:
        return ahead, Said(
            N_("%(candidate)s had more votes in round 1 (%(votes)s)"),
            candidate=ahead[0],
            votes=earlier,
        )
    return ahead, Said(N_("round 1 does not separate them (%(votes)s)"), votes=earlier)


def voting_failed(why: str) -> Said:
    """A reason that ends the voting with no one elected."""
    return Said(N_("%(why)s: no one is elected and the voting failed"), why=why)


def repeat_election_due(failed: str) -> Said:
    """The words of a district whose voting failed, where the law calls a repeat election
    (`district_tier.failed = "repeat_election"`) and none is in the data."""
    return Said(
        N_("%(failed)s; a repeat election is due in this district, and none is in this data"),
        failed=failed,
    )


def repeat_election_held(contest_id: str, failed: str) -> Said:
    """The note of a failed district whose repeat election `contest_id` decides its seat."""
    return Said(
        N_("%(failed)s; the seat goes to repeat election %(contest)s"),
        failed=failed,
        contest=contest_id,
    )


REPEAT_NOT_DUE: Final = {
    "vacant": N_("may not be repeated under the law (district_tier.failed = 'vacant')"),
    "not_decided": N_("was not decided in this run"),
    "not_failed": N_("did not fail"),
}
"""Why a repeat election in the data is not counted, by key."""


def repeat_not_due(contest_id: str, replaced: str, why: str) -> Said:
    """The note of a repeat election in the data whose district did not fail, `why` a key
    of `REPEAT_NOT_DUE`."""
    return Said(
        N_(
            "repeat election %(contest)s replaces %(replaced)s, which %(why)s: the repeat "
            "election is not counted"
        ),
        contest=contest_id,
        replaced=replaced,
        why=Said(REPEAT_NOT_DUE[why]),
    )


def repeat_summary(held: int, filled: int, due: int) -> Said:
    """The repeat elections stage in one line."""
    text = Said(
        N_(
            "%(held)s districts decided by repeat elections after failed votings: %(filled)s filled"
        ),
        held=held,
        filled=filled,
    )
    if not due:
        return text
    more = Said(N_("%(due)s repeat election(s) due and not in this data"), due=due)
    return joined([text, more])
