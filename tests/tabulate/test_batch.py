"""Batch tabulation on a small election worked by hand, lines off the form, and bad input.

Territory t1 holds districts d1 (stations s1, s2, s3) and d2 (s4, s5); t2 holds d3 (s6).
s2 is rejected (its large figures must count nowhere) and s3 never reports.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from saylau.errors import InputError
from saylau.tabulate import ContestTotals, LineTotals, tabulate
from saylau.tabulate.totals import COUNTS
from tests.tabulate.tables import protocol, protocol_table, registry

ENTRIES = ("otan", "communist")
STATIONS = registry(
    [
        ("s1", "d1", "t1"),
        ("s2", "d1", "t1"),
        ("s3", "d1", "t1"),
        ("s4", "d2", "t1"),
        ("s5", "d2", "t1"),
        ("s6", "d3", "t2"),
    ]
)
PROTOCOLS = [
    protocol(
        "s1", (100, 100, 60, 40, 60, 2), {"otan": 40, "communist": 15}, outside=5, against_all=3
    ),
    protocol("s2", (900, 900, 900, 0, 900, 0), {"otan": 900}, outside=9, against_all=9),
    protocol("s4", (200, 210, 120, 90, 120, 4), {"otan": 70, "communist": 40}, against_all=6),
    protocol("s5", (50, 50, 30, 20, 30, 0), {"otan": 20, "communist": 10}, outside=1),
    protocol("s6", (80, 80, 50, 30, 50, 1), {"otan": 30, "communist": 19}),
]
ACCEPTED = pa.array([True, False, True, True, True])


def _tabulate(
    table: pa.Table, accepted: pa.Array | None = ACCEPTED, expected: list[str] | None = None
) -> ContestTotals:
    return tabulate(table, accepted, STATIONS, contest_id="list", round=1, expected=expected)


def _worked() -> ContestTotals:
    return _tabulate(protocol_table(PROTOCOLS, ENTRIES, off_form=["ballots_lost"]))


def test_districts_sum_their_accepted_stations() -> None:
    totals = _worked()
    assert totals.by_district["d1"] == LineTotals(
        registered=100, ballots_received=100, took_part=60, ballots_cancelled=40,
        ballots_found=60, invalid=2, took_part_outside=5, against_all=3,
        votes={"otan": 40, "communist": 15}, protocols=1, rejected=1, missing=1,
    )  # fmt: skip
    # s4 leaves took_part_outside out and s5 against_all: each counts as 0 beside the other.
    assert totals.by_district["d2"] == LineTotals(
        registered=250, ballots_received=260, took_part=150, ballots_cancelled=110,
        ballots_found=150, invalid=4, took_part_outside=1, against_all=6,
        votes={"otan": 90, "communist": 50}, protocols=2,
    )  # fmt: skip
    # Nobody in d3 records either optional line: both stay None, "not on the form".
    assert totals.by_district["d3"] == LineTotals(
        registered=80, ballots_received=80, took_part=50, ballots_cancelled=30,
        ballots_found=50, invalid=1, votes={"otan": 30, "communist": 19}, protocols=1,
    )  # fmt: skip


def test_territories_and_the_nation_sum_the_districts() -> None:
    totals = _worked()
    assert totals.by_territory["t1"] == LineTotals(
        registered=350, ballots_received=360, took_part=210, ballots_cancelled=150,
        ballots_found=210, invalid=6, took_part_outside=6, against_all=9,
        votes={"otan": 130, "communist": 65}, protocols=3, rejected=1, missing=1,
    )  # fmt: skip
    assert totals.by_territory["t2"] == totals.by_district["d3"]
    assert totals.nation == LineTotals(
        registered=430, ballots_received=440, took_part=260, ballots_cancelled=180,
        ballots_found=260, invalid=7, took_part_outside=6, against_all=9,
        votes={"otan": 160, "communist": 84}, protocols=4, rejected=1, missing=1,
    )  # fmt: skip
    assert totals.nation.counted_valid == 253 == totals.nation.ballots_found - totals.nation.invalid
    assert totals.nation.valid is None  # no protocol records a valid line
    assert totals.nation.ballots_lost is None
    assert totals.territory_of == {"d1": "t1", "d2": "t1", "d3": "t2"}
    assert list(totals.by_district) == ["d1", "d2", "d3"]
    assert (totals.contest_id, totals.round, totals.entries) == ("list", 1, ENTRIES)


def test_level_tables_hold_the_same_figures() -> None:
    totals = _worked()
    districts = totals.table("district")
    assert districts.column_names[:6] == ["district_id", "territory_id", *COUNTS]
    assert districts.column_names[-2:] == list(ENTRIES)
    assert districts.column("against_all").to_pylist() == [3, 6, None]
    assert districts.column("ballots_lost").null_count == 3
    assert districts.schema.field("otan").type == pa.int64()
    assert totals.table("territory").column("territory_id").to_pylist() == ["t1", "t2"]
    (nation,) = totals.table("nation").to_pylist()
    assert nation["registered"] == 430 and nation["missing"] == 1 and nation["communist"] == 84
    assert nation["ballots_lost"] is None


def test_a_district_with_no_row_is_missing_only_when_expected() -> None:
    table = protocol_table(PROTOCOLS[:4], ENTRIES)
    assert set(_tabulate(table, ACCEPTED[:4]).by_district) == {"d1", "d2"}
    expected = STATIONS.column("station_id").to_pylist()
    totals = _tabulate(table, ACCEPTED[:4], expected=expected)
    assert totals.by_district["d3"] == LineTotals.empty(ENTRIES, missing=1)
    assert totals.nation.missing == 2
    assert totals.by_territory["t2"].against_all is None


def test_an_explicit_expectation_narrows_the_contest() -> None:
    totals = _tabulate(protocol_table(PROTOCOLS[2:4], ENTRIES), None, expected=["s4", "s5"])
    assert list(totals.by_district) == ["d2"] and totals.nation.protocols == 2


def test_a_null_in_the_mask_is_not_accepted_and_none_accepts_all() -> None:
    table = protocol_table(PROTOCOLS, ENTRIES)
    masked = _tabulate(table, pa.array([True, None, True, True, True]))
    assert masked == _worked()
    everything = _tabulate(table, None)
    assert everything.nation.protocols == 5 and everything.nation.registered == 1330


def test_a_line_column_of_nulls_stays_none_but_partly_null_sums() -> None:
    table = protocol_table(PROTOCOLS, ENTRIES)
    assert table.column("ballots_lost").null_count == 5
    assert _tabulate(table).nation.ballots_lost is None
    lost = table.set_column(
        table.schema.get_field_index("ballots_lost"),
        "ballots_lost",
        pa.array([None, None, 2, None, None], pa.int64()),
    )
    totals = _tabulate(lost)
    assert totals.by_district["d2"].ballots_lost == 2
    assert totals.by_district["d1"].ballots_lost is None
    assert totals.nation.ballots_lost == 2


def test_null_votes_count_as_zero() -> None:
    table = protocol_table(PROTOCOLS, ENTRIES)
    index = table.schema.get_field_index("communist")
    table = table.set_column(index, "communist", pa.array([None, 1, 40, 10, 19], pa.int64()))
    assert _tabulate(table).nation.votes == {"otan": 160, "communist": 69}


def test_a_ballot_with_no_rows_gives_zero_and_none() -> None:
    table = protocol_table([], ENTRIES)
    totals = _tabulate(table, pa.array([], pa.bool_()), expected=["s6"])
    assert totals.nation == LineTotals.empty(ENTRIES, missing=1)
    assert _tabulate(table, None).by_district == {}


def test_rejected_rows_of_no_expected_station_are_unplaced() -> None:
    stray = protocol("s9", (1, 1, 1, 0, 1, 0), {})
    table = protocol_table([*PROTOCOLS, stray, PROTOCOLS[1]], ENTRIES)
    table = table.set_column(0, "station_id", pa.array(["s1", "s2", "s4", "s5", "s6", "s9", None]))
    totals = _tabulate(table, pa.array([True, False, True, True, True, False, False]))
    assert totals.unplaced == 2
    assert totals.nation.rejected == 1
    assert totals.by_district == _worked().by_district


def test_two_rejected_rows_of_one_station_are_two_rejections() -> None:
    table = protocol_table([*PROTOCOLS, PROTOCOLS[1]], ENTRIES)
    totals = _tabulate(table, pa.array([True, False, True, True, True, False]))
    assert totals.by_district["d1"].rejected == 2
    assert totals.by_district["d1"].missing == 1


@pytest.mark.parametrize(
    ("rows", "accepted", "expected", "message"),
    [
        ([0, 0], [True, True], None, "station s1 has two accepted rows"),
        ([0, 2], [True, True], ["s1"], "accepted row of station s4, which is not an expected"),
        ([0], [True], ["s1", "s7"], "expected station s7 is not in the registry"),
        ([0], [True, False], None, "the accepted mask has 2 rows, the table 1"),
    ],
)
def test_rows_that_cannot_be_counted_are_refused(
    rows: list[int], accepted: list[bool], expected: list[str] | None, message: str
) -> None:
    table = protocol_table([PROTOCOLS[i] for i in rows], ENTRIES)
    with pytest.raises(InputError, match=message):
        _tabulate(table, pa.array(accepted), expected=expected)


@pytest.mark.parametrize(
    ("station", "message"),
    [("s9", "accepted row of station s9, which is not"), (None, "an accepted row has no station")],
)
def test_an_accepted_row_of_no_known_station_is_refused(station: str | None, message: str) -> None:
    table = protocol_table(PROTOCOLS[:1], ENTRIES)
    table = table.set_column(0, "station_id", pa.array([station], pa.string()))
    with pytest.raises(InputError, match=message):
        _tabulate(table, None)


def test_a_table_without_a_required_line_or_with_floats_is_refused() -> None:
    table = protocol_table(PROTOCOLS, ENTRIES)
    with pytest.raises(InputError, match="no column invalid, a required line"):
        _tabulate(table.drop_columns(["invalid"]))
    index = table.schema.get_field_index("otan")
    floats = table.set_column(index, "otan", table.column("otan").cast(pa.float64()))
    with pytest.raises(InputError, match="column otan: double is not whole numbers"):
        _tabulate(floats)


def test_an_accepted_row_without_a_required_line_is_refused() -> None:
    table = protocol_table(PROTOCOLS, ENTRIES)
    index = table.schema.get_field_index("took_part")
    blank = table.set_column(index, "took_part", pa.array([60, None, 120, None, 50], pa.int64()))
    with pytest.raises(InputError, match="station s5: accepted protocol has no took_part"):
        _tabulate(blank)
    rejected_only = _tabulate(blank, pa.array([True, False, True, False, True]))
    assert rejected_only.nation.protocols == 3


def test_a_district_split_between_territories_is_refused() -> None:
    split = registry([("s1", "d1", "t1"), ("s2", "d1", "t2")])
    table = protocol_table(PROTOCOLS[:2], ENTRIES)
    with pytest.raises(InputError, match="district d1 lies in territories t1 and t2"):
        tabulate(table, None, split, contest_id="list", round=1)


def test_flagged_protocols_count_and_are_counted_as_flagged() -> None:
    """A flagged row is counted; `flagged` says how many of the counted rows are; a flagged
    row that is also rejected counts nowhere."""
    table = protocol_table(PROTOCOLS, ENTRIES, off_form=["ballots_lost"])
    flagged = pa.array([True, True, False, True, False])
    totals = tabulate(table, ACCEPTED, STATIONS, contest_id="list", round=1, flagged=flagged)
    assert [totals.by_district[d].flagged for d in ("d1", "d2", "d3")] == [1, 1, 0]
    assert totals.nation.flagged == 2 and totals.nation.protocols == 4
    unflagged = _worked()
    assert totals.nation.votes == unflagged.nation.votes
    assert totals.table("district").column("flagged").to_pylist() == [1, 1, 0]
