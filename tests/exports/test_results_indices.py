"""The indices in the results: the JSON and the printed table of 1999, against hand values.

The list tier (Nohlen et al. p. 420; worked in tests/analysis/test_indices.py): 9 lists,
4,518,881 list votes; seats 4/2/2/2 of 10. Effective number by seats 1 / (0.4² + 3 × 0.2²)
= 1 / 0.28 = 25/7; Gallagher 8.68; Loosemore-Hanby 16.35; wasted 709,902 of the 5,253,864
who took part (13.51%) below the threshold, 373,440 (7.11%) against all. The whole Majilis:
seats 23, 3, 3, 13, 11, 1 and 23 independents of 77; Σ seats² = 529 + 9 + 9 + 169 + 121 + 1
+ 529 = 1,367, so the effective number by seats is 77² / 1,367 = 5,929/1,367 = 4.34.
"""

from __future__ import annotations

from fractions import Fraction

from typer.testing import CliRunner

from saylau import run
from saylau.cli import app
from saylau.exports.results_json import result_to_dict


def test_the_json_holds_the_indices_worked_by_hand() -> None:
    found = result_to_dict(run("kz-1999"), stages=False)["majilis"]["indices"]
    tier, whole = found["list_tier"], found["chamber"]
    assert Fraction(tier["effective_parties_seats"]) == Fraction(25, 7)
    assert tier["effective_parties_seats_shown"] == "3.57"
    assert tier["gallagher"] == "8.68" and tier["loosemore_hanby_shown"] == "16.35"
    assert Fraction(tier["wasted_below_threshold"]) == Fraction(709_902, 5_253_864)
    assert Fraction(tier["wasted_against_all"]) == Fraction(373_440, 5_253_864)
    assert (tier["wasted_below_threshold_percent"], tier["wasted_against_all_percent"]) == (
        "13.51",
        "7.11",
    )
    assert Fraction(whole["effective_parties_seats"]) == Fraction(5_929, 1_367)
    assert whole["effective_parties_seats_shown"] == "4.34"


def test_the_printed_table_closes_with_the_indices() -> None:
    printed = CliRunner().invoke(app, ["run", "kz-1999"]).stdout.replace("\n", " ")
    assert "Gallagher 8.68; Loosemore-Hanby 16.35" in printed
    assert "13.51% below the threshold and 7.11% against all" in printed


def test_no_against_all_line_no_against_all_share() -> None:
    printed = CliRunner().invoke(app, ["run", "spb-2021"]).stdout.replace("\n", " ")
    assert "below the threshold, of the ballots found in the boxes" in printed
