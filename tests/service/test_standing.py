"""What the public pages tell a reader, as values: stations reporting, and a district's
state, which names a winner or a runoff only on a complete count."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from saylau.rules.decision import Elected
from saylau.rules.district import RunoffNeeded, RunoffPair
from saylau.service.standing import NOTHING, Reporting, leaders, state, summed

VOTES = st.dictionaries(
    st.sampled_from([f"c{n}" for n in range(6)]), st.integers(0, 10_000), min_size=1
)


def elected(winner: str, votes: dict[str, int]) -> Elected:
    standings = tuple(leaders(votes))
    return Elected(
        winner, votes[winner], sum(votes.values()), "took_part", "plurality", 1, "", standings
    )


def runoff(pair: tuple[str, str], votes: dict[str, int]) -> RunoffNeeded:
    standings = tuple(leaders(votes))
    first = RunoffPair(pair, (votes[pair[0]], votes[pair[1]]), "")
    return RunoffNeeded(first, votes[pair[0]], sum(votes.values()), "took_part", "", standings)


def test_reporting_is_an_exact_share_and_complete_only_when_every_station_is_in() -> None:
    assert Reporting(1, 3).share == Fraction(1, 3)
    assert Reporting(0, 0).share == 0 and not Reporting(0, 0).complete
    assert not Reporting(62, 63).complete and Reporting(63, 63).complete
    assert summed([Reporting(1, 2), Reporting(3, 4)]) == Reporting(4, 6)
    assert summed([]) == NOTHING


@given(VOTES, st.integers(1, 100), st.integers(0, 100))
def test_an_incomplete_count_is_leading_never_elected(
    votes: dict[str, int], stations: int, missing: int
) -> None:
    counted = max(1, stations - max(1, missing))
    reporting = Reporting(min(counted, stations - 1), stations)
    winner = leaders(votes)[0][0]
    for decision in (elected(winner, votes), None):
        found = state(1, reporting, votes, decision)
        if reporting.counted == 0:
            assert found.kind == "no_protocol"
            continue
        assert found.kind in ("leading", "tied") and not found.final
        ranked = sorted(votes.values(), reverse=True)
        assert found.margin == ranked[0] - (ranked[1] if len(ranked) > 1 else 0)
        assert all(votes[c] == ranked[0] for c in found.who)


@given(VOTES, st.integers(1, 100))
def test_a_complete_count_follows_the_law(votes: dict[str, int], stations: int) -> None:
    complete = Reporting(stations, stations)
    winner = leaders(votes)[0][0]
    found = state(2, complete, votes, elected(winner, votes))
    assert found.kind == "elected" and found.who == (winner,) and found.final
    if len(votes) > 1:
        pair = (leaders(votes)[0][0], leaders(votes)[1][0])
        assert state(1, complete, votes, runoff(pair, votes)).who == pair


def test_no_protocol_and_new_voting() -> None:
    votes = {"a": 0, "b": 0}
    assert state(1, Reporting(0, 10), votes, None).kind == "no_protocol"
    assert state(2, Reporting(10, 10), votes, None, new_voting=True).kind == "new_voting"
    tied = state(1, Reporting(3, 10), {"a": 5, "b": 5, "c": 1}, None)
    assert tied.kind == "tied" and tied.who == ("a", "b") and tied.margin == 0
