"""The cases that once gave a wrong result with exit 0: each is now refused or accounted for."""

from __future__ import annotations

import dataclasses

import pyarrow as pa
import pytest

from saylau.errors import InputError
from saylau.inputs import ElectionInputs, Invalidation, TableOrigin
from saylau.registry.model import Candidate, Contest
from saylau.tabulate import tabulate
from tests.stages.demo import demo_inputs, run_demo, with_cell, with_registry
from tests.tabulate.tables import protocol, protocol_table, registry


def with_new_voting(
    inputs: ElectionInputs, *, district: str = "d3", replaces: str = "house-d3"
) -> ElectionInputs:
    """The demo with house-d3's round 1 invalidated and a new voting, house-d3n, held."""
    election = inputs.election
    new = Contest("house-d3n", "house", "new_voting", district, None, replaces)
    people = (
        Candidate("d3n-blue", "house-d3n", "Qi Blue", "blue"),
        Candidate("d3n-green", "house-d3n", "Ru Green", "green"),
    )
    changed = with_registry(
        inputs,
        contests=(*election.contests, new),
        candidates=(*election.candidates, *people),
    )
    old = inputs.protocols[("house-d3", 1)]
    names = ["station_id", *old.column_names[1:-2], "d3n-blue", "d3n-green"]
    protocols = {**inputs.protocols, ("house-d3n", 1): old.rename_columns(names)}
    cancel = Invalidation("house-d3", 1, "violations", "house-d3n")
    return dataclasses.replace(changed, protocols=protocols, invalidations=(cancel,))


def test_a_new_voting_as_recorded_runs() -> None:
    house = run_demo(with_new_voting(demo_inputs())).chamber("house")
    assert house.new_voting == 1
    assert {s.contest_id for s in house.seats} >= {"house-d3n"}
    assert "house-d3" not in {s.contest_id for s in house.seats}


def test_a_new_voting_in_another_district_is_refused() -> None:
    with pytest.raises(InputError, match="house-d3n lies in district d1, but house-d3 in d3"):
        run_demo(with_new_voting(demo_inputs(), district="d1"))


def test_two_invalidations_of_one_contest_are_refused() -> None:
    inputs = with_new_voting(demo_inputs())
    twice = dataclasses.replace(inputs, invalidations=inputs.invalidations * 2)
    with pytest.raises(InputError, match="house-d3 is invalidated a second time"):
        run_demo(twice)


def test_replaces_that_disagrees_with_the_invalidation_is_refused() -> None:
    with pytest.raises(InputError, match=r"house-d3n replaces house-d2 in contests\.csv, not"):
        run_demo(with_new_voting(demo_inputs(), replaces="house-d2"))


def test_a_new_voting_without_an_invalidation_is_refused() -> None:
    inputs = dataclasses.replace(with_new_voting(demo_inputs()), invalidations=())
    with pytest.raises(InputError, match=r"invalidations\.csv invalidates no result of it"):
        run_demo(inputs)


def test_a_cycle_in_replaces_is_refused() -> None:
    inputs = with_new_voting(demo_inputs())
    election = inputs.election
    contests = tuple(
        dataclasses.replace(c, tier="new_voting", replaces="house-d3n")
        if c.contest_id == "house-d3"
        else c
        for c in election.contests
    )
    with pytest.raises(InputError, match="replaces runs in a cycle"):
        run_demo(with_registry(inputs, contests=contests))


def test_problems_name_file_line_and_field_where_the_inputs_were_read() -> None:
    inputs = with_new_voting(demo_inputs(), district="d1")
    origins = {**inputs.origins, "invalidations": TableOrigin("my/invalidations.csv", (7,))}
    with pytest.raises(InputError) as raised:
        run_demo(dataclasses.replace(inputs, origins=origins))
    assert "my/invalidations.csv: line 7: field new_contest_id: house-d3n lies in" in str(
        raised.value
    )


def test_a_district_whose_first_round_was_all_rejected_draws_no_lot() -> None:
    inputs = demo_inputs()
    for station in ("s3", "s4"):
        inputs = with_cell(inputs, ("house-d2", 1), station, "ballots_received", 1)
    result = run_demo(inputs)
    assert [r.station_id for r in result.rejected] == ["s3", "s4"]
    first = {d.contest_id for d in result.stages[1].decisions}
    assert "house-d2" not in first  # no decision, no runoff pair
    house = result.chamber("house")
    (vacancy,) = [v for v in house.vacancies if v.contest_id == "house-d2"]
    assert "no round 1 protocol was accepted (2 rejected, 0 missing)" in vacancy.reason
    assert house.runoffs == 0


def test_a_station_that_sent_no_protocol_is_named() -> None:
    inputs = demo_inputs()
    table = inputs.protocols[("house-list", 1)]
    kept = table.filter(pa.compute.not_equal(table["station_id"], "s5"))
    result = run_demo(
        dataclasses.replace(inputs, protocols={**inputs.protocols, ("house-list", 1): kept})
    )
    (note,) = [n for n in result.notes if n.kind == "missing"]
    assert "contest house-list, round 1: 1 expected station(s) sent no protocol (s5)" in note.text
    assert note.text in result.stages[-1].notes


def test_sums_past_int64_are_exact_never_wrapped() -> None:
    stations = registry([("s1", "d1", "t1"), ("s2", "d1", "t1")])
    big = 2**62
    lines = (big, big, big, 0, big, 0)
    table = protocol_table(
        [protocol("s1", lines, {"a": big}), protocol("s2", lines, {"a": big})], ("a",)
    )
    totals = tabulate(table, None, stations, contest_id="x", round=1)
    assert totals.nation.votes == {"a": 2**63} and totals.nation.registered == 2**63
    assert totals.table("nation")["a"].to_pylist() == [2**63]
