"""The calendar on the invented demo election: every stage, what it decided, and why."""

from __future__ import annotations

import dataclasses

import pytest

from saylau.errors import InputError
from saylau.inputs import Invalidation, Published, Withdrawal
from saylau.registry.model import Candidate, Contest
from saylau.rules.decision import Elected
from saylau.rules.district import RunoffNeeded
from saylau.stages.calendar import run_calendar
from tests.stages.demo import (
    demo_inputs,
    demo_laws,
    run_demo,
    with_cell,
    with_registry,
    without_station,
)


def test_the_demo_runs_through_every_stage_it_needs() -> None:
    result = run_demo()
    assert [s.stage for s in result.stages] == ["registration", "round1", "runoffs", "final"]
    house = result.chamber("house")
    seats = {p.party_id: (p.list_seats, p.district_seats, p.total_seats) for p in house.parties}
    assert seats == {
        "red": (2, 1, 3),
        "blue": (1, 0, 1),
        "green": (1, 1, 2),
        "yellow": (0, 0, 0),
        "independent": (0, 1, 1),
    }
    assert (house.registered, house.took_part, house.against_all, house.invalid) == (
        5450,
        3490,
        159,
        91,
    )
    assert (house.districts_decided_round1, house.runoffs, house.new_voting) == (2, 1, 0)
    assert house.seats_filled == 7
    assert result.rejected == ()


def test_each_decision_records_its_votes_base_and_rule() -> None:
    result = run_demo()
    first = {d.contest_id: d.decision for d in result.stages[1].decisions}
    d1 = first["house-d1"]
    assert isinstance(d1, Elected)
    assert (d1.winner, d1.votes, d1.base, d1.rule) == ("d1-red", 760, 1300, "absolute_majority")
    d2 = first["house-d2"]
    assert isinstance(d2, RunoffNeeded)
    assert d2.pair.candidates == ("d2-green", "d2-blue")
    runoff = result.stages[2].decisions[0].decision
    assert isinstance(runoff, Elected)
    assert (runoff.winner, runoff.votes, runoff.round) == ("d2-green", 460, 2)
    assert "more votes" in runoff.reason


def test_list_seats_go_to_candidates_in_list_order() -> None:
    result = run_demo()
    (decision,) = result.stages[1].lists
    assert decision.members == {
        "red": ("Ada Red", "Bo Red"),
        "blue": ("Di Blue",),
        "green": ("Fa Green",),
    }
    assert decision.allocation.seats["yellow"] == 0


def test_a_rejected_protocol_is_kept_reported_and_not_counted() -> None:
    inputs = with_cell(demo_inputs(), ("house-list", 1), "s2", "ballots_received", 1)
    result = run_demo(inputs)
    (rejection,) = result.rejected
    assert (rejection.contest_id, rejection.round, rejection.station_id) == ("house-list", 1, "s2")
    assert rejection.codes == ("received_balance",)
    assert "station s2" in rejection.messages[0]
    count = result.stages[1].lists[0].count
    assert (count.protocols, count.rejected, count.missing) == (5, 1, 0)
    assert result.chamber("house").took_part == 3490 - 600
    # the rejected row is still in the inputs, for review and correction
    assert "s2" in inputs.protocols[("house-list", 1)].column("station_id").to_pylist()


def test_a_missing_protocol_is_counted_as_missing() -> None:
    result = run_demo(without_station(demo_inputs(), ("house-d3", 1), "s6"))
    decision = result.stages[1].decisions[2]
    assert decision.count is not None
    assert (decision.count.protocols, decision.count.missing) == (1, 1)
    assert not decision.count.complete


def test_an_invalidated_result_is_replaced_by_new_voting() -> None:
    inputs = demo_inputs()
    election = inputs.election
    new = Contest("house-d3-new", "house", "new_voting", "d3", "south", replaces="house-d3")
    newcomers = (
        Candidate("d3n-blue", "house-d3-new", "Pa Blue", "blue"),
        Candidate("d3n-green", "house-d3-new", "Qu Green", "green"),
    )
    table = inputs.protocols[("house-d3", 1)].rename_columns(
        [
            "station_id",
            *inputs.protocols[("house-d3", 1)].column_names[1:-2],
            "d3n-blue",
            "d3n-green",
        ]
    )
    inputs = dataclasses.replace(
        inputs,
        election=dataclasses.replace(
            election,
            contests=(*election.contests, new),
            candidates=(*election.candidates, *newcomers),
        ),
        protocols={**inputs.protocols, ("house-d3-new", 1): table},
        invalidations=(Invalidation("house-d3", 1, "violations", "house-d3-new"),),
    )
    result = run_calendar(inputs, demo_laws())
    assert [s.stage for s in result.stages][-2:] == ["new_voting", "final"]
    house = result.chamber("house")
    assert house.new_voting == 1
    assert house.districts_decided_round1 == 1
    seat = next(s for s in house.seats if s.contest_id == "house-d3-new")
    assert (seat.candidate_id, seat.party_id) == ("d3n-blue", "blue")


