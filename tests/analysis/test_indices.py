"""The indices, against values worked by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau import run
from saylau.analysis.indices import (
    chamber_indices,
    effective_number,
    gallagher_squared,
    indices,
    list_tier_indices,
    loosemore_hanby,
    root,
)


def test_a_small_case_worked_by_hand() -> None:
    """Votes 50/30/20 %, seats 6/3/1 of 10: gaps -10, 0, +10 points. Gallagher
    √(½ (100 + 0 + 100)) = 10; Loosemore-Hanby ½ (10 + 0 + 10) = 10; effective parties
    1 / (0.25 + 0.09 + 0.04) = 50/19 by votes and 1 / (0.36 + 0.09 + 0.01) = 50/23 by seats."""
    found = indices({"a": 500, "b": 300, "c": 200}, {"a": 6, "b": 3, "c": 1})
    assert found.gallagher_squared == 100 and found.gallagher == "10.00"
    assert found.loosemore_hanby == 10
    assert found.effective_parties_votes == Fraction(50, 19)
    assert found.effective_parties_seats == Fraction(50, 23)


def test_a_party_with_seats_and_no_votes_counts_on_both_sides() -> None:
    # votes 100 % for a; seats 1 for a, 1 for b: gaps +50 and -50
    assert gallagher_squared({"a": 10}, {"a": 1, "b": 1}) == 2500
    assert loosemore_hanby({"a": 10}, {"a": 1, "b": 1}) == 50


@pytest.mark.parametrize(
    ("square", "places", "shown"),
    [
        (Fraction(2), 2, "1.41"),
        (Fraction(2), 4, "1.4142"),
        (Fraction(1, 4), 2, "0.50"),
        (Fraction(0), 2, "0.00"),
        (Fraction(100), 0, "10"),
        # √0.000025 = 0.005 exactly: half up
        (Fraction(25, 1_000_000), 2, "0.01"),
        (Fraction(24, 1_000_000), 2, "0.00"),
    ],
)
def test_the_root_is_rounded_once_half_up(square: Fraction, places: int, shown: str) -> None:
    assert root(square, places) == shown


def test_nothing_counted_has_no_effective_number() -> None:
    assert effective_number({"a": 0}) is None


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 10_000), min_size=1))
def test_identical_shares_are_perfectly_proportional(counts: dict[str, int]) -> None:
    if not sum(counts.values()):
        return
    doubled = {party: 2 * n for party, n in counts.items()}
    assert gallagher_squared(counts, doubled) == 0 == loosemore_hanby(counts, doubled)
    number = effective_number(counts)
    assert number is not None and 1 <= number <= len([n for n in counts.values() if n])


def test_the_1999_list_tier_worked_by_hand() -> None:
    """Votes for the 9 lists (Nohlen et al. p. 420) against the 4/2/2/2 list seats; the
    shares of the list votes (4,518,881) and of the 10 seats, in points: Otan 35.914 − 40,
    Communists 20.637 − 20, Agrarians 14.680 − 20, Civic 13.060 − 20, and five lists below
    the threshold with none (5.314, 3.292, 3.208, 2.287, 1.609). Loosemore-Hanby: ½ (4.086 +
    0.637 + 5.320 + 6.940 + 15.709) = 16.35. Gallagher: ½ (16.70 + 0.41 + 28.30 + 48.16 +
    28.24 + 10.84 + 10.29 + 5.23 + 2.59) = 75.38, √ = 8.68. Wasted: the five lists below 7%,
    4,518,881 − 3,808,979 = 709,902 of the 5,253,864 who took part; against all 373,440."""
    result = run("kz-1999")
    majilis = result.chamber("majilis")
    (decision,) = [d for s in result.stages for d in s.lists]
    found = list_tier_indices(majilis, decision)
    votes = {"otan": 1_622_895, "communist": 932_549, "agrarian": 663_351, "civic": 590_184}
    total = 4_518_881
    gaps = [
        Fraction(100 * v, total) - 10 * s for v, s in zip(votes.values(), (4, 2, 2, 2), strict=True)
    ]
    rest = Fraction(100 * (total - sum(votes.values())), total)
    assert found.loosemore_hanby == (sum(abs(g) for g in gaps) + rest) / 2
    assert found.wasted_below_threshold == Fraction(709_902, 5_253_864)
    assert found.wasted_against_all == Fraction(373_440, 5_253_864)
    assert round(found.loosemore_hanby, 2) == Fraction("16.35")
    assert found.gallagher == "8.68"
    assert chamber_indices(majilis).effective_parties_seats is not None


def test_the_published_worked_example_of_the_gallagher_calculator() -> None:
    """calculator.academy, "Gallagher Index Calculator" (example calculation): votes 42 /
    31 / 17 / 10 %, seats 48 / 28 / 18 / 6 %; differences -6, 3, -1, 4; squares 36 + 9 + 1
    + 16 = 62; Gallagher √(62 / 2) = √31 = 5.57, as published. By hand from the same
    figures: Loosemore-Hanby ½ (6 + 3 + 1 + 4) = 7; effective parties by votes 1 / (0.1764
    + 0.0961 + 0.0289 + 0.0100) = 1 / 0.3114 = 3.21, by seats 1 / (0.2304 + 0.0784 + 0.0324
    + 0.0036) = 1 / 0.3448 = 2.90."""
    found = indices({"a": 42, "b": 31, "c": 17, "d": 10}, {"a": 48, "b": 28, "c": 18, "d": 6})
    assert found.gallagher_squared == 31 and found.gallagher == "5.57"
    assert found.loosemore_hanby == 7
    assert found.effective_parties_votes == Fraction(10_000, 3_114)
    assert found.effective_parties_seats == Fraction(10_000, 3_448)
    assert round(found.effective_parties_votes, 2) == Fraction("3.21")
    assert round(found.effective_parties_seats, 2) == Fraction("2.90")


NZ_2005_VOTES = {
    "labour": 4110,
    "national": 3910,
    "nz_first": 572,
    "greens": 530,
    "maori": 212,
    "united_future": 267,
    "act": 151,
    "progressive": 116,
    "destiny": 62,
    "cannabis": 25,
    "christian_heritage": 12,
    "alliance": 7,
    "family_rights": 5,
    "democrats": 5,
    "libertarianz": 4,
    "direct_democracy": 3,
    "99mp": 3,
    "onenz": 2,
    "republicans": 2,
}
"""New Zealand 2005, party vote, in hundredths of a percent as the table gives them."""
NZ_2005_SEATS = {
    "labour": 50,
    "national": 48,
    "nz_first": 7,
    "greens": 6,
    "maori": 4,
    "united_future": 3,
    "act": 2,
    "progressive": 1,
}


def test_the_new_zealand_2005_example_of_the_gallagher_index_article() -> None:
    """English Wikipedia, "Gallagher index", its example table: New Zealand 2005, party
    vote % and seat % of 121 seats (Labour 50, National 48, NZ First 7, Greens 6, Māori 4,
    United Future 3, ACT 2, Progressive 1); sum of squared differences 2.4711, half 1.23555,
    index 1.11. That sum is of rounded figures: the vote percentages add up to 99.98, two
    seat percentages are cut, not rounded (4/121 = 3.306 % is shown 3.30, 1/121 = 0.826 %
    is shown 0.82), and one difference is miscopied (Direct Democracy, 0.03 % of the vote
    and no seat, is squared as 0.04²).

    By hand from the seat counts and the vote percentages given, renormalized to 100:
    vote % - seat %: Labour 41.108 - 41.322 = -0.214 (squared 0.0458), National 39.108 -
    39.669 = -0.562 (0.3154), NZ First 5.721 - 5.785 = -0.064 (0.0041), Greens 5.301 - 4.959
    = 0.342 (0.1172), Māori 2.120 - 3.306 = -1.185 (1.4051), United Future 2.671 - 2.479 =
    0.191 (0.0366), ACT 1.510 - 1.653 = -0.143 (0.0203), Progressive 1.160 - 0.826 = 0.334
    (0.1114), and the eleven lists without a seat, 1.300 % in all (squares 0.4756). Sum
    2.5315, half 1.2658, Gallagher √ = 1.13: the article's 1.11 less its rounding. Loosemore-
    Hanby ½ (0.214 + 0.562 + 0.064 + 0.342 + 1.185 + 0.191 + 0.143 + 0.334 + 1.300) =
    2.17."""
    found = indices(NZ_2005_VOTES, NZ_2005_SEATS)
    assert round(2 * found.gallagher_squared, 4) == Fraction("2.5315")
    assert found.gallagher == "1.13"
    assert round(found.loosemore_hanby, 2) == Fraction("2.17")
