"""District contests through their rounds: round 1, the runoff, and new voting.

The rules themselves are in saylau.rules.district; this module feeds them tabulated
counts, applies recorded withdrawals, invalidations and resolutions of ties, and keeps every
decision with what shaped it.
"""

from __future__ import annotations

from dataclasses import dataclass

from saylau.inputs import ElectionInputs, Resolution, Withdrawal
from saylau.law.schema import DistrictTier
from saylau.registry.model import Contest
from saylau.results import ContestDecision
from saylau.rules.decision import CandidateId, Elected, Failed, Undecided, resolve_tie
from saylau.rules.district import (
    DistrictCount,
    RunoffNeeded,
    first_round,
    new_voting,
    second_round,
    withdraw,
)
from saylau.rules.district_cases import lone_runoff
from saylau.stages.counting import Counted, Counting
from saylau.tabulate.totals import LineTotals


@dataclass(frozen=True)
class ContestPath:
    """Every decision taken in one contest, round by round, where it ended, and the recorded
    withdrawals and resolutions that were applied on the way."""

    contest_id: str
    decisions: tuple[ContestDecision, ...]
    missing: str | None = None
    withdrawals: tuple[Withdrawal, ...] = ()
    resolutions: tuple[Resolution, ...] = ()

    @property
    def last(self) -> ContestDecision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def final(self) -> Elected | Undecided | Failed | None:
        """The decision that stands: a winner, an open tie, a failed vote, or nothing yet."""
        last = self.last
        if last is None or isinstance(last.decision, RunoffNeeded):
            return None
        decision = last.decision
        if isinstance(decision, Elected | Undecided | Failed):
            return decision
        return None


def district_count(count: LineTotals) -> DistrictCount:
    """The rule core's view of a tabulated district count."""
    return DistrictCount(
        votes={CandidateId(c): v for c, v in count.votes.items()},
        took_part=count.took_part,
        valid=count.counted_valid,
        registered=count.registered,
        against_all=count.against_all or 0,
        ballots_found=count.ballots_found,
    )


def nothing_counted(counted: Counted | None, round_no: int) -> str:
    """Why a round cannot be decided: no protocol entered, or none accepted. Nothing is
    decided on an empty count, not even a lot [the decision waits for the protocols]."""
    if counted is None:
        return f"no round {round_no} protocols entered"
    rejected, missing = counted.check.rejected_count, len(counted.missing)
    return (
        f"no round {round_no} protocol was accepted ({rejected:,} rejected, {missing:,} "
        f"missing): nothing is decided until corrected protocols are counted"
    )


def resolved(
    inputs: ElectionInputs, decided: ContestDecision
) -> tuple[ContestDecision, Resolution | None]:
    """An undecided tie settled by the resolution recorded for its contest and round."""
    decision = decided.decision
    if not isinstance(decision, Undecided):
        return decided, None
    for resolution in inputs.resolutions:
        if (resolution.contest_id, resolution.round) == (decided.contest_id, decided.round):
            elected = resolve_tie(
                decision, CandidateId(resolution.winner), resolution.method, resolution.reference
            )
            note = f"{decision.reason}; {elected.reason}"
            settled = ContestDecision(
                decided.contest_id, decided.round, elected, decided.count, (*decided.notes, note)
            )
            return settled, resolution
    return decided, None


def decide_rounds(
    counting: Counting,
    contest: Contest,
    tier: DistrictTier,
    *,
    original: tuple[CandidateId, ...] | None = None,
    last_round: int = 2,
) -> ContestPath:
    """Round 1 (or a new voting when `original` names the barred candidates), then round 2.

    Recorded withdrawals change the second round's pair; a recorded resolution settles a tie
    the law leaves undecided. Both are kept in the decision's notes.
    """
    inputs = counting.inputs
    seed, where = inputs.seed, contest.contest_id
    counted = counting.count(contest, 1)
    if counted is None or counted.count.protocols == 0:
        return ContestPath(where, (), nothing_counted(counted, 1))
    count = counted.count
    if original is None:
        first = first_round(district_count(count), tier, seed=seed, context=where)
    else:
        first = new_voting(original, district_count(count), tier, seed=seed, context=where)
    decided, settled = resolved(inputs, ContestDecision(where, 1, first, count))
    decisions = [decided]
    resolutions = [settled] if settled is not None else []
    if not isinstance(first, RunoffNeeded) or last_round < 2 or tier.runoff is None:
        return ContestPath(where, tuple(decisions), resolutions=tuple(resolutions))
    pair = first.pair
    applied: list[Withdrawal] = []
    notes: list[str] = []
    for withdrawal in inputs.withdrawals:
        if withdrawal.contest_id == where:
            pair = withdraw(
                pair,
                CandidateId(withdrawal.candidate_id),
                district_count(count),
                tier.runoff,
                seed=seed,
                context=where,
            )
            applied.append(withdrawal)
            why = f" ({withdrawal.reason})" if withdrawal.reason else ""
            notes.append(f"before round 2{why}: {pair.reason}")
    lone = lone_runoff(pair.candidates, tier.runoff, where)
    if lone is not None:  # settled without a vote: no round 2 protocol is read
        decisions.append(ContestDecision(where, 2, lone, None, tuple(notes)))
        return ContestPath(where, tuple(decisions), None, tuple(applied), tuple(resolutions))
    counted = counting.count(contest, 2)
    if counted is None or counted.count.protocols == 0:
        return ContestPath(
            where,
            tuple(decisions),
            nothing_counted(counted, 2),
            tuple(applied),
            tuple(resolutions),
        )
    second = second_round(
        pair,
        district_count(counted.count),
        tier.runoff,
        seed=seed,
        context=where,
        against_all_wins=tier.against_all_wins,
        turnout_inclusive=tier.turnout_inclusive,
        uncontested=tier.uncontested,
    )
    decided, settled = resolved(
        inputs, ContestDecision(where, 2, second, counted.count, tuple(notes))
    )
    decisions.append(decided)
    resolutions += [settled] if settled is not None else []
    return ContestPath(where, tuple(decisions), None, tuple(applied), tuple(resolutions))
