"""Counterfactual replay: the 1999 list tier under other laws, checked by hand."""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import pytest

from saylau.analysis.compare import Comparison, Replay, compare
from saylau.analysis.settings import (
    Setting,
    parse_district_rules,
    parse_methods,
    parse_threshold,
    with_setting,
)
from saylau.errors import InputError
from saylau.law.loader import load_law
from saylau.pipeline.run import compare_laws, decide, load_inputs, own_laws

LISTS = ("otan", "communist", "agrarian", "civic", "azamat")


@cache
def grid_1999() -> Comparison:
    return compare_laws(
        "kz-1999", methods=["hare", "dhondt", "sainte-lague"], thresholds=[0, 3, 5, 7]
    )


def row(comparison: Comparison, method: str, percent: int) -> Replay:
    (found,) = [
        r for r in comparison.rows if r.method == method and r.threshold == Fraction(percent, 100)
    ]
    return found


def seats(found: Replay) -> tuple[int, ...]:
    return tuple(found.list_seats[party] for party in LISTS)


def test_the_1999_list_tier_under_other_laws_worked_by_hand() -> None:
    """The published list votes (Nohlen et al. p. 420): Otan 1,622,895, Communists 932,549,
    Agrarians 663,351, Civic 590,184, Azamat 240,132, Congress 148,776, Alash 144,945,
    Revival 103,328, Labour 72,721; 5,253,864 took part (the threshold's base).

    Shares of those who took part: Azamat 240,132 / 5,253,864 = 4.5706%, Civic 11.233%,
    Congress 2.832%, Alash 2.759%, Revival 1.967%, Labour 1.384%. So 7% and 5% admit the same
    four lists (Azamat, at 4.57%, is below 5%: 5% of 5,253,864 is 262,693.2 > 240,132),
    3% admits Azamat as a fifth, and 0% admits all nine.

    Hare, 7% (the law as held): quota 3,808,979 / 10 = 380,897.9; quotients 4.261, 2.448,
    1.742, 1.549: 8 whole seats (4/2/1/1), the remainders .742 (Agrarians) and .549 (Civic)
    take the last two: 4/2/2/2, the official result. 5%: the same lists, the same 4/2/2/2.
    Hare, 3%: quota 4,049,111 / 10 = 404,911.1; quotients 4.008, 2.303, 1.638, 1.458, 0.593:
    8 whole seats (4/2/1/1/0), remainders .638 (Agrarians) and .593 (Azamat) beat .458
    (Civic) and .303: 4/2/2/1/1. Hare, 0%: quota 4,518,881 / 10 = 451,888.1; quotients
    Otan 3.591, Communists 2.064, Agrarians 1.468, Civic 1.306, Azamat 0.531, Congress 0.329,
    Alash 0.321, Revival 0.229, Labour 0.161: 7 whole seats (3/2/1/1), remainders .591
    (Otan), .531 (Azamat), .468 (Agrarians) take three: 4/2/2/1/1.

    D'Hondt, 7%: quotients v/1, v/2, ...: 1,622,895 O, 932,549 C, 811,447.5 O, 663,351 A,
    590,184 Ci, 540,965 O, 466,274.5 C, 405,723.8 O, 331,675.5 A, 324,579 O are the ten
    largest (next 310,849.7 C, 295,092 Ci): 5/2/2/1 (docs/kz-1999-law.md). At 3% and 0%
    Azamat's 240,132 is below the tenth, 324,579: still 5/2/2/1/0.

    Sainte-Laguë, 7%: divisors 1, 3, 5, 7: 1,622,895 O, 932,549 C, 663,351 A, 590,184 Ci,
    540,965 O, 324,579 O, 310,849.7 C, 231,842.1 O, 221,117 A, 196,728 Ci (next 186,509.8 C,
    180,321.7 O): 4/2/2/2. At 3%: Azamat's 240,132 enters above 231,842.1 and pushes out the
    tenth, Civic's 196,728: 4/2/2/1/1."""
    grid = grid_1999()
    assert seats(row(grid, "hare", 7)) == (4, 2, 2, 2, 0)
    assert seats(row(grid, "hare", 5)) == (4, 2, 2, 2, 0)
    assert seats(row(grid, "hare", 3)) == (4, 2, 2, 1, 1)
    assert seats(row(grid, "hare", 0)) == (4, 2, 2, 1, 1)
    assert seats(row(grid, "dhondt", 7)) == (5, 2, 2, 1, 0)
    assert seats(row(grid, "dhondt", 3)) == (5, 2, 2, 1, 0)
    assert seats(row(grid, "dhondt", 0)) == (5, 2, 2, 1, 0)
    assert seats(row(grid, "sainte-lague", 7)) == (4, 2, 2, 2, 0)
    assert seats(row(grid, "sainte-lague", 3)) == (4, 2, 2, 1, 1)
    azamat = row(grid, "hare", 5).decision
    assert azamat is not None
    (test,) = [q for q in azamat.allocation.qualification if q.party_id == "azamat"]
    assert not test.qualified and test.share_of_base == Fraction(240_132, 5_253_864)


