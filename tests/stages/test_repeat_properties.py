"""Repeat elections after a failed district (`district_tier.failed`), checked with hypothesis
against a plain reference: walk the chain of repeat elections in the data while each
voting fails; the seat goes to the first that elects; where the last fails, the seat is
vacant and a repeat election is due (under `repeat_election`), or simply vacant (under
`vacant`).

The law is the demo's in one round by plurality, with a turnout condition of more than 60%
(exactly 60% fails, as `turnout_inclusive = false` says): the demo's d2 fails (1,150 of
2,050 took part); each repeat election's protocol is drawn.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from saylau.inputs import ElectionInputs
from saylau.law.schema import Law
from saylau.registry.model import Candidate, Contest
from saylau.rules.decision import Failed
from saylau.stages.calendar import run_calendar
from tests.stages.demo import demo_inputs, demo_laws

PEOPLE = ("blue", "green", "self")
REGISTERED = {"s3": 1100, "s4": 950}
Station = tuple[int, int, int, int, int]
"""Votes for blue, green and self, invalid ballots and against all, at one station."""


def law(failed: str) -> Law:
    house = demo_laws()["house"]
    assert house.district_tier is not None
    tier = house.district_tier.model_copy(
        update={
            "rounds": 1,
            "win": "plurality",
            "runoff": None,
            "min_turnout": Fraction(3, 5),
            "failed": failed,
        }
    )
    return house.model_copy(update={"district_tier": tier})


def protocol(contest: str, stations: dict[str, Station]) -> pa.Table:
    rows = []
    for station, (blue, green, alone, invalid, against) in stations.items():
        took = blue + green + alone + invalid + against
        rows.append(
            {
                "station_id": station,
                "registered": REGISTERED[station],
                "ballots_received": took + 50,
                "took_part": took,
                "took_part_outside": 0,
                "ballots_cancelled": 50,
                "ballots_found": took,
                "invalid": invalid,
                "against_all": against,
                f"{contest}-blue": blue,
                f"{contest}-green": green,
                f"{contest}-self": alone,
            }
        )
    return pa.table(
        {
            k: pa.array([r[k] for r in rows], pa.string() if k == "station_id" else pa.int64())
            for k in rows[0]
        }
    )


def with_repeats(repeats: list[dict[str, Station]]) -> ElectionInputs:
    """d2 followed by a chain of repeat elections, r1 replacing d2, r2 replacing r1, ..."""
    inputs = demo_inputs()
    election = inputs.election
    contests, candidates = list(election.contests), list(election.candidates)
    protocols = {k: v for k, v in inputs.protocols.items() if k != ("house-d2", 2)}
    before = "house-d2"
    for number, stations in enumerate(repeats, start=1):
        cid = f"house-r{number}"
        contests.append(Contest(cid, "house", "repeat_election", "d2", replaces=before))
        candidates += [
            Candidate(f"{cid}-{who}", cid, f"Person {who}", who if who != "self" else "self")
            for who in PEOPLE
        ]
        protocols[(cid, 1)] = protocol(cid, stations)
        before = cid
    election = dataclasses.replace(election, contests=tuple(contests), candidates=tuple(candidates))
    return dataclasses.replace(inputs, election=election, protocols=protocols)


def reference(repeats: list[dict[str, Station]], failed: str) -> tuple[str, set[str]]:
    """('seat', the contest and those who may hold it) or ('vacant', {the reason's end})."""
    tier = law(failed).district_tier
    assert tier is not None and not tier.turnout_inclusive  # more than 60% must take part
    if failed == "repeat_election":
        for number, stations in enumerate(repeats, start=1):
            took = sum(sum(s) for s in stations.values())
            if 5 * took <= 3 * sum(REGISTERED.values()):
                continue  # fails on turnout: the next repeat election, if any
            totals = {who: sum(s[i] for s in stations.values()) for i, who in enumerate(PEOPLE)}
            top = max(totals.values())
            return f"house-r{number}", {f"house-r{number}-{w}" for w in PEOPLE if totals[w] == top}
        return "vacant", {"a repeat election is due in this district, and none is in this data"}
    return "vacant", {"is not more than 60%: the voting failed"}


votes = st.integers(0, 300)
stations = st.fixed_dictionaries(
    {s: st.tuples(votes, votes, votes, st.integers(0, 20), st.integers(0, 20)) for s in REGISTERED}
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    repeats=st.lists(stations, max_size=3), failed=st.sampled_from(["vacant", "repeat_election"])
)
@example(  # exactly 60% took part (1,230 of 2,050): not more than 60%, so it fails too
    repeats=[{"s3": (0, 0, 250, 20, 20), "s4": (300, 300, 300, 20, 20)}], failed="repeat_election"
)
def test_the_seat_follows_the_chain_of_repeat_elections(
    repeats: list[dict[str, Station]], failed: str
) -> None:
    if failed == "vacant":
        repeats = []  # a law that holds no repeat election refuses them in the data
    result = run_calendar(with_repeats(repeats), {"house": law(failed)})
    chamber = result.chambers[0]
    where, who = reference(repeats, failed)
    seats = [s for s in chamber.seats if s.contest_id.startswith(("house-d2", "house-r"))]
    vacancies = [v for v in chamber.vacancies if v.contest_id.startswith(("house-d2", "house-r"))]
    if where == "vacant":
        assert not seats
        (vacancy,) = vacancies
        assert isinstance(vacancy.decision, Failed) and vacancy.decision.cause == "turnout"
        assert any(vacancy.reason.endswith(end) for end in who)
    else:
        assert not vacancies
        (seat,) = seats
        assert seat.contest_id == where and seat.candidate_id in who
