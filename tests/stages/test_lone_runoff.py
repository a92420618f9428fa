"""A runoff left with one candidate, through the calendar: the demo's d2 sends green and blue
to round 2; green withdraws and, under `withdrawal = "remaining_only"`, no one moves up, so
blue stands alone (`district_tier.runoff.single_candidate`)."""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from saylau.inputs import ElectionInputs, Withdrawal
from saylau.law.schema import Condition, Law
from saylau.results import ElectionResult
from saylau.rules.decision import Elected, Failed
from saylau.stages.calendar import run_calendar
from tests.stages.demo import demo_inputs, demo_laws


def alone() -> ElectionInputs:
    """Green withdraws; round 2's protocol has blue alone (green's column as invalid)."""
    inputs = demo_inputs()
    table = inputs.protocols[("house-d2", 2)]
    rows = table.to_pylist()
    for row in rows:
        row["invalid"] += row.pop("d2-green")
    columns = {c: [r[c] for r in rows] for c in rows[0]}
    changed = pa.table(
        {
            c: pa.array(v, pa.string() if c == "station_id" else pa.int64())
            for c, v in columns.items()
        }
    )
    return dataclasses.replace(
        inputs,
        protocols={**inputs.protocols, ("house-d2", 2): changed},
        withdrawals=(Withdrawal("house-d2", "d2-green", "withdrew"),),
    )


def law(single: str, uncontested: tuple[Condition, ...] = ()) -> Law:
    house = demo_laws()["house"]
    assert house.district_tier is not None and house.district_tier.runoff is not None
    tier = house.district_tier
    runoff = tier.runoff.model_copy(
        update={"withdrawal": "remaining_only", "single_candidate": single}
    )
    changed = tier.model_copy(update={"runoff": runoff, "uncontested": uncontested})
    return house.model_copy(update={"district_tier": changed})


def run(single: str, uncontested: tuple[Condition, ...] = ()) -> ElectionResult:
    return run_calendar(alone(), {"house": law(single, uncontested)})


def d2(result: ElectionResult) -> object:
    round2 = [d for s in result.stages for d in s.decisions if d.contest_id == "house-d2"]
    return round2[-1].decision


def test_today_blue_alone_is_elected_by_the_runoffs_plurality() -> None:
    """What Saylau did before the setting, and does by default: round 2 is held under the
    runoff's own rule, so the only candidate wins with any number of votes."""
    result = run("runoff_rule")
    decision = d2(result)
    assert isinstance(decision, Elected)
    assert (decision.winner, decision.round, decision.rule, decision.votes) == (
        "d2-blue",
        2,
        "plurality",
        390,
    )
    assert result.chambers[0].runoffs == 1


def test_uncontested_holds_round_two_under_the_uncontested_conditions() -> None:
    """Blue's 390 of the 930 who took part in round 2 is not more than half: the voting fails."""
    half = (Condition.model_validate({"share": "1/2", "base": "took_part"}),)
    decision = d2(run("uncontested", half))
    assert isinstance(decision, Failed) and decision.cause == "below_min_share"
    assert decision.round == 2
    assert "d2-blue is the only candidate on the round 2 ballot" in decision.reason
    fifth = (Condition.model_validate({"share": "1/5", "base": "took_part"}),)
    elected = d2(run("uncontested", fifth))
    assert isinstance(elected, Elected) and elected.rule == "uncontested"


def test_elected_seats_blue_without_reading_round_two() -> None:
    result = run("elected")
    decision = d2(result)
    assert isinstance(decision, Elected) and decision.rule == "unopposed"
    assert "elected without a vote" in decision.reason
    chamber = result.chambers[0]
    assert chamber.runoffs == 0  # no second round was voted
    assert any(s.contest_id == "house-d2" and s.candidate_id == "d2-blue" for s in chamber.seats)
    assert any("house-d2, round 2" in n.text and "not counted" in n.text for n in result.notes)


def test_failed_leaves_the_seat_vacant() -> None:
    result = run("failed")
    decision = d2(result)
    assert isinstance(decision, Failed) and decision.cause == "too_few_candidates"
    vacant = [v.contest_id for v in result.chambers[0].vacancies]
    assert "house-d2" in vacant