def test_the_real_row_is_the_run_as_held_and_there_is_exactly_one() -> None:
    grid = grid_1999()
    assert [r.real for r in grid.rows].count(True) == 1
    real = grid.real
    assert (real.method, real.threshold, real.district_rule) == (
        "hare",
        Fraction(7, 100),
        "absolute_majority",
    )
    inputs, root = load_inputs("kz-1999")
    held = decide(inputs, root).chamber("majilis")
    assert real.total_seats == {p.party_id: p.total_seats for p in held.parties}
    assert real.chamber == held
    assert real.shifts == () and real.counterfactual == ()


def test_each_step_names_the_seats_it_moved() -> None:
    grid = grid_1999()
    (method,) = row(grid, "dhondt", 7).shifts
    assert (method.setting, method.before, method.after) == ("method", "hare", "dhondt")
    assert method.total_seats == {"civic": -1, "otan": 1}
    first, second = row(grid, "sainte-lague", 3).shifts
    assert (first.setting, first.total_seats) == ("method", {})
    assert (second.setting, second.before, second.after) == ("threshold", "7%", "3%")
    assert second.total_seats == {"azamat": 1, "civic": -1}
    other = row(grid, "dhondt", 0)
    assert other.counterfactual and "not kz-1999-majilis" in other.counterfactual[0]


def test_the_1999_indices_of_each_row() -> None:
    """D'Hondt 7%: seats 50/20/20/10 % against votes 35.914/20.637/14.680/13.060 % of the
    list votes, and 15.709 % for the five lists below the threshold, with none:
    Loosemore-Hanby ½ (14.086 + 0.637 + 5.320 + 3.060 + 15.709) = 19.41. The wasted votes
    are those of the same five lists, 709,902 of the 5,253,864 who took part; with no
    threshold none are wasted."""
    grid = grid_1999()
    votes = {"otan": 1_622_895, "communist": 932_549, "agrarian": 663_351, "civic": 590_184}
    total = 4_518_881
    found = row(grid, "dhondt", 7).list_indices
    assert found is not None
    gaps = [
        Fraction(100 * v, total) - 10 * s for v, s in zip(votes.values(), (5, 2, 2, 1), strict=True)
    ]
    rest = Fraction(100 * (total - sum(votes.values())), total)
    assert found.loosemore_hanby == (sum(abs(g) for g in gaps) + rest) / 2
    assert round(found.loosemore_hanby, 2) == Fraction("19.41")
    assert found.wasted_below_threshold == Fraction(709_902, 5_253_864)
    none = row(grid, "hare", 0).list_indices
    assert none is not None and none.wasted_below_threshold == 0


