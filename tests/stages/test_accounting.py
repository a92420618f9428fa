"""Every seat accounted for, every input reported: vacancies, seats not in the data,
withdrawals, recorded resolutions of ties, and inputs that did not count."""

from __future__ import annotations

import dataclasses

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from saylau.errors import InputError
from saylau.inputs import ElectionInputs, Resolution, Withdrawal
from saylau.registry.model import Contest
from saylau.rules.decision import Elected, Undecided
from tests.stages.demo import demo_inputs, run_demo, with_cell, with_registry


def test_a_list_that_runs_out_of_candidates_leaves_its_seats_vacant() -> None:
    inputs = demo_inputs()
    short = tuple(c for c in inputs.election.lists if not (c.party_id == "red" and c.rank > 1))
    result = run_demo(with_registry(inputs, lists=short))
    house = result.chamber("house")
    red = next(p for p in house.parties if p.party_id == "red")
    assert (red.list_seats, red.list_vacant, red.district_seats, red.total_seats) == (2, 1, 1, 2)
    assert house.seats_filled == 6 and house.seats_vacant == 1
    (vacancy,) = [v for v in house.vacancies if v.tier == "list"]
    assert (vacancy.contest_id, vacancy.seats) == ("house-list", 1)
    assert "the list of red won 2 seat(s) but has 1 candidate(s): 1 seat(s) vacant" in (
        vacancy.reason
    )
    (decision,) = result.stages[1].lists
    assert decision.members["red"] == ("Ada Red",) and decision.vacant == {"red": 1}
    assert "6 of 7 seats filled" in result.stages[-1].summary
    assert "1 seat(s) vacant" in result.stages[-1].summary


def test_a_party_with_no_list_at_all_has_no_place_on_the_list_ballot() -> None:
    inputs = demo_inputs()
    lists = tuple(c for c in inputs.election.lists if c.party_id != "blue")
    with pytest.raises(InputError, match=r"house-list\.r1\.csv: field blue: blue does not stand"):
        run_demo(with_registry(inputs, lists=lists))


def test_without_list_candidates_in_the_data_the_seats_go_to_parties_unnamed() -> None:
    result = run_demo(with_registry(demo_inputs(), lists=()))
    (decision,) = result.stages[1].lists
    assert not decision.members_known and decision.members == {} and decision.vacant == {}
    assert result.chamber("house").seats_filled == 7


def test_a_district_missing_from_the_data_is_not_elected_here_never_filled() -> None:
    inputs = demo_inputs()
    contests = tuple(c for c in inputs.election.contests if c.contest_id != "house-d3")
    candidates = tuple(c for c in inputs.election.candidates if c.contest_id != "house-d3")
    trimmed = with_registry(inputs, contests=contests, candidates=candidates)
    protocols = {k: t for k, t in trimmed.protocols.items() if k[0] != "house-d3"}
    result = run_demo(dataclasses.replace(trimmed, protocols=protocols))
    house = result.chamber("house")
    assert (house.seats_filled, house.seats_vacant, house.seats_not_in_data) == (6, 0, 1)
    (gap,) = house.gaps
    assert (gap.tier, gap.seats) == ("district", 1)
    assert (
        gap.reason == "district d3 (South-2) has no contest: its seat is not elected in this data"
    )
    assert gap.kind == "not_in_data"
    summary = result.stages[-1].summary
    assert "6 of 7 seats filled" in summary and "1 seat(s) not elected in this data" in summary


def test_a_list_only_election_says_its_district_seats_were_not_part_of_the_data() -> None:
    inputs = demo_inputs()
    contests = tuple(c for c in inputs.election.contests if c.tier == "list")
    trimmed = with_registry(inputs, contests=contests, candidates=())
    protocols = {k: t for k, t in trimmed.protocols.items() if k[0] == "house-list"}
    house = run_demo(dataclasses.replace(trimmed, protocols=protocols)).chamber("house")
    assert (house.seats_filled, house.seats_not_in_data) == (4, 3)
    (gap,) = house.gaps
    assert gap.reason == (
        "district d1 (North-1) has no contest; district d2 (South-1) has no contest; "
        "district d3 (South-2) has no contest: their 3 seats are not elected in this data"
    )


