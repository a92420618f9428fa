"""Golden: the 2016 Seimas list tier, from the national published figures.

Votes, percentages and list seats: the Central Electoral Commission's results as the
Italian and English Wikipedia articles and Lietuvos žinios give them
(data/lt-2016-seimas/SOURCES.md). The bundled law `lt-2016-seimas` gives the 70 list seats
by Hare largest remainder over the lists with 5% of the voters who took part, 7% for a
joint list (a coalition). The number who took part is known only as a range here, so the
seats are computed at both of its ends.
"""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from typing import cast

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.law import load_law
from saylau.law.schema import ListTier
from saylau.rules.allocation import ListEntry, ListKind, PartyId
from saylau.rules.apportion import allocate_list_tier
from saylau.rules.decision import CandidateId, Elected, Failed
from saylau.rules.district import RunoffNeeded, RunoffPair, first_round, second_round
from saylau.rules.district_count import DistrictCount
from saylau.rules.exact import fixed
from tests.conftest import DATA, ROOT

LT = DATA / "lt-2016-seimas"
OFFICIAL_LIST_SEATS = {"ts-lkd": 20, "lvzs": 19, "lsdp": 13, "lrls": 8, "llra-kss": 5, "tt": 5}
LIST_VOTES = 1_220_885
"""The votes for the 14 lists, the base of the published percentages (S3)."""
BASES = (LIST_VOTES, 1_356_340)
"""Those who took part are at least the votes for the lists; up to 1,356,340 (twenty times
Order and Justice's 67,817) every list keeps its side of the 5% and 7% bars."""


