"""The words of a district's reasons under its round's own rule (saylau.rules.district):
a majority or the most votes in round 1, a second round, a withdrawal before it, and round
2's result. Each is a `Said` (saylau.said), its English the text the JSON and the command
line show, so the report can say it in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from saylau.rules.decision import CandidateId, Standings, base_words, share_of
from saylau.rules.ties import TieResolution
from saylau.said import N_, Param, Said, joined


def _share(votes: int, base: int, base_name: str) -> dict[str, Param]:
    return {
        "votes": votes,
        "base": base,
        "label": base_words(base_name),
        "share": share_of(votes, base),
    }


def with_ties(reason: Said, ties: Sequence[TieResolution]) -> Said:
    """A reason, then how each tie on the way was settled."""
    return joined([reason, *(t.describe() for t in ties)]) if ties else reason


def most_votes(winner: CandidateId, votes: int, base: int, base_name: str) -> Said:
    """Round 1 won by plurality."""
    return Said(
        N_(
            "%(winner)s has the most votes, %(votes)s of %(base)s %(label)s (%(share)s): "
            "elected by plurality"
        ),
        winner=winner,
        **_share(votes, base, base_name),
    )


def majority(leader: CandidateId, votes: int, base: int, base_name: str) -> Said:
    """Round 1 won by more than half."""
    return Said(
        N_(
            "%(winner)s has %(votes)s of %(base)s %(label)s (%(share)s), more than half: "
            "elected in round 1"
        ),
        winner=leader,
        **_share(votes, base, base_name),
    )


def no_majority(leader: CandidateId, votes: int, base: int, base_name: str) -> Said:
    """Round 1 where no one has more than half."""
    return Said(
        N_(
            "no one has more than half (the leader %(leader)s has %(votes)s of %(base)s "
            "%(label)s (%(share)s))"
        ),
        leader=leader,
        **_share(votes, base, base_name),
    )


def to_runoff(why: str, chosen: Sequence[CandidateId]) -> Said:
    """No one elected in round 1: who goes to the second round."""
    return Said(N_("%(why)s: %(pair)s go to a second round"), why=why, pair=tuple(chosen))


def runoff_places(count: int, ties: Sequence[TieResolution]) -> Said:
    """How the second round's candidates were found."""
    how = Said(N_("the %(count)s with the most votes in round 1"), count=count)
    return with_ties(how, ties)


def withdrew(withdrawn: CandidateId, remaining: Sequence[CandidateId], others: bool) -> Said:
    """A withdrawal that moves no one up: by the law, or as no one is left to."""
    words = (
        N_("%(withdrawn)s withdrew; the law leaves %(remaining)s to stand")
        if others
        else N_(
            "%(withdrawn)s withdrew; no other candidate is left to move up, so leaves "
            "%(remaining)s to stand"
        )
    )
    left: Param = tuple(remaining) or Said(N_("no one"))
    return Said(words, withdrawn=withdrawn, remaining=left)


def moved_up(withdrawn: CandidateId, mover: CandidateId, ties: Sequence[TieResolution]) -> Said:
    """A withdrawal where the next in round-1 order moves up."""
    reason = Said(
        N_("%(withdrawn)s withdrew; %(mover)s, next in round-1 order, moves up"),
        withdrawn=withdrawn,
        mover=mover,
    )
    return with_ties(reason, ties)


def round2_majority(winner: CandidateId, votes: int, base: int, base_name: str) -> Said:
    """Round 2 won by more than half."""
    return Said(
        N_("%(winner)s has %(votes)s of %(base)s %(label)s, more than half"),
        winner=winner,
        votes=votes,
        base=base,
        label=base_words(base_name),
    )


def round2_no_majority(base: int, base_name: str) -> Said:
    """Round 2 where the law asks more than half and no one has it."""
    return Said(
        N_("no one has more than half of the %(base)s %(label)s in round 2"),
        base=base,
        label=base_words(base_name),
    )


def more_votes(ranked: Standings, valid: Sequence[Said]) -> Said:
    """Round 2 won outright: more votes than the other (and the condition of validity met,
    where the law has one)."""
    winner, top = ranked[0]
    rest: Param = ranked[1][1] if len(ranked) > 1 else Said(N_("no other candidate"))
    said: dict[str, Param] = {"winner": winner, "votes": top, "rest": rest}
    if valid:
        return Said(
            N_(
                "%(winner)s has more votes (%(votes)s) than the other (%(rest)s); %(why)s: "
                "elected in round 2"
            ),
            why=joined(valid),
            **said,
        )
    return Said(
        N_("%(winner)s has more votes (%(votes)s) than the other (%(rest)s): elected in round 2"),
        **said,
    )


def tied_each(votes: int, settled: Said) -> Said:
    """A round-2 tie, and what round 1's votes make of it (`runoff.tie_by_round1`)."""
    return Said(N_("tied with %(votes)s votes each, %(settled)s"), votes=votes, settled=settled)


def settled_by_round1(winner: CandidateId, valid: Sequence[Said]) -> Said:
    """A round-2 tie that round 1's votes settle."""
    return joined([Said(N_("%(winner)s elected in round 2"), winner=winner), *valid])


def undecided(tied: Sequence[CandidateId], votes: int, valid: Sequence[Said]) -> Said:
    """A round-2 tie the law leaves open."""
    said: dict[str, Param] = {"tied": tuple(tied), "votes": votes}
    if valid:
        return Said(
            N_(
                "%(tied)s are tied with %(votes)s votes each in round 2 and the law gives no "
                "rule; %(why)s: undecided until a recorded resolution settles it"
            ),
            why=joined(valid),
            **said,
        )
    return Said(
        N_(
            "%(tied)s are tied with %(votes)s votes each in round 2 and the law gives no "
            "rule: undecided until a recorded resolution settles it"
        ),
        **said,
    )


def by_lot(votes: int, valid: Sequence[Said], tie: TieResolution) -> Said:
    """A round-2 tie drawn by lot."""
    lot = Said(N_("tied with %(votes)s votes in round 2"), votes=votes)
    return joined([lot, *valid, tie.describe()])
