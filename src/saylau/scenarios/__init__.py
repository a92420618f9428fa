"""Bundled elections as data: published figures, plus a seeded generator for the rest.

`SCENARIOS` maps a scenario's name to its builder, which returns the `ElectionInputs` of a
run. Every builder takes a `seed` (the same seed gives the same inputs) and names what it
generated in `ElectionInputs.generated`, with a note for each part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, Protocol

from saylau.inputs import ElectionInputs
from saylau.registry.facts import ElectionFacts
from saylau.scenarios.kz_1999 import build_kz_1999
from saylau.scenarios.kz_1999.registry import facts as kz_1999_facts


class ScenarioBuilder(Protocol):
    """Builds a scenario's inputs from a seed; `stations_per_district` overrides the default."""

    def __call__(
        self, seed: int = ..., stations_per_district: int | None = ...
    ) -> ElectionInputs: ...


SCENARIOS: Final[Mapping[str, ScenarioBuilder]] = {"kz-1999": build_kz_1999}

FACTS: Final[Mapping[str, Callable[[], ElectionFacts]]] = {"kz-1999": kz_1999_facts}
"""The infobox facts of a scenario (leaders, the chairman before and after), by its name."""

__all__ = ["FACTS", "SCENARIOS", "ScenarioBuilder", "build_kz_1999"]
