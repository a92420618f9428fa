"""A repeat election after a failed district (`district_tier.failed`), through the calendar.

Under a turnout condition of 60%, the demo's d2 fails in round 1 (1,150 of 2,050 took part,
56.1%). Its repeat election, house-d2r, has the same three people standing again, and 1,250
took part (61.0%): blue wins it outright with 800.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pyarrow as pa
import pytest

from saylau.errors import SaylauError
from saylau.inputs import ElectionInputs
from saylau.law.schema import Law
from saylau.registry.model import Candidate, Contest
from saylau.results import ElectionResult
from saylau.rules.decision import Elected, Failed
from saylau.stages.calendar import run_calendar
from tests.stages.demo import demo_inputs, demo_laws

HEADER = [
    "station_id",
    "registered",
    "ballots_received",
    "took_part",
    "took_part_outside",
    "ballots_cancelled",
    "ballots_found",
    "invalid",
    "against_all",
    "d2r-blue",
    "d2r-green",
    "d2r-self",
]
ROWS = [
    ["s3", 1100, 800, 750, 0, 50, 750, 30, 40, 500, 100, 80],
    ["s4", 950, 550, 500, 8, 50, 500, 15, 25, 300, 100, 60],
]


def law(failed: str = "repeat_election") -> Law:
    house = demo_laws()["house"]
    assert house.district_tier is not None
    tier = house.district_tier.model_copy(update={"min_turnout": Fraction(3, 5), "failed": failed})
    return house.model_copy(update={"district_tier": tier})


def with_repeat(inputs: ElectionInputs, *, district: str = "d2") -> ElectionInputs:
    """d2's repeat election, its candidates the people of d2 again, and its protocol."""
    election = inputs.election
    repeat = Contest("house-d2r", "house", "repeat_election", district, replaces="house-d2")
    again = tuple(
        Candidate(c.candidate_id.replace("d2-", "d2r-"), "house-d2r", c.name, c.nominator)
        for c in election.candidates_in("house-d2")
    )
    table = pa.table(
        {
            name: pa.array(
                [row[i] for row in ROWS], pa.string() if name == "station_id" else pa.int64()
            )
            for i, name in enumerate(HEADER)
        }
    )
    election = dataclasses.replace(
        election,
        contests=(*election.contests, repeat),
        candidates=(*election.candidates, *again),
    )
    protocols = {k: v for k, v in inputs.protocols.items() if k != ("house-d2", 2)}
    protocols[("house-d2r", 1)] = table
    return dataclasses.replace(inputs, election=election, protocols=protocols)


def run(inputs: ElectionInputs, failed: str = "repeat_election") -> ElectionResult:
    return run_calendar(inputs, {"house": law(failed)})


def without_round2(inputs: ElectionInputs) -> ElectionInputs:
    protocols = {k: v for k, v in inputs.protocols.items() if k != ("house-d2", 2)}
    return dataclasses.replace(inputs, protocols=protocols)


def test_vacant_keeps_the_failed_seat_vacant_as_before() -> None:
    chamber = run(without_round2(demo_inputs()), "vacant").chambers[0]
    (vacancy,) = [v for v in chamber.vacancies if v.contest_id == "house-d2"]
    assert isinstance(vacancy.decision, Failed) and vacancy.decision.cause == "turnout"
    assert "repeat election" not in vacancy.reason


def test_a_repeat_election_due_and_not_in_the_data_is_named() -> None:
    result = run(without_round2(demo_inputs()))
    chamber = result.chambers[0]
    (vacancy,) = [v for v in chamber.vacancies if v.contest_id == "house-d2"]
    assert vacancy.reason.endswith(
        "; a repeat election is due in this district, and none is in this data"
    )
    assert vacancy.reason.startswith("turnout 1,150 of 2,050 registered (56.10%)")
    (stage,) = [s for s in result.stages if s.stage == "repeat_elections"]
    assert "1 repeat election(s) due and not in this data" in stage.summary


def test_the_repeat_election_fills_the_seat_and_the_same_people_may_stand() -> None:
    result = run(with_repeat(demo_inputs()))
    chamber = result.chambers[0]
    (seat,) = [s for s in chamber.seats if s.contest_id == "house-d2r"]
    assert (seat.candidate_id, seat.name, seat.party_id) == ("d2r-blue", "Ka Blue", "blue")
    assert isinstance(seat.decision, Elected) and seat.decision.votes == 800
    assert not [v for v in chamber.vacancies if v.contest_id in ("house-d2", "house-d2r")]
    (stage,) = [s for s in result.stages if s.stage == "repeat_elections"]
    assert stage.summary.startswith("1 districts decided by repeat elections")
    assert [d.contest_id for d in stage.decisions] == ["house-d2r"]
    assert any("the seat goes to repeat election house-d2r" in n for n in stage.notes)
    assert (chamber.runoffs, chamber.new_voting) == (0, 0)  # a repeat election is neither


def test_a_repeat_election_whose_district_did_not_fail_is_not_counted() -> None:
    inputs = with_repeat(demo_inputs())
    house = demo_laws()["house"]
    assert house.district_tier is not None
    repeat = house.district_tier.model_copy(update={"failed": "repeat_election"})
    result = run_calendar(inputs, {"house": house.model_copy(update={"district_tier": repeat})})
    (stage,) = [s for s in result.stages if s.stage == "repeat_elections"]
    assert stage.decisions == ()
    assert any("replaces house-d2, which did not fail" in n for n in stage.notes)
    assert any("house-d2r, round 1" in n.text and "not counted" in n.text for n in result.notes)


def test_a_repeat_election_under_a_law_that_holds_none_is_refused() -> None:
    with pytest.raises(SaylauError, match=r"district_tier.failed = 'vacant'"):
        run(with_repeat(demo_inputs()), "vacant")


def test_a_repeat_election_in_another_district_is_refused() -> None:
    with pytest.raises(SaylauError, match="repeat election house-d2r lies in district d1"):
        run(with_repeat(demo_inputs(), district="d1"))
