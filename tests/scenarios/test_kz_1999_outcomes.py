"""The 1999 law, applied by the rule core to the generated protocols, gives the published outcome.

Published [seed]: 20 districts decided on 10 Oct, 47 in a runoff, new voting in 3; the
district seats by nominator of published_seats.csv; the list tier 4 / 2 / 2 / 2 [S2];
16 senators, 12 nominated by maslikhats and 4 self-nominated.
"""

from __future__ import annotations

from collections import Counter

import pytest

from saylau.law import load_law
from saylau.rules.apportion import allocate_list_tier
from saylau.rules.decision import Elected
from saylau.rules.indirect import SecondRoundNeeded
from saylau.scenarios.kz_1999 import tables
from tests.scenarios.helpers import (
    SEEDS,
    built,
    entries,
    outcome,
    seats_by_nominator,
    senate_decisions,
    total,
)


@pytest.mark.parametrize("seed", SEEDS)
def test_twenty_decided_forty_seven_runoffs_three_new_votings(seed: int) -> None:
    result = outcome(seed)
    assert (len(result.decided), len(result.runoff), len(result.new_voting)) == (20, 47, 3)
    assert set(result.new_voting) <= set(result.runoff)
    invalidated = {(i.contest_id, i.round, i.new_contest_id) for i in built(seed).invalidations}
    assert invalidated == {(f"majilis-{d}", 2, f"majilis-{d}-new") for d in result.new_voting}


@pytest.mark.parametrize("seed", SEEDS)
def test_final_district_seats_by_nominator(seed: int) -> None:
    published = {s.party_id: s.district_seats for s in tables.published_seats() if s.district_seats}
    assert seats_by_nominator(seed) == Counter(published)
    assert published == {
        "otan": 19,
        "civic": 11,
        "trade_unions": 11,
        "communist": 1,
        "agrarian": 1,
        "peoples_coop": 1,
        "independent": 23,
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_the_list_tier_is_four_two_two_two(seed: int) -> None:
    table = built(seed).protocols[("majilis-list", 1)]
    tier = load_law("kz-1999-majilis").list_tier
    assert tier is not None
    votes = {party: total(table, party) for party in entries(table)}
    allocation = allocate_list_tier(tier, votes, took_part=total(table, "took_part"))
    assert {p: n for p, n in allocation.seats.items() if n} == {
        "otan": 4,
        "communist": 2,
        "agrarian": 2,
        "civic": 2,
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_no_ties_and_clear_runoff_winners(seed: int) -> None:
    inputs = built(seed)
    for table in inputs.protocols.values():
        votes = sorted((total(table, c) for c in entries(table)), reverse=True)
        assert votes[0] > votes[1]
        if len(votes) > 2:
            assert votes[1] > votes[2]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_senate(seed: int) -> None:
    election = built(seed).election
    decisions = senate_decisions(seed)
    winners = [d for _, _, d in decisions if isinstance(d, Elected)]
    assert len(winners) == 16
    assert len({c for c, _, d in decisions if isinstance(d, Elected)}) == 16
    second = [c for c, r, d in decisions if r == 1 and isinstance(d, SecondRoundNeeded)]
    assert 1 <= len(second) <= 2
    assert sorted(c for c, r, _ in decisions if r == 2) == sorted(second)
    nominators = Counter(election.candidate_by_id[d.winner].nominator for d in winners)
    assert nominators == {"maslikhat": 12, "self": 4}
    for ballot in built(seed).college_ballots:
        assert ballot.present * 2 > ballot.electors
        assert 40 <= ballot.electors <= 120
        assert ballot.took_part is not None and sum(ballot.votes.values()) <= ballot.took_part
