"""A large list contest's first round is counted beside registration (Counting.start): the
count taken up is the count asked for, and registration still speaks first."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from saylau.errors import InputError
from saylau.inputs import ElectionInputs
from saylau.law.loader import load_law
from saylau.protocol.aside import ASIDE_ROWS
from saylau.protocol.lines import ContestId
from saylau.protocol.table import check_table
from saylau.stages import counting as counting_module
from saylau.stages.calendar import run_calendar
from saylau.stages.counting import Counting, count_contest
from saylau.stages.station_index import indexing
from tests.report.large import large_election

LAW = load_law("kz-1999-majilis")
LAWS = {"house": LAW}


def _with_faults() -> ElectionInputs:
    """The large election with its list protocols broken on a few rows: a relation, an
    unknown station and a station twice."""
    inputs = large_election()
    table = inputs.protocols[("house-list", 1)]
    took_part = table.column("took_part").to_pylist()
    stations = table.column("station_id").to_pylist()
    took_part[5] += 10_000_000  # more took part than were registered
    stations[77] = "nowhere"
    stations[78] = stations[79]
    table = table.set_column(
        table.column_names.index("took_part"), "took_part", pa.array(took_part, pa.int64())
    )
    table = table.set_column(
        table.column_names.index("station_id"), "station_id", pa.array(stations, pa.string())
    )
    return replace(inputs, protocols={**inputs.protocols, ("house-list", 1): table})


def test_a_list_counted_beside_is_the_count_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _with_faults()
    contest = inputs.election.contest_by_id["house-list"]
    assert inputs.protocols[("house-list", 1)].num_rows >= ASIDE_ROWS
    assert LAW.protocol is not None
    alone = count_contest(inputs, contest, 1, LAW.protocol, None, indexing(inputs))
    assert alone is not None
    assert {v.code for v in alone.check.violations} >= {"unknown_station", "duplicate_station"}

    threads: list[str] = []
    original = counting_module.count_contest

    def counted(*args: object) -> object:
        threads.append(threading.current_thread().name)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(counting_module, "count_contest", counted)
    counting = Counting(inputs, LAWS, index=indexing(inputs))
    counting.start([contest], 1)
    beside = counting.count(contest, 1)
    assert beside is not None
    assert threads and threads[0] != threading.current_thread().name
    assert beside.check.violations == alone.check.violations
    assert beside.check.rows == alone.check.rows
    assert beside.check.accepted.equals(alone.check.accepted)
    assert beside.totals == alone.totals
    assert beside.missing == alone.missing
    assert counting.count(contest, 1) is beside  # counted once


def test_registration_speaks_before_a_count_begun_beside() -> None:
    inputs = _with_faults()
    registry = inputs.election.stations
    ids = registry.column("station_id").to_pylist()
    ids[3] = ids[2]  # a station registered twice
    stations = registry.set_column(
        registry.column_names.index("station_id"), "station_id", pa.array(ids, pa.string())
    )
    election = replace(inputs.election, stations=stations)
    with pytest.raises(InputError, match="registered twice"):
        run_calendar(replace(inputs, election=election), LAWS)


def test_check_table_takes_its_positions_when_asked_or_looks_them_up() -> None:
    inputs = _with_faults()
    table = inputs.protocols[("house-list", 1)].slice(0, 200)
    known = inputs.election.stations.column("station_id").combine_chunks()
    assert LAW.protocol is not None
    looked_up = check_table(table, ContestId("house-list"), 1, known, form=LAW.protocol)
    asked: list[bool] = []

    def positions() -> pa.Array:
        asked.append(True)
        return pc.index_in(table.column("station_id"), value_set=known).combine_chunks()

    given = check_table(
        table, ContestId("house-list"), 1, known, form=LAW.protocol, positions=positions
    )
    fallen_back = check_table(
        table, ContestId("house-list"), 1, known, form=LAW.protocol, positions=lambda: None
    )
    assert asked == [True]
    for check in (given, fallen_back):
        assert check.violations == looked_up.violations
        assert check.positions is not None and looked_up.positions is not None
        assert check.positions.equals(looked_up.positions)


def test_the_registry_side_of_the_tabulation_is_made_before_the_look_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With an index, the tabulation's area is made while the index may still be hashed, and
    the count is the count made without it."""
    inputs = _with_faults()
    contest = inputs.election.contest_by_id["house-list"]
    assert LAW.protocol is not None
    alone = count_contest(inputs, contest, 1, LAW.protocol)
    areas: list[object] = []
    tabulate = counting_module.tabulate

    def recorded(*args: Any, **kwargs: Any) -> Any:
        areas.append(kwargs.get("area"))
        return tabulate(*args, **kwargs)

    monkeypatch.setattr(counting_module, "tabulate", recorded)
    with_index = count_contest(inputs, contest, 1, LAW.protocol, None, indexing(inputs))
    assert alone is not None and with_index is not None
    assert areas and areas[0] is not None
    assert with_index.totals == alone.totals
    assert with_index.check.violations == alone.check.violations