def test_a_district_rule_replays_the_district_decisions() -> None:
    """St Petersburg 2021 held one round. Under an absolute majority of the valid ballots,
    every district whose leader has no more than half of them needs a second round the
    election never held: its seat stays vacant. Counted directly from the district counts."""
    inputs, root = load_inputs("spb-2021")
    own, refs = own_laws(inputs, root)
    result = compare(inputs, own, refs, district_rules=["plurality", "absolute_majority"])
    plurality, majority = result.rows
    assert plurality.real and not majority.real
    assert plurality.chamber is not None and majority.chamber is not None
    held = decide(inputs, root)
    counts = [d.count for s in held.stages if s.stage == "round1" for d in s.decisions if d.count]
    short = sum(2 * max(c.votes.values()) <= c.counted_valid for c in counts)
    assert short > 0
    assert majority.chamber.seats_vacant == short
    (step,) = majority.shifts
    assert step.setting == "district_rule" and len(step.contests) == short
    assert all(c.after == "vacant" for c in step.contests)


def test_plurality_on_1999_leaves_the_second_rounds_uncounted() -> None:
    inputs, root = load_inputs("kz-1999")
    own, refs = own_laws(inputs, root)
    result = compare(inputs, own, refs, district_rules=["plurality"])
    real, plurality = result.rows
    assert real.real and plurality.district_rule == "plurality"
    assert plurality.chamber is not None and plurality.chamber.runoffs == 0
    assert any("stand as recorded" in note for note in result.notes)
    (step,) = plurality.shifts
    assert step.contests and sum(step.total_seats.values()) == 0


def test_a_law_that_cannot_decide_gives_a_row_that_says_why() -> None:
    result = compare_laws("kz-1999", thresholds=[20])
    real, high = result.rows
    assert real.real and high.chamber is None and high.error is not None
    assert "only 1 list(s) reached the threshold" in high.error


def test_the_settings_make_laws_and_keep_the_rest() -> None:
    law = load_law("kz-1999-majilis")
    assert with_setting(law, Setting("hare", Fraction(7, 100), "absolute_majority")) is law
    replayed = with_setting(law, Setting("dhondt", Fraction(0), "plurality"))
    assert replayed.id == "kz-1999-majilis-replay-dhondt-t0-plurality"
    assert replayed.list_tier is not None and replayed.list_tier.threshold is None
    assert replayed.district_tier is not None and replayed.district_tier.runoff is None
    assert replayed.list_tier.tie_breaks == law.list_tier.tie_breaks  # type: ignore[union-attr]
    spb = load_law("spb-2021-zaks")
    majority = with_setting(spb, Setting(district_rule="absolute_majority"))
    assert majority.district_tier is not None and majority.district_tier.runoff is not None
    assert majority.district_tier.majority_base == "valid"


@pytest.mark.parametrize(
    ("text", "share"),
    [("7", Fraction(7, 100)), ("7.5", Fraction(3, 40)), ("7%", Fraction(7, 100)), ("0", 0)],
)
def test_thresholds_are_read_exactly(text: str, share: Fraction) -> None:
    assert parse_threshold(text) == share


@pytest.mark.parametrize("text", ["x", "-1", "100", "1/0"])
def test_a_bad_threshold_names_the_option(text: str) -> None:
    with pytest.raises(InputError, match="--threshold"):
        parse_threshold(text)


def test_bad_names_and_settings_are_refused() -> None:
    with pytest.raises(InputError, match="--method 'hondt'"):
        parse_methods(["hondt"])
    with pytest.raises(InputError, match="--district-rule 'runoff'"):
        parse_district_rules(["runoff"])
    assert parse_district_rules(["absolute-majority"]) == ["absolute_majority"]
    with pytest.raises(InputError, match="has no district tier"):
        compare_laws("kz-1999", chamber="senate", district_rules=["plurality"])
    with pytest.raises(InputError, match="--chamber nowhere"):
        compare_laws("kz-1999", chamber="nowhere")
    with pytest.raises(InputError, match="a float is not exact"):
        compare_laws("kz-1999", thresholds=[7.5])  # type: ignore[list-item]
