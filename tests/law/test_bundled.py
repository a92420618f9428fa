"""The bundled laws state the rules of their sources (for 1999: docs/kz-1999-law.md)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.law import load_law


def test_kz_1999_majilis_list_tier() -> None:
    law = load_law("kz-1999-majilis")
    assert (law.seats_total, law.majority) == (77, 39)
    tier = law.list_tier
    assert tier is not None and tier.threshold is not None
    assert tier.seats == 10
    assert tier.method == "hare"
    assert tier.threshold.share == Fraction(7, 100)
    assert tier.threshold.base == "took_part"
    assert tier.threshold.inclusive
    assert tier.tie_breaks == ("registration_order",)
    assert tier.too_few_qualify.minimum_lists == 2
    assert tier.too_few_qualify.rule == "not_specified"


def test_kz_1999_majilis_district_tier() -> None:
    tier = load_law("kz-1999-majilis").district_tier
    assert tier is not None and tier.runoff is not None
    assert tier.seats == 67
    assert tier.rounds == 2
    assert (tier.win, tier.majority_base) == ("absolute_majority", "took_part")
    assert tier.min_turnout is None
    assert tier.runoff.candidates == 2
    assert tier.runoff.place_tie == ("lot",)
    assert tier.runoff.tie == "undecided"
    assert tier.runoff.withdrawal == "next_moves_up"
    assert tier.new_voting.original_candidates_barred


def test_kz_1999_senate() -> None:
    law = load_law("kz-1999-senate")
    tier = law.indirect_tier
    assert tier is not None
    assert (law.seats_total, law.appointed_seats) == (39, 7)
    assert (tier.seats_elected, tier.seats_contested, tier.seats_per_territory) == (32, 16, 2)
    assert tier.quorum == Fraction(1, 2) and not tier.quorum_inclusive
    assert tier.win_share == Fraction(1, 2) and not tier.win_inclusive
    assert tier.second_round_min_share is None


@pytest.mark.parametrize("name", ["ru-2016-duma", "ru-2021-duma"])
def test_other_countries_use_the_same_format(name: str) -> None:
    duma = load_law(name)
    assert duma.list_tier is not None and duma.district_tier is not None
    assert (duma.list_tier.seats, duma.list_tier.method) == (225, "hare")
    assert duma.list_tier.threshold is not None
    assert duma.list_tier.threshold.share == Fraction(5, 100)
    assert duma.list_tier.threshold.base == "ballots_found"
    assert duma.list_tier.share_base == "ballots_found"
    assert (duma.district_tier.seats, duma.district_tier.rounds) == (225, 1)
    zaks = load_law("spb-2021-zaks")
    assert zaks.list_tier is not None and zaks.district_tier is not None
    assert (zaks.list_tier.seats, zaks.list_tier.method) == (25, "imperiali")
    assert (zaks.district_tier.seats, zaks.district_tier.win) == (25, "plurality")
