"""The generated district contests of 1999: who stood, and each district's count.

Real [seed]: 20 districts decided on 10 Oct, 47 in the second round on 24 Oct, new voting in
Atyrau city and one district each of South Kazakhstan and Jambyl, where the original
candidates may not run again [S8]; the final district seats by nominator (published_seats.csv).
Generated: which districts, the candidates and every vote. Each count is planned so that the
1999 law (more than half of those who took part wins round 1 [L S13]; else the top two meet,
and the one with more votes wins) gives the published outcome, with no tie anywhere.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.registry.model import SELF, Candidate, Contest
from saylau.scenarios.kz_1999.tables import DistrictRow
from saylau.scenarios.split import descending

NOMINATORS = (
    "otan",
    "communist",
    "agrarian",
    "civic",
    "azamat",
    "congress",
    "alash",
    "revival",
    "labour",
    "trade_unions",
    "peoples_coop",
)
"""Parties and associations that nominated district candidates (generated: which where)."""


@dataclass(frozen=True)
class Count:
    """A contest's planned count in one round, added up over the district (generated)."""

    contest_id: str
    round: int
    took_part: int
    invalid: int
    against_all: int
    votes: tuple[tuple[str, int], ...]
    """Candidate ids with their votes, in ballot order."""

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.votes)


@dataclass(frozen=True)
class Outline:
    """What the published figures fix: the final winner's nominator in every district,
    the 20 districts decided in round 1 and the 3 that held new voting (generated: where)."""

    nominators: Mapping[str, str]
    decided: tuple[str, ...]
    new_voting: tuple[str, ...]

    @property
    def runoff(self) -> tuple[str, ...]:
        return tuple(d for d in self.nominators if d not in self.decided)


def district_contest_id(district_id: str) -> str:
    return f"majilis-{district_id}"


def new_contest_id(district_id: str) -> str:
    return f"majilis-{district_id}-new"


def outline(
    rng: random.Random,
    districts: Sequence[DistrictRow],
    seats: Mapping[str, int],
    decided_round1: int,
    new_voting_places: Sequence[str],
) -> Outline:
    """Deal the published seats by nominator to districts; pick the decided and new ones.

    `new_voting_places` names the district "Atyrau city" or a territory id for each new voting.
    """
    pool = [
        SELF if party == "independent" else party for party, n in seats.items() for _ in range(n)
    ]
    if len(pool) != len(districts):
        raise ValueError(f"{len(pool)} published district seats for {len(districts)} districts")
    rng.shuffle(pool)
    nominators = {d.district_id: n for d, n in zip(districts, pool, strict=True)}
    new: list[str] = []
    for place in new_voting_places:
        named = [d.district_id for d in districts if d.name == place]
        within = [d.district_id for d in districts if d.territory_id == place]
        new.append(named[0] if named else within[rng.randrange(len(within))])
    others = [d.district_id for d in districts if d.district_id not in new]
    decided = tuple(sorted(rng.sample(others, decided_round1)))
    return Outline(nominators, decided, tuple(new))


def round_one(
    rng: random.Random, district_id: str, plan: Outline, took_part: int
) -> tuple[tuple[Candidate, ...], Count]:
    """Round 1 of one district: its candidates and its count.

    Decided: the planned nominator's candidate has 52-70% of those who took part. Runoff:
    the leader has 26-46%, the runner-up clearly more than the third; the planned winner is
    one of the two (outside the new-voting districts, whose round 2 is invalidated).
    """
    contest_id = district_contest_id(district_id)
    invalid, against, valid = _spoilt(rng, took_part, (25, 60), (40, 90))
    if district_id in plan.decided:
        winner = took_part // 2 + 1 + took_part * rng.randint(20, 200) // 1000
        others = _others(rng, valid - winner, rng.randint(1, 5), winner)
        ranked = [winner, *others]
        place = 0
    else:
        ranked = _runoff_field(rng, took_part, valid)
        place = 0 if rng.randrange(4) else 1
    nominees = _nominees(rng, plan.nominators[district_id], len(ranked), place)
    order = list(range(len(ranked)))
    rng.shuffle(order)
    candidates = tuple(
        Candidate(
            f"{contest_id}-c{k + 1}",
            contest_id,
            f"District {district_id} candidate {k + 1}",
            nominees[rank],
            names=(
                ("kk", f"№ {district_id} округтің {k + 1}-кандидаты"),
                ("ru", f"Кандидат {k + 1} по округу № {district_id}"),
            ),
        )
        for k, rank in enumerate(order)
    )
    votes = tuple((c.candidate_id, ranked[rank]) for c, rank in zip(candidates, order, strict=True))
    return candidates, Count(contest_id, 1, took_part, invalid, against, votes)


