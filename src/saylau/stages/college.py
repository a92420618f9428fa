"""The electoral college: each seat's joint session, in one or two rounds.

1999 Senate: the maslikhat deputies of each region, a quorum of more than half, more
than half of those who took part to win, else the top two meet again [L S13, S35].
"""

from __future__ import annotations

from saylau.inputs import CollegeBallot, ElectionInputs
from saylau.law.schema import IndirectTier
from saylau.registry.model import Contest
from saylau.results import ContestDecision
from saylau.rules.decision import CandidateId
from saylau.rules.indirect import CollegeCount, SecondRoundNeeded, indirect_vote
from saylau.stages.districts import ContestPath, resolved


def college_count(ballot: CollegeBallot) -> CollegeCount:
    votes = {CandidateId(c): v for c, v in ballot.votes.items()}
    return CollegeCount(ballot.electors, ballot.present, votes, ballot.took_part)


def decide_college(inputs: ElectionInputs, contest: Contest, tier: IndirectTier) -> ContestPath:
    """Round 1 on the whole ballot; round 2 between those the first round sent on."""
    where = contest.contest_id
    ballots = {b.round: b for b in inputs.college_ballots if b.contest_id == where}
    on_ballot = tuple(CandidateId(c.candidate_id) for c in inputs.election.candidates_in(where))
    if 1 not in ballots:
        return ContestPath(where, (), "no round 1 ballot entered")
    first = indirect_vote(
        college_count(ballots[1]), tier, 1, ballot=on_ballot, seed=inputs.seed, context=where
    )
    decided, settled = resolved(inputs, ContestDecision(where, 1, first))
    decisions, resolutions = [decided], [settled] if settled is not None else []
    if isinstance(first, SecondRoundNeeded):
        if 2 not in ballots:
            return ContestPath(
                where, tuple(decisions), "no round 2 ballot entered", (), tuple(resolutions)
            )
        second = indirect_vote(
            college_count(ballots[2]),
            tier,
            2,
            ballot=first.candidates,
            seed=inputs.seed,
            context=where,
        )
        decided, settled = resolved(inputs, ContestDecision(where, 2, second))
        decisions.append(decided)
        resolutions += [settled] if settled is not None else []
    return ContestPath(where, tuple(decisions), resolutions=tuple(resolutions))
