"""Golden: the 2021 State Duma list tier, from the national published figures.

Votes, ballots found and issued: IFES ElectionGuide and IPU Parline; list seats: the CEC via
Interfax and Meduza, 21 Sep 2021 (data/ru-2021-duma/SOURCES.md). The bundled law
`ru-2021-duma` measures the 5% threshold and the percentages against the ballots found.
The national votes of six lists that won no seat could not be cited and are not here.
"""

from __future__ import annotations

import csv
from fractions import Fraction

import pytest

from saylau.law import load_law
from saylau.rules.apportion import allocate_list_tier
from saylau.rules.exact import fixed, percent_of
from tests.conftest import DATA

RU = DATA / "ru-2021-duma"
OFFICIAL_LIST_SEATS = {"5": 126, "1": 48, "3": 19, "6": 19, "4": 13}
"""United Russia, the Communists, LDPR, A Just Russia, New People (seats.csv)."""


def _rows(name: str) -> list[dict[str, str]]:
    with (RU / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _figure(name: str) -> int:
    return next(int(r["value"]) for r in _rows("national_totals.csv") if r["figure"] == name)


def _votes() -> dict[str, int]:
    return {r["party_id"]: int(r["votes"]) for r in _rows("list_votes.csv")}


def test_the_published_totals_add_up() -> None:
    found, valid, invalid = _figure("ballots_found"), _figure("valid"), _figure("invalid")
    assert (found, valid + invalid) == (56_329_690, 56_329_690)
    assert _figure("took_part") == 56_484_685
    assert percent_of(_figure("took_part"), _figure("registered")) == "51.72"
    seats = _rows("seats.csv")
    assert sum(int(r["list_seats"]) for r in seats) == 225
    assert sum(int(r["district_seats"]) for r in seats) == 225
    assert all(
        int(r["list_seats"]) + int(r["district_seats"]) == int(r["total_seats"]) for r in seats
    )
    assert {r["party_id"]: int(r["list_seats"]) for r in seats if int(r["list_seats"])} == (
        OFFICIAL_LIST_SEATS
    )


def test_the_known_lists_leave_a_documented_gap_to_the_valid_ballots() -> None:
    """Six lists' national votes could not be cited (SOURCES.md): the gap is kept, not filled."""
    assert _figure("valid") - sum(_votes().values()) == 4_152_622
    assert len(_votes()) == 8


def test_the_bundled_law_gives_the_official_list_seats() -> None:
    tier = load_law("ru-2021-duma").list_tier
    assert tier is not None and tier.threshold is not None
    assert (tier.threshold.base, tier.share_base) == ("ballots_found", "ballots_found")
    result = allocate_list_tier(tier, _votes(), ballots_found=_figure("ballots_found"))
    assert {party: seats for party, seats in result.seats.items() if seats} == OFFICIAL_LIST_SEATS
    assert result.threshold is not None
    assert result.threshold.bar("party") == Fraction(5_632_969, 2)  # 5% of 56,329,690
    assert {q.party_id for q in result.qualification if q.qualified} == set(OFFICIAL_LIST_SEATS)
    assert result.quota is not None
    assert result.quota.quota == Fraction(50_176_609, 225)
    by_remainder = {a.party_id for a in result.awards if a.reason == "remainder"}
    assert by_remainder == {"5", "1", "6"}


@pytest.mark.parametrize("row", _rows("list_votes.csv"), ids=lambda r: r["party_id"])
def test_every_published_percentage_is_of_the_ballots_found(row: dict[str, str]) -> None:
    votes = int(row["votes"])
    assert fixed(Fraction(100 * votes, _figure("ballots_found"))) == row["percent_published"]


def test_the_ballots_issued_would_not_give_the_published_percentages() -> None:
    votes, issued = _votes(), _figure("took_part")
    assert percent_of(votes["5"], issued) == "49.68"  # published: 49.82
    published = {r["party_id"]: r["percent_published"] for r in _rows("list_votes.csv")}
    differ = {p for p, v in votes.items() if percent_of(v, issued) != published[p]}
    assert differ == {"5", "1", "3", "6", "4"}
    assert percent_of(votes["5"], _figure("valid")) == "50.88"  # nor would the valid ballots