def round_two(
    rng: random.Random,
    first: Count,
    candidates: Sequence[Candidate],
    nominator: str | None,
    took_part: int,
) -> Count:
    """Round 2: the top two of round 1; the planned nominator's candidate gets 53-72%.

    `nominator` None (an invalidated second round): either of the two wins.
    """
    pair = [c for c, _ in sorted(first.votes, key=lambda cv: -cv[1])[:2]]
    by_id = {c.candidate_id: c for c in candidates}
    if nominator is None:
        winner = pair[rng.randrange(2)]
    else:
        winner = next(c for c in pair if by_id[c].nominator == nominator)
    invalid, against, valid = _spoilt(rng, took_part, (15, 45), (40, 100))
    top = valid * rng.randint(530, 720) // 1000
    votes = {winner: top, next(c for c in pair if c != winner): valid - top}
    ordered = tuple((c, votes[c]) for c in first.entries if c in votes)
    return Count(first.contest_id, 2, took_part, invalid, against, ordered)


def new_voting(
    rng: random.Random, district: DistrictRow, nominator: str, took_part: int
) -> tuple[Contest, tuple[Candidate, ...], Count]:
    """New voting: new candidates only [V S8]; the planned nominator's wins in round 1."""
    contest_id = new_contest_id(district.district_id)
    contest = Contest(
        contest_id,
        "majilis",
        "new_voting",
        district.district_id,
        district.territory_id,
        replaces=district_contest_id(district.district_id),
    )
    invalid, against, valid = _spoilt(rng, took_part, (20, 50), (30, 80))
    winner = took_part // 2 + 1 + took_part * rng.randint(30, 200) // 1000
    ranked = [winner, *_others(rng, valid - winner, rng.randint(1, 3), winner)]
    nominees = _nominees(rng, nominator, len(ranked), 0)
    name = f"District {district.district_id} new-voting candidate"
    number = district.district_id
    candidates = tuple(
        Candidate(
            f"{contest_id}-c{k + 1}",
            contest_id,
            f"{name} {k + 1}",
            nominees[k],
            names=(
                ("kk", f"№ {number} округтегі қайта сайлаудың {k + 1}-кандидаты"),
                ("ru", f"Кандидат {k + 1} на повторных выборах в округе № {number}"),
            ),
        )
        for k in range(len(ranked))
    )
    votes = tuple((c.candidate_id, v) for c, v in zip(candidates, ranked, strict=True))
    return contest, candidates, Count(contest_id, 1, took_part, invalid, against, votes)


def _spoilt(
    rng: random.Random, took_part: int, invalid: tuple[int, int], against: tuple[int, int]
) -> tuple[int, int, int]:
    """Invalid ballots and against-all votes, per mille of those who took part; the rest valid."""
    spoilt = took_part * rng.randint(*invalid) // 1000
    against_all = took_part * rng.randint(*against) // 1000
    return spoilt, against_all, took_part - spoilt - against_all


def _others(rng: random.Random, votes: int, count: int, below: int) -> list[int]:
    """The rest of the field: `count` or more candidates, each with fewer than `below` votes."""
    count = max(count, votes // max(1, below * 3 // 4) + 1)
    while count > 1 and count * (count + 1) // 2 > votes:
        count -= 1
    return descending(rng, votes, count, below)


def _runoff_field(rng: random.Random, took_part: int, valid: int) -> list[int]:
    """Votes of a field where no one has a majority and the top two stand clear of the rest."""
    leader = took_part * rng.randint(260, 460) // 1000
    room = valid - leader - took_part * rng.randint(50, 120) // 1000
    second = min(leader * rng.randint(550, 930) // 1000, room)
    gap = max(1, took_part * rng.randint(10, 60) // 1000)
    rest = _others(rng, valid - leader - second, rng.randint(1, 4), second - gap)
    return [leader, second, *rest]


def _nominees(rng: random.Random, winner: str, count: int, place: int) -> list[str]:
    """Nominators in rank order: the planned one at `place`, one candidate per party at most."""
    parties = [n for n in NOMINATORS if n != winner]
    rng.shuffle(parties)
    others = [parties.pop() if parties and rng.randrange(3) else SELF for _ in range(count - 1)]
    return [*others[:place], winner, *others[place:]]