def test_a_runoff_annulled_with_its_first_round_is_no_runoff() -> None:
    inputs = demo_inputs()
    election = inputs.election
    assert run_calendar(inputs, demo_laws()).chamber("house").runoffs == 1  # house-d2
    new = Contest("house-d2-new", "house", "new_voting", "d2", "south", replaces="house-d2")
    newcomers = (
        Candidate("d2n-blue", "house-d2-new", "Ra Blue", "blue"),
        Candidate("d2n-green", "house-d2-new", "Sa Green", "green"),
        Candidate("d2n-self", "house-d2-new", "Ta Self", "self"),
    )
    first = inputs.protocols[("house-d2", 1)]
    table = first.rename_columns([*first.column_names[:-3], "d2n-blue", "d2n-green", "d2n-self"])
    inputs = dataclasses.replace(
        inputs,
        election=dataclasses.replace(
            election,
            contests=(*election.contests, new),
            candidates=(*election.candidates, *newcomers),
        ),
        protocols={**inputs.protocols, ("house-d2-new", 1): table},
        invalidations=(Invalidation("house-d2", 1, "violations", "house-d2-new"),),
    )
    result = run_calendar(inputs, demo_laws())
    house = result.chamber("house")
    runoffs = [s for s in result.stages if s.stage == "runoffs"]
    seconds = sum(len(s.decisions) for s in runoffs)
    assert house.runoffs == seconds == 0
    assert (house.new_voting, house.districts_decided_round1) == (1, 2)


def test_new_voting_refuses_an_original_candidate() -> None:
    inputs = demo_inputs()
    election = inputs.election
    new = Contest("house-d3-new", "house", "new_voting", "d3", "south", replaces="house-d3")
    again = Candidate("d3n-self", "house-d3-new", "Ni  SELF", "self")
    inputs = with_registry(
        inputs, contests=(*election.contests, new), candidates=(*election.candidates, again)
    )
    with pytest.raises(InputError, match=r"d3n-self \(Ni  SELF\) stood in the invalidated"):
        run_calendar(inputs, demo_laws())


def test_a_withdrawal_moves_the_next_candidate_up() -> None:
    inputs = dataclasses.replace(
        demo_inputs(), withdrawals=(Withdrawal("house-d2", "d2-blue", "withdrew"),)
    )
    with pytest.raises(InputError, match="round 2 needs votes for d2-green, d2-self"):
        run_calendar(inputs, demo_laws())
    table = inputs.protocols[("house-d2", 2)]
    moved = table.rename_columns([*table.column_names[:-2], "d2-self", "d2-green"])
    inputs = dataclasses.replace(inputs, protocols={**inputs.protocols, ("house-d2", 2): moved})
    result = run_calendar(inputs, demo_laws())
    first = result.stages[1].decisions[1].decision
    assert isinstance(first, RunoffNeeded)
    runoff = result.stages[2].decisions[0].decision
    assert isinstance(runoff, Elected)
    assert runoff.winner == "d2-green"


def test_protocols_for_an_unregistered_contest_are_refused() -> None:
    inputs = demo_inputs()
    table = inputs.protocols[("house-d1", 1)]
    inputs = dataclasses.replace(inputs, protocols={**inputs.protocols, ("house-d9", 1): table})
    with pytest.raises(InputError, match="unregistered contest"):
        run_calendar(inputs, demo_laws())


def test_a_chamber_without_a_law_is_refused() -> None:
    with pytest.raises(InputError, match="no law given for chamber"):
        run_calendar(demo_inputs(), {})


def test_a_published_figure_that_differs_is_reported_as_a_conflict() -> None:
    published = Published(
        {"house.registered": 5_449, "house.seats_total": 7}, {"house.registered": "gazette"}
    )
    result = run_demo(dataclasses.replace(demo_inputs(), published=published))
    conflicts = [n.text for n in result.notes if n.kind == "conflict"]
    assert conflicts == [
        "house registered: published 5,449 (gazette), tabulated 5,450, a difference of +1"
    ]
