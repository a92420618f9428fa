"""The Senate vote of 17 September 1999: one seat in each of the 16 territories.

Real [seed, S5]: 16 senators were elected by the joint sessions of the maslikhats, 12 of
them nominated by maslikhats and 4 self-nominated. Generated: the electors, the candidates,
every vote, and which territories needed a second round. The law (kz-1999-senate): more
than half of the electors present [L S35]; more than half of the votes of those who took
part wins, else the top two meet and the most votes win [L S13].
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.inputs import CollegeBallot
from saylau.registry.model import SELF, Candidate, Contest
from saylau.scenarios.split import descending

MASLIKHAT = "maslikhat"
"""The nominator of a candidate put forward by a maslikhat."""


@dataclass(frozen=True)
class SenateVote:
    """The Senate contests, their candidates and every ballot of the colleges (generated)."""

    contests: tuple[Contest, ...]
    candidates: tuple[Candidate, ...]
    ballots: tuple[CollegeBallot, ...]


def contest_id(territory_id: str) -> str:
    return f"senate-{territory_id}"


def senate_vote(
    rng: random.Random,
    territories: Sequence[tuple[str, str]],
    self_nominated: int,
    second_rounds: tuple[int, int] = (1, 2),
) -> SenateVote:
    """Every territory's college, given (territory_id, name) pairs.

    `self_nominated` winners stood on their own; the rest were maslikhat nominees. Between
    `second_rounds[0]` and `second_rounds[1]` territories need a second round.
    """
    ids = [t for t, _ in territories]
    own = set(rng.sample(ids, self_nominated))
    again = set(rng.sample(ids, rng.randint(*second_rounds)))
    contests: list[Contest] = []
    candidates: list[Candidate] = []
    ballots: list[CollegeBallot] = []
    for territory_id, name in territories:
        cid = contest_id(territory_id)
        contests.append(Contest(cid, "senate", "college", territory_id=territory_id))
        electors = rng.randint(40, 120)
        present, took, cast = _attendance(rng, electors)
        if territory_id in again:
            ranked = _split_field(rng, took, cast)
            place = rng.randrange(2)
        else:
            ranked = _majority_field(rng, took, cast)
            place = 0
        winner = SELF if territory_id in own else MASLIKHAT
        nominees = [rng.choice((MASLIKHAT, MASLIKHAT, SELF)) for _ in ranked]
        nominees[place] = winner
        order = list(range(len(ranked)))
        rng.shuffle(order)
        slate = [
            Candidate(f"{cid}-c{k + 1}", cid, f"{name} Senate candidate {k + 1}", nominees[rank])
            for k, rank in enumerate(order)
        ]
        candidates += slate
        first = {c.candidate_id: ranked[rank] for c, rank in zip(slate, order, strict=True)}
        ballots.append(CollegeBallot(cid, 1, electors, present, first, took))
        if territory_id in again:
            top_two = sorted(first, key=lambda c: -first[c])[:2]
            ballots.append(_second_round(rng, cid, electors, top_two, top_two[place]))
    return SenateVote(tuple(contests), tuple(candidates), tuple(ballots))


def _attendance(rng: random.Random, electors: int) -> tuple[int, int, int]:
    """Present (85-100%, a quorum), took part (all but up to 2), votes cast (all but up to 2)."""
    present = electors - rng.randint(0, electors * 15 // 100)
    took = present - rng.randint(0, 2)
    cast = took - rng.randint(0, 2)
    return present, took, cast


def _majority_field(rng: random.Random, took: int, cast: int) -> list[int]:
    """A winner with more than half of those who took part; two or three others."""
    winner = took // 2 + 1 + rng.randint(0, took // 4)
    rest = cast - winner
    count = rng.randint(1, 3)
    while count * (count + 1) // 2 > rest:
        count -= 1
    if count == 0:
        return [cast]
    return [winner, *descending(rng, rest, count, winner)]


def _split_field(rng: random.Random, took: int, cast: int) -> list[int]:
    """No majority: the leader has 34-48% of those who took part, a clear runner-up, 1-2 more."""
    leader = took * rng.randint(34, 48) // 100
    second = min(leader - 1 - rng.randint(0, leader // 5), cast - leader - 3)
    rest = cast - leader - second
    count = max(rng.randint(1, 2), rest // max(1, second - 2) + 1)
    return [leader, second, *descending(rng, rest, count, second - 1)]


def _second_round(
    rng: random.Random, cid: str, electors: int, pair: Sequence[str], winner: str
) -> CollegeBallot:
    """The top two again; the planned winner has 52-72% of the votes cast."""
    present, took, cast = _attendance(rng, electors)
    top = cast // 2 + 1 + rng.randint(0, cast // 5)
    votes = {c: top if c == winner else cast - top for c in pair}
    return CollegeBallot(cid, 2, electors, present, votes, took)
