"""Open lists (saylau.rules.preferences) against a plain reference, and the law's setting."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import InputError, LawError
from saylau.law import parse_law
from saylau.law.schema import Preferences
from saylau.rules.preferences import Candidate, ordered, rule_label


def reference(
    ranks: list[int], rule: str, quota: Fraction, inclusive: bool, prefs: dict[int, int], votes: int
) -> list[tuple[int, str]]:
    """The rule as the law words it, written plainly: (rank, reason) in seat order."""
    ranks = sorted(ranks)
    if rule == "none":
        return [(r, "list_rank") for r in ranks]
    got = {r: prefs.get(r, 0) for r in ranks}
    if rule == "reorder":
        out: list[tuple[int, str]] = []
        remaining = list(ranks)
        while remaining:  # take the most preferences each time; the higher on the list first
            best = remaining[0]
            for r in remaining:
                if got[r] > got[best]:
                    best = r
            out.append((best, "preferences"))
            remaining.remove(best)
        return out
    over = []
    for r in ranks:
        if votes == 0:
            continue
        share = Fraction(got[r], votes)
        if share > quota or (inclusive and share == quota):
            over.append(r)
    top = reference(over, "reorder", quota, inclusive, prefs, votes)
    return top + [(r, "list_rank") for r in ranks if r not in over]


lists = st.integers(min_value=0, max_value=12).map(lambda n: list(range(1, n + 1)))


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[int], dict[int, int], int]:
    ranks = draw(lists)
    prefs = {r: draw(st.integers(0, 50)) for r in ranks if draw(st.booleans())}
    votes = draw(st.integers(0, 400))
    return ranks, prefs, votes


def _law(rule: str, quota: Fraction, inclusive: bool) -> Preferences | None:
    if rule == "quota":
        return Preferences(rule="quota", quota=quota, inclusive=inclusive)
    return Preferences(rule=rule) if rule != "none" else None


@given(
    cases(),
    st.sampled_from(["none", "reorder", "quota"]),
    st.fractions(min_value=0, max_value=1, max_denominator=40),
    st.booleans(),
)
def test_the_order_is_the_reference_order(
    case: tuple[list[int], dict[int, int], int], rule: str, quota: Fraction, inclusive: bool
) -> None:
    ranks, prefs, votes = case
    people = [Candidate(r, f"c{r}") for r in reversed(ranks)]  # any order in, list order out
    placed = ordered(people, _law(rule, quota, inclusive), prefs, votes)
    assert [(p.rank, p.reason) for p in placed] == reference(
        ranks, rule, quota, inclusive, prefs, votes
    )
    assert sorted(p.rank for p in placed) == ranks  # everyone once
    assert all(p.name == f"c{p.rank}" for p in placed)


@given(cases())
def test_closed_lists_keep_list_order_whatever_the_preferences(
    case: tuple[list[int], dict[int, int], int],
) -> None:
    ranks, prefs, votes = case
    people = [Candidate(r, f"c{r}") for r in ranks]
    for rule in (None, Preferences(rule="none")):
        placed = ordered(people, rule, prefs, votes)
        assert [p.rank for p in placed] == ranks
        assert {p.why() for p in placed} == {f"list rank {r}" for r in ranks}


@given(cases())
def test_a_quota_of_nothing_is_a_plain_reordering_and_a_whole_list_quota_keeps_order(
    case: tuple[list[int], dict[int, int], int],
) -> None:
    ranks, prefs, votes = case
    people = [Candidate(r, f"c{r}") for r in ranks]
    reorder = ordered(people, Preferences(rule="reorder"), prefs, votes)
    nothing = ordered(people, Preferences(rule="quota", quota=0), prefs, votes)
    if votes:
        assert [p.rank for p in nothing] == [p.rank for p in reorder]
    everything = ordered(people, Preferences(rule="quota", quota=1, inclusive=False), prefs, votes)
    capped = all(prefs.get(r, 0) <= votes for r in ranks)
    if capped:
        assert [p.rank for p in everything] == ranks


def test_why_names_the_list_rank_or_the_preference_votes() -> None:
    people = [Candidate(1, "Ann"), Candidate(2, "Bo"), Candidate(3, "Cy")]
    rule = Preferences(rule="quota", quota=Fraction(7, 100))
    placed = ordered(people, rule, {3: 1_204, 2: 10}, 10_000)
    assert [(p.name, p.why()) for p in placed] == [
        ("Cy", "1,204 preference votes"),
        ("Ann", "list rank 1"),
        ("Bo", "list rank 2"),
    ]
    assert "at least 7% of their list's votes" in rule_label(rule)


def test_equal_preference_votes_say_the_list_rank_decided() -> None:
    people = [Candidate(1, "Ann"), Candidate(2, "Bo"), Candidate(3, "Cy"), Candidate(4, "Di")]
    placed = ordered(people, Preferences(rule="reorder"), {2: 7, 4: 7, 3: 9}, 100)
    assert [(p.name, p.why()) for p in placed] == [
        ("Cy", "9 preference votes"),
        ("Bo", "7 preference votes, then list rank 2"),
        ("Di", "7 preference votes, then list rank 4"),
        ("Ann", "0 preference votes"),
    ]


def test_exactly_the_quota_moves_up_only_when_inclusive() -> None:
    people = [Candidate(1, "Ann"), Candidate(2, "Bo")]
    at = {2: 70}
    inclusive = Preferences(rule="quota", quota="7%")
    strict = Preferences(rule="quota", quota="7%", inclusive=False)
    assert [p.name for p in ordered(people, inclusive, at, 1_000)] == ["Bo", "Ann"]
    assert [p.name for p in ordered(people, strict, at, 1_000)] == ["Ann", "Bo"]


def test_preferences_for_a_rank_the_list_lacks_are_refused() -> None:
    with pytest.raises(InputError, match="rank"):
        ordered([Candidate(1, "Ann")], Preferences(rule="reorder"), {2: 5}, 10)


LAW = """
id = "open"
name = "Open"
country = "XX"
chamber = "House"
year = 2030
seats_total = 4
majority = 3
[protocol]
relations = []
[list_tier]
seats = 4
method = "hare"
[list_tier.preferences]
{settings}
"""


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('rule = "quota"', "needs a quota"),
        ('rule = "reorder"\nquota = "5%"', "quota only applies with rule = 'quota'"),
        ('rule = "none"\ninclusive = false', "inclusive only applies with rule = 'quota'"),
        ('rule = "open"', "rule"),
        ('rule = "quota"\nquota = 0.05', "float"),
    ],
)
def test_the_setting_is_refused_where_part_of_it_would_be_ignored(
    settings: str, message: str
) -> None:
    with pytest.raises(LawError, match=message):
        parse_law(LAW.format(settings=settings))


def test_the_setting_reads_exactly() -> None:
    law = parse_law(LAW.format(settings='rule = "quota"\nquota = "7%"\ninclusive = false'))
    assert law.list_tier is not None and law.list_tier.preferences is not None
    assert law.list_tier.preferences.quota == Fraction(7, 100)
    assert parse_law(LAW.format(settings='rule = "reorder"')).list_tier is not None
