"""Golden tests: published list-tier results, reproduced from real votes by the bundled laws.

1999 Majilis: votes from Nohlen, Grotz & Hartmann, Elections in Asia (2001) vol. I p. 420;
seats from the official composition (data/kz-1999/published_seats.csv).
St Petersburg 2021 ZakS: station results of the city election commission, shipped with
Saylau (src/saylau/importers/spb2021/data/SOURCES.md); United Russia took 11 of the 25 list
seats, as the press reported.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from fractions import Fraction

from saylau.importers.spb2021.files import shipped
from saylau.law import load_law
from saylau.rules.apportion import allocate, allocate_list_tier
from tests.conftest import DATA

KZ = DATA / "kz-1999"


def _kz_votes() -> dict[str, int]:
    with (KZ / "parties.csv").open() as handle:
        return {
            r["party_id"]: int(r["list_votes"]) for r in csv.DictReader(handle) if r["list_votes"]
        }


def _kz_figure(name: str) -> int:
    with (KZ / "national_totals.csv").open() as handle:
        return next(int(r["value"]) for r in csv.DictReader(handle) if r["figure"] == name)


def test_kz_1999_list_tier_is_4_2_2_2() -> None:
    tier = load_law("kz-1999-majilis").list_tier
    assert tier is not None
    result = allocate_list_tier(tier, _kz_votes(), took_part=_kz_figure("voters_took_part"))
    with (KZ / "published_seats.csv").open() as handle:
        published = {r["party_id"]: int(r["list_seats"]) for r in csv.DictReader(handle)}
    assert result.seats == {party: published[party] for party in result.seats}
    assert {p: s for p, s in result.seats.items() if s} == {
        "otan": 4,
        "communist": 2,
        "agrarian": 2,
        "civic": 2,
    }


def test_kz_1999_trace_matches_the_worked_check() -> None:
    tier = load_law("kz-1999-majilis").list_tier
    assert tier is not None
    result = allocate_list_tier(tier, _kz_votes(), took_part=5_253_864)
    assert result.threshold is not None
    assert result.threshold.bar("party") == Fraction(36777048, 100)
    qualified = {q.party_id for q in result.qualification if q.qualified}
    assert qualified == {"otan", "communist", "agrarian", "civic"}
    assert result.quota is not None
    assert result.quota.quota == Fraction(3_808_979, 10)
    assert result.quota.whole_seats == 8
    by_remainder = [a.party_id for a in result.awards if a.reason == "remainder"]
    assert by_remainder == ["agrarian", "civic"]
    assert "Hare quota V / S" in result.explanation
    assert "agrarian - remainder 282,453.1" in result.explanation


def test_kz_1999_dhondt_would_differ() -> None:
    """The 1999 worked check: D'Hondt gives 5/2/2/1, which is not the official result."""
    tier = load_law("kz-1999-majilis").list_tier
    assert tier is not None
    result = allocate(_kz_votes(), 10, "dhondt", tier.threshold, took_part=5_253_864)
    assert [result.seats[p] for p in ("otan", "communist", "agrarian", "civic")] == [5, 2, 2, 1]


def test_kz_1999_against_all_and_invalid_only_raise_the_base() -> None:
    """Threshold base: the list votes plus against all plus invalid, and the published total."""
    parts = sum(_kz_votes().values()) + _kz_figure("against_all_list") + _kz_figure("invalid_list")
    assert _kz_figure("voters_took_part") - parts == 9  # the published gap, carried not hidden


def _spb_zaks_list() -> tuple[dict[str, int], int]:
    votes: Counter[str] = Counter()
    stations: dict[str, int] = {}
    with gzip.open(shipped() / "spb2021_zaks_list_by_uik.csv.gz", "rt") as handle:
        for row in csv.DictReader(handle):
            votes[row["party_id"]] += int(row["votes"])
            stations[row["uik"]] = int(row["valid"]) + int(row["invalid"])
    return dict(votes), sum(stations.values())


def test_spb_2021_zaks_list_tier_gives_united_russia_11_of_25() -> None:
    tier = load_law("spb-2021-zaks").list_tier
    assert tier is not None
    votes, ballots_found = _spb_zaks_list()
    result = allocate_list_tier(tier, votes, ballots_found=ballots_found)
    united_russia = "5"
    assert result.seats[united_russia] == 11
    assert sum(result.seats.values()) == 25
    qualified = {q.party_id for q in result.qualification if q.qualified}
    assert qualified == {"1", "3", "4", "5", "6", "7"}
    assert result.divisor is not None
    assert result.divisor.divisors[:3] == ("2", "3", "4")
