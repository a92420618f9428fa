"""Golden: the 2019 Verkhovna Rada list tier, from the national published figures.

Votes, percentages and list seats: the CEC's protocol of 3 Aug 2019 as UNIAN and
Interfax-Ukraine report it; total seats: Wikipedia (data/ua-2019-rada/SOURCES.md). The
bundled law `ua-2019-rada` gives the 225 list seats by Hare largest remainder over the lists
with 5% of the voters who took part. That base is known only as the range the published
percentages allow, so the seats are computed at both of its ends. The districts: plurality
in one round, and an uncontested district's only candidate needs the majority of the votes
cast (no 2019 district was uncontested, so the rule is checked on small counts).
"""

from __future__ import annotations

import csv
import json
from fractions import Fraction

import pytest

from saylau.law import load_law
from saylau.rules.apportion import allocate_list_tier
from saylau.rules.decision import CandidateId, Elected, Failed
from saylau.rules.district import DistrictCount, first_round
from saylau.rules.exact import fixed
from tests.conftest import DATA, ROOT

UA = DATA / "ua-2019-rada"
OFFICIAL_LIST_SEATS = {"sn": 124, "opzzh": 37, "batkivshchyna": 24, "es": 23, "holos": 17}
BASES = (14_611_520, 14_614_905)
"""Every base in this range, and no other, gives all twelve published percentages when
each is cut (not rounded) to two decimals."""


def _rows(name: str) -> list[dict[str, str]]:
    with (UA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _votes() -> dict[str, int]:
    return {r["party_id"]: int(r["votes"]) for r in _rows("list_votes.csv")}


def _cut(part: int, whole: int) -> str:
    hundredths = 10_000 * part // whole
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def test_the_published_seats_add_up() -> None:
    seats = _rows("seats.csv")
    assert sum(int(r["list_seats"]) for r in seats) == 225
    assert sum(int(r["district_seats"]) for r in seats) == 199
    assert sum(int(r["total_seats"]) for r in seats) == 424
    assert all(
        int(r["list_seats"]) + int(r["district_seats"]) == int(r["total_seats"]) for r in seats
    )
    assert {r["party_id"]: int(r["list_seats"]) for r in seats if int(r["list_seats"])} == (
        OFFICIAL_LIST_SEATS
    )


def test_the_published_percentages_fix_the_base_to_a_range() -> None:
    published = {r["party_id"]: r["percent_published"] for r in _rows("list_votes.csv")}
    votes = _votes()
    for base in BASES:
        assert {p: _cut(v, base) for p, v in votes.items()} == published
    for outside in (BASES[0] - 1, BASES[1] + 1):
        assert {p: _cut(v, outside) for p, v in votes.items()} != published
    # Rounded instead of cut, no base gives both 43.16 and 5.82: a percentage falls as its
    # base grows, Holos rounds to 5.83 up to a base of 14,621,836 and Servant of the People
    # to 43.15 from 14,616,599, so every base misses one of them.
    assert fixed(Fraction(100 * votes["holos"], 14_621_836)) == "5.83"
    assert fixed(Fraction(100 * votes["sn"], 14_616_599)) == "43.15"
    assert fixed(Fraction(100 * votes["sn"], 14_616_598)) == "43.16"


@pytest.mark.parametrize("base", BASES)
def test_the_bundled_law_gives_the_official_list_seats(base: int) -> None:
    tier = load_law("ua-2019-rada").list_tier
    assert tier is not None and tier.threshold is not None
    assert (tier.method, tier.threshold.base, tier.threshold.share) == (
        "hare",
        "ballots_found",
        Fraction(5, 100),
    )
    result = allocate_list_tier(tier, _votes(), ballots_found=base)
    assert {party: seats for party, seats in result.seats.items() if seats} == (OFFICIAL_LIST_SEATS)
    assert {q.party_id for q in result.qualification if q.qualified} == set(OFFICIAL_LIST_SEATS)
    assert result.quota is not None
    assert result.quota.quota == Fraction(11_448_549, 225)
    assert result.quota.whole_seats == 222
    by_remainder = [a.party_id for a in result.awards if a.reason == "remainder"]
    assert by_remainder == ["sn", "holos", "batkivshchyna"]


def test_the_radical_party_misses_the_threshold_at_any_base_in_the_range() -> None:
    radical = _votes()["radical"]
    for base in BASES:
        assert 20 * radical < base  # under 5%
        assert 20 * _votes()["holos"] >= base  # Holos, the smallest list that passed


@pytest.mark.parametrize("base", BASES)
def test_saylau_allocate_gives_the_official_list_seats(base: int) -> None:
    """The same through the command line, on the example votes file (names for party ids)."""
    from typer.testing import CliRunner

    from saylau.cli import app

    votes = ROOT / "examples" / "ua-2019-rada-list-votes.csv"
    args = ["allocate", str(votes), "--law", "ua-2019-rada", "--base", str(base), "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    names = {r["name"]: r["party_id"] for r in _rows("list_votes.csv")}
    seats = json.loads(result.stdout)["seats"]
    assert {names[name]: won for name, won in seats.items() if won} == OFFICIAL_LIST_SEATS


def _district(votes: dict[str, int], found: int) -> object:
    tier = load_law("ua-2019-rada").district_tier
    assert tier is not None
    cast = {CandidateId(c): v for c, v in votes.items()}
    count = DistrictCount(cast, found + 5, sum(votes.values()), 3 * found, ballots_found=found)
    return first_round(count, tier, seed=1)


@pytest.mark.parametrize(
    ("votes", "found", "elected"),
    [
        ({"a": 501}, 1_000, "a"),  # uncontested: more than half of the 1,000 votes cast
        ({"a": 500}, 1_000, None),  # half is not the majority: no one is elected
        ({"a": 300, "b": 200, "c": 100}, 1_000, "a"),  # contested: the most votes, any share
    ],
)
def test_a_district_elects_by_plurality_and_an_uncontested_one_by_a_majority(
    votes: dict[str, int], found: int, elected: str | None
) -> None:
    """S1 art. 1(3)(2): a simple majority (plurality) in one round; S2: 'In case of an
    uncontested district, the candidate has to obtain the majority of votes cast'."""
    decision = _district(votes, found)
    if elected is None:
        assert isinstance(decision, Failed) and decision.cause == "below_min_share"
        assert "the only candidate on the ballot" in decision.reason
    else:
        assert isinstance(decision, Elected) and decision.winner == elected
