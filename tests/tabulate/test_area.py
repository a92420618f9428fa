"""The registry's side of a tabulation (saylau.tabulate.area), made before the protocols'
stations are looked up: given to `tabulate`, it gives the same totals, and it refuses a
registry the way `tabulate` does."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import InputError
from saylau.tabulate import tabulate
from saylau.tabulate.area import area_of
from tests.tabulate.tables import protocol_table, registry
from tests.tabulate.test_batch import ACCEPTED, ENTRIES, PROTOCOLS, STATIONS


def test_a_tabulation_given_its_area_gives_the_same_totals() -> None:
    table = protocol_table(PROTOCOLS, ENTRIES, off_form=["ballots_lost"])
    expected = ["s1", "s2", "s3", "s4", "s5", "s6"]
    made = [
        tabulate(table, ACCEPTED, STATIONS, contest_id="list", round=1, expected=expected, area=a)
        for a in (None, area_of(STATIONS, expected))
    ]
    assert made[0] == made[1]


@given(st.lists(st.sampled_from(["s1", "s2", "s3", "s4", "s5", "s6"]), min_size=1, unique=True))
def test_any_expectation_gives_the_same_totals_with_its_area(expected: list[str]) -> None:
    """Each expected station's protocol is accepted (s3 has none: it is missing)."""
    ids = pa.array(expected, pa.string())
    rows = [p for p in PROTOCOLS if p.station_id in expected]
    if not rows:
        return
    table = protocol_table(rows, ENTRIES, off_form=["ballots_lost"])
    accepted = pa.array([True] * len(rows))
    alone = tabulate(table, accepted, STATIONS, contest_id="list", round=1, expected=ids)
    given_area = tabulate(
        table, accepted, STATIONS, contest_id="list", round=1, expected=ids,
        area=area_of(STATIONS, ids),
    )  # fmt: skip
    assert given_area == alone


def test_the_area_refuses_a_registry_as_the_tabulation_does() -> None:
    split = registry([("s1", "d1", "t1"), ("s2", "d1", "t2")])
    with pytest.raises(InputError, match="district d1 lies in territories t1 and t2"):
        area_of(split, ["s1", "s2"])
    with pytest.raises(InputError, match="expected station s9 is not in the registry"):
        area_of(STATIONS, ["s1", "s9"])
    with pytest.raises(InputError, match="the registry of stations has no column territory_id"):
        area_of(STATIONS.drop_columns(["territory_id"]), ["s1"])