def _rows(name: str) -> list[dict[str, str]]:
    with (LT / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _entries(*, as_parties: bool = False) -> list[ListEntry]:
    return [
        ListEntry(
            PartyId(r["party_id"]),
            int(r["votes"]),
            "party" if as_parties else cast(ListKind, r["kind"]),
        )
        for r in _rows("list_votes.csv")
    ]


def _tier() -> ListTier:
    tier = load_law("lt-2016-seimas").list_tier
    assert tier is not None
    return tier


def test_the_published_figures_add_up() -> None:
    votes = _rows("list_votes.csv")
    assert sum(int(r["votes"]) for r in votes) == LIST_VOTES
    for row in votes:
        assert fixed(Fraction(100 * int(row["votes"]), LIST_VOTES)) == row["percent_published"]
    seats = _rows("seats.csv")
    assert sum(int(r["list_seats"]) for r in seats) == 70
    assert sum(int(r["district_seats"]) for r in seats) == 71
    assert sum(int(r["total_seats"]) for r in seats) == 141
    assert all(
        int(r["list_seats"]) + int(r["district_seats"]) == int(r["total_seats"]) for r in seats
    )
    assert {r["party_id"]: int(r["list_seats"]) for r in seats if int(r["list_seats"])} == (
        OFFICIAL_LIST_SEATS
    )


@pytest.mark.parametrize("took_part", BASES)
def test_the_bundled_law_gives_the_official_list_seats(took_part: int) -> None:
    tier = _tier()
    assert tier.threshold is not None
    assert (tier.threshold.share, tier.threshold.coalition_share) == (
        Fraction(5, 100),
        Fraction(7, 100),
    )
    result = allocate_list_tier(tier, _entries(), took_part=took_part)
    assert {p: s for p, s in result.seats.items() if s} == OFFICIAL_LIST_SEATS
    coalition = next(q for q in result.qualification if q.party_id == "lcp-lpp")
    assert not coalition.qualified and "coalition threshold" in coalition.reason
    assert result.quota is not None
    assert result.quota.quota == Fraction(986_968, 70)
    assert result.quota.whole_seats == 67
    by_remainder = [a.party_id for a in result.awards if a.reason == "remainder"]
    assert by_remainder == ["llra-kss", "tt", "ts-lkd"]


def test_the_lists_that_pass_hold_over_60_percent_so_none_is_admitted() -> None:
    """S1 art. 89(2): below 60% of those who took part, further lists would be admitted."""
    passed = sum(e.votes for e in _entries() if e.party_id in OFFICIAL_LIST_SEATS)
    assert passed == 986_968
    assert all(passed * 100 >= 60 * base for base in BASES)


def test_without_the_coalition_bar_the_published_seats_do_not_come_out() -> None:
    """Counted as a party list, the anti-corruption coalition's 6.32% would pass 5% and take
    seats from others: the 7% bar for joint lists is what the published result shows."""
    result = allocate_list_tier(_tier(), _entries(as_parties=True), took_part=BASES[0])
    assert result.seats["lcp-lpp"] == 5
    assert {p: s for p, s in result.seats.items() if s} != OFFICIAL_LIST_SEATS


def test_under_60_percent_the_law_admits_lists_in_order_of_votes() -> None:
    """Not the published result: had 1,700,000 taken part, only four lists would pass 5%
    (849,341 votes, 49.96%), and S1 art. 89(2) admits the others in order of votes until the
    lists taking part hold 60%: the joint list, the Poles' list, then Order and Justice."""
    tier = _tier()
    assert tier.admission is not None and tier.admission.share == Fraction(60, 100)
    result = allocate_list_tier(tier, _entries(), took_part=1_700_000)
    taking_part = {q.party_id for q in result.qualification if q.qualified}
    assert taking_part == {"ts-lkd", "lvzs", "lsdp", "lrls", "lcp-lpp", "llra-kss", "tt"}
    assert sum(e.votes for e in _entries() if e.party_id in taking_part) * 100 >= 60 * 1_700_000
    assert sum(result.seats.values()) == 70 and result.seats["lcp-lpp"] > 0


def _round_one(votes: dict[str, int], registered: int) -> object:
    tier = load_law("lt-2016-seimas").district_tier
    assert tier is not None
    took = sum(votes.values())
    cast = {CandidateId(c): v for c, v in votes.items()}
    return first_round(DistrictCount(cast, took, took, registered), tier, seed=1)


@pytest.mark.parametrize(
    ("votes", "registered", "elected"),
    [
        ({"a": 501, "b": 499}, 2_000, "a"),  # 50% took part: more than half of them
        ({"a": 500, "b": 500}, 2_000, None),  # half is not more than half: second round
        ({"a": 405, "b": 300, "c": 195}, 2_000, None),  # 45% took part: 405 of 900, no majority
        ({"a": 400, "b": 100}, 2_000, "a"),  # 25% took part: 400 is a fifth of 2,000
        ({"a": 399, "b": 101}, 2_000, None),  # 25% took part: 399 is under a fifth
        ({"a": 250, "b": 150, "c": 100}, 1_250, None),  # 40% exactly: 250 of 500 is no majority
        ({"a": 251, "b": 149, "c": 100}, 1_250, "a"),  # 40% exactly: more than half of 500
        ({"a": 250, "b": 149, "c": 100}, 1_250, "a"),  # 39.9% took part: a fifth (250) suffices
        ({"a": 250, "b": 250, "c": 100}, 2_500, None),  # 24% took part: 250 < 500
    ],
)
def test_the_first_round_follows_the_turnout_conditional_rule(
    votes: dict[str, int], registered: int, elected: str | None
) -> None:
    """S5 art. 88(2): more than half of those who took part where at least 40% took part
    ('ne mažiau kaip 40 procentų'); otherwise the most votes, with at least a fifth of the
    registered voters."""
    decision = _round_one(votes, registered)
    winner = decision.winner if isinstance(decision, Elected) else None
    assert winner == elected


@pytest.mark.parametrize("took_part", BASES)
def test_saylau_allocate_gives_the_official_list_seats(took_part: int) -> None:
    """The same through the command line, on the example votes file (its kind column
    marks the joint list)."""
    votes = ROOT / "examples" / "lt-2016-seimas-list-votes.csv"
    args = ["allocate", str(votes), "--law", "lt-2016-seimas", "--base", str(took_part)]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    names = {r["name"]: r["party_id"] for r in _rows("list_votes.csv")}
    seats = json.loads(result.stdout)["seats"]
    assert {names[name]: won for name, won in seats.items() if won} == OFFICIAL_LIST_SEATS


def test_anyksciai_panevezys_2017_needed_a_fifth_of_its_voters() -> None:
    """VRK, 28 April 2017 (S5): in the new election in Anykščiai-Panevėžys No. 49, 9,431 of
    the 31,882 voters took part (29.58%, under 40%), so the leader needed a fifth of the
    31,882 (6,377 votes) and, having fewer, met the runner-up in a second voting."""
    tier = load_law("lt-2016-seimas").district_tier
    assert tier is not None

    def decide(leader: int) -> object:
        votes = {CandidateId("a"): leader, CandidateId("b"): 9_000 - leader, CandidateId("c"): 1}
        return first_round(DistrictCount(votes, 9_431, 9_001, 31_882), tier, seed=1)

    assert isinstance(decide(6_377), Elected)
    second = decide(6_376)
    assert isinstance(second, RunoffNeeded) and second.pair.candidates == ("a", "b")


def test_with_one_or_two_candidates_no_second_voting_follows() -> None:
    """S5 art. 88(3)-(4): a second voting only where more than two stood; with two and no
    one elected the election is void (and held again)."""
    two = _round_one({"a": 300, "b": 200}, 2_000)  # 25% took part: 300 is under a fifth
    assert isinstance(two, Failed) and two.cause == "too_few_candidates"
    assert "2 candidates stood, fewer than the 3 a second round needs" in two.reason
    three = _round_one({"a": 300, "b": 199, "c": 1}, 2_000)
    assert isinstance(three, RunoffNeeded)


def test_a_tie_in_the_second_voting_goes_to_the_first_rounds_votes_then_a_lot() -> None:
    """S5 art. 88(3): equal votes in the second voting: the one with more votes in the first
    becomes the member; equal there too, a lot."""
    tier = load_law("lt-2016-seimas").district_tier
    assert tier is not None and tier.runoff is not None
    a, b = CandidateId("a"), CandidateId("b")
    count = DistrictCount({a: 400, b: 400}, 820, 800, 2_000)
    ahead = second_round(RunoffPair((a, b), (350, 360), "the top two"), count, tier.runoff)
    assert isinstance(ahead, Elected) and ahead.winner == "b"
    assert "b had more votes in round 1 (a 350, b 360)" in ahead.reason
    level = second_round(RunoffPair((a, b), (350, 350), "the top two"), count, tier.runoff, seed=4)
    assert isinstance(level, Elected) and level.ties and level.winner in (a, b)