def test_a_list_contest_without_protocols_is_a_gap_not_silence() -> None:
    inputs = demo_inputs()
    protocols = {k: t for k, t in inputs.protocols.items() if k[0] != "house-list"}
    house = run_demo(dataclasses.replace(inputs, protocols=protocols)).chamber("house")
    assert house.seats_filled == 3
    (gap,) = house.gaps
    assert (gap.tier, gap.seats, gap.kind) == ("list", 4, "not_decided")
    assert gap.reason == "no protocol of house-list was entered: the 4 list seats are not decided"
    assert (house.seats_not_in_data, house.seats_not_decided) == (0, 4)


def _list_protocols(inputs: ElectionInputs, change: dict[str, int]) -> ElectionInputs:
    """The demo with every list protocol's lines in `change` set to the given values."""
    key = ("house-list", 1)
    table = inputs.protocols[key]
    for column, value in change.items():
        index = table.schema.get_field_index(column)
        table = table.set_column(index, column, pa.array([value] * table.num_rows, pa.int64()))
    return dataclasses.replace(inputs, protocols={**inputs.protocols, key: table})


def test_every_list_protocol_rejected_leaves_the_list_seats_not_decided_and_says_why() -> None:
    inputs = _list_protocols(demo_inputs(), {"registered": 1})
    house = run_demo(inputs).chamber("house")
    (gap,) = house.gaps
    assert (gap.tier, gap.seats, gap.kind) == ("list", 4, "not_decided")
    assert gap.reason.startswith("all 6 protocol(s) of house-list were rejected")
    assert house.seats_filled + house.seats_vacant + house.seats_not_decided == 7
    assert house.against_all is None and house.invalid is None  # never the district ballot's


def test_nobody_voting_leaves_the_list_seats_not_decided_and_says_so() -> None:
    zero = dict.fromkeys(("took_part", "took_part_outside", "ballots_found", "invalid"), 0)
    zero |= dict.fromkeys(("against_all", "red", "blue", "green", "yellow"), 0)
    zero |= {"ballots_cancelled": 750}
    inputs = _list_protocols(demo_inputs(), {**zero, "ballots_received": 750})
    result = run_demo(inputs)
    (gap,) = result.chamber("house").gaps
    assert gap.reason == (
        "nobody voted: 0 of the 5,450 registered took part in the 6 accepted protocol(s) of "
        "house-list: the 4 list seats are not decided"
    )
    assert "list tier not decided: nobody voted" in result.stages[1].summary


def test_more_contests_than_the_law_has_seats_is_refused_at_registration() -> None:
    inputs = demo_inputs()
    extra = Contest("house-d4", "house", "district", "d3", "south")
    with pytest.raises(InputError, match="4 district contests are registered, but the law"):
        run_demo(with_registry(inputs, contests=(*inputs.election.contests, extra)))


def test_a_withdrawal_is_in_the_decision_and_the_trace() -> None:
    inputs = dataclasses.replace(
        demo_inputs(),
        withdrawals=(Withdrawal("house-d2", "d2-blue", "ill health"),),
    )
    inputs = _second_round_between(inputs, "d2-green", "d2-self")
    result = run_demo(inputs)
    (second,) = result.stages[2].decisions
    assert second.round == 2
    (note,) = second.notes
    assert "before round 2 (ill health): d2-blue withdrew; d2-self" in note
    assert not [n for n in result.notes if n.kind == "unused"]


def test_a_withdrawal_with_no_second_round_is_reported_unused() -> None:
    inputs = dataclasses.replace(
        demo_inputs(), withdrawals=(Withdrawal("house-d1", "d1-blue", "too late"),)
    )
    result = run_demo(inputs)
    (unused,) = [n for n in result.notes if n.kind == "unused"]
    assert "withdrawal of d1-blue from house-d1 was not applied" in unused.text
    assert unused.text in result.stages[-1].notes


def test_protocols_of_a_round_that_did_not_take_place_are_reported_not_counted() -> None:
    inputs = demo_inputs()
    protocols = {**inputs.protocols, ("house-d1", 2): inputs.protocols[("house-d1", 1)]}
    result = run_demo(dataclasses.replace(inputs, protocols=protocols))
    (unused,) = [n for n in result.notes if n.kind == "unused"]
    assert "2 protocol(s) of contest house-d1, round 2 were entered" in unused.text
    assert "not counted" in unused.text
    assert unused.text in result.stages[-1].notes


