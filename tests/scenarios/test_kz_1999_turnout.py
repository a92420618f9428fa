"""Regional turnout on the list ballot follows the reported pattern; round 2 just under 50%."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from saylau.protocol.lines import STATION
from saylau.registry.stations import station_rows
from tests.scenarios.helpers import SEEDS, built, outcome, total

NORTH = ("akmola", "east_kazakhstan", "kostanay", "north_kazakhstan", "pavlodar")


def turnout_by_territory(seed: int) -> dict[str, Fraction]:
    inputs = built(seed)
    territory = {s.station_id: s.territory_id for s in station_rows(inputs.election.stations)}
    registered: Counter[str] = Counter()
    took: Counter[str] = Counter()
    for row in inputs.protocols[("majilis-list", 1)].to_pylist():
        registered[territory[row[STATION]]] += row["registered"]
        took[territory[row[STATION]]] += row["took_part"]
    return {t: Fraction(took[t], registered[t]) for t in registered}


def within(value: Fraction, low: int, high: int) -> bool:
    return Fraction(low, 100) <= value <= Fraction(high, 100)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_regional_pattern(seed: int) -> None:
    turnout = turnout_by_territory(seed)
    assert within(turnout["almaty_city"], 32, 34)
    assert within(turnout["astana"], 42, 44)
    for oblast in NORTH:
        assert within(turnout[oblast], 72, 76), oblast
    for other in set(turnout) - {"almaty_city", "astana", *NORTH}:
        assert within(turnout[other], 50, 70), other
    note = " ".join(n.text for n in built(seed).notes if n.kind == "assumption")
    assert all(name in note for name in ("Akmola", "East Kazakhstan", "Pavlodar", "74%"))


@pytest.mark.parametrize("seed", SEEDS)
def test_round_two_turnout_is_just_under_half(seed: int) -> None:
    inputs = built(seed)
    tables = [inputs.protocols[(f"majilis-{d}", 2)] for d in outcome(seed).runoff]
    took = sum(total(t, "took_part") for t in tables)
    registered = sum(total(t, "registered") for t in tables)
    assert Fraction(48, 100) <= Fraction(took, registered) < Fraction(1, 2)