def _second_round_between(inputs: ElectionInputs, first: str, second: str) -> ElectionInputs:
    """The demo with house-d2's round-2 protocols giving votes to `first` and `second`."""
    key = ("house-d2", 2)
    table = inputs.protocols[key]
    names = ["station_id", *table.column_names[1:-2], first, second]
    renamed = table.rename_columns(names)
    return dataclasses.replace(inputs, protocols={**inputs.protocols, key: renamed})


def _tied(inputs: ElectionInputs) -> ElectionInputs:
    """house-d2's second round tied, blue 220 + 170 and green 250 + 140: 390 each (the 70
    votes taken from green at s4 become invalid, so the protocol still adds up)."""
    more_invalid = with_cell(inputs, ("house-d2", 2), "s4", "invalid", 80)
    return with_cell(more_invalid, ("house-d2", 2), "s4", "d2-green", 140)


def test_a_second_round_tie_is_undecided_until_a_resolution_settles_it() -> None:
    tied = _tied(demo_inputs())
    result = run_demo(tied)
    assert result.rejected == ()
    (second,) = result.stages[2].decisions
    assert isinstance(second.decision, Undecided)
    house = result.chamber("house")
    assert any(v.contest_id == "house-d2" for v in house.vacancies)
    settled = dataclasses.replace(
        tied, resolutions=(Resolution("house-d2", 2, "d2-blue", "lot", "DEC protocol 14/2"),)
    )
    result = run_demo(settled)
    (second,) = result.stages[2].decisions
    assert isinstance(second.decision, Elected)
    assert second.decision.winner == "d2-blue" and second.decision.rule == "recorded_lot"
    assert "settled by a lot drawn by the commission (DEC protocol 14/2)" in second.decision.reason
    assert any("settled by a lot" in note for note in second.notes)
    assert result.chamber("house").seats_filled == 7


def test_a_resolution_naming_someone_not_tied_stops_the_run() -> None:
    tied = _tied(demo_inputs())
    wrong = dataclasses.replace(tied, resolutions=(Resolution("house-d2", 2, "d2-self", "lot"),))
    with pytest.raises(InputError, match="names d2-self, who is not among the tied"):
        run_demo(wrong)


def test_a_resolution_with_no_tie_is_reported_unused() -> None:
    inputs = dataclasses.replace(
        demo_inputs(), resolutions=(Resolution("house-d1", 1, "d1-red", "commission_decision"),)
    )
    (unused,) = [n for n in run_demo(inputs).notes if n.kind == "unused"]
    assert "resolution naming d1-red in house-d1, round 1 was not applied" in unused.text


def test_the_counts_in_a_districts_reason_are_those_of_the_protocols_listed() -> None:
    inputs = demo_inputs()
    key = ("house-d1", 1)
    table = inputs.protocols[key].slice(0, 1)  # one row, of a station no one registered
    stations = pa.array(["s99"])
    table = table.set_column(table.schema.get_field_index("station_id"), "station_id", stations)
    result = run_demo(dataclasses.replace(inputs, protocols={**inputs.protocols, key: table}))
    (vacancy,) = [v for v in result.chamber("house").vacancies if v.contest_id == "house-d1"]
    assert vacancy.reason.startswith("no round 1 protocol was accepted (1 rejected, 2 missing)")
    listed = [r for r in result.rejected if r.contest_id == "house-d1"]
    assert [r.station_id for r in listed] == ["s99"]


def test_district_seats_without_a_district_are_counted_beside_the_districts_named() -> None:
    inputs = demo_inputs()
    election = inputs.election
    gone = ("house-d2", "house-d3")
    contests = tuple(c for c in election.contests if c.contest_id not in gone)
    candidates = tuple(c for c in election.candidates if c.contest_id not in gone)
    districts = tuple(d for d in election.districts if d.district_id != "d3")
    stations = election.stations.filter(pc.not_equal(election.stations["district_id"], "d3"))
    trimmed = with_registry(
        inputs, contests=contests, candidates=candidates, districts=districts, stations=stations
    )
    protocols = {k: t for k, t in trimmed.protocols.items() if k[0] not in gone}
    list_table = protocols[("house-list", 1)]
    kept = pc.is_in(list_table["station_id"], value_set=stations["station_id"])
    protocols[("house-list", 1)] = list_table.filter(kept)
    (gap,) = run_demo(dataclasses.replace(trimmed, protocols=protocols)).chamber("house").gaps
    assert gap.reason == (
        "district d2 (South-1) has no contest: its seat is not elected in this data; "
        "1 more district seat(s) have no district registered"
    )
    assert gap.seats == 2
