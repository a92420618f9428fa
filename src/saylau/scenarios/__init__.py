"""Bundled elections as data: published figures, plus a seeded generator for the rest.

`SCENARIOS` maps a scenario's name to its builder, which returns the `ElectionInputs` of a
run. Every builder takes a `seed` (the same seed gives the same inputs) and names what it
generated in `ElectionInputs.generated`, with a note for each part.

A scenario's own modules are loaded when it is built, so that a run of an election
directory, which only asks whether its name is a scenario's, loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

from saylau.inputs import ElectionInputs
from saylau.registry.facts import ElectionFacts

if TYPE_CHECKING:
    from saylau.scenarios.kz_1999 import build_kz_1999

T = TypeVar("T")


class ScenarioBuilder(Protocol):
    """Builds a scenario's inputs from a seed; `stations_per_district` overrides the default."""

    def __call__(
        self, seed: int = ..., stations_per_district: int | None = ...
    ) -> ElectionInputs: ...


class _ByName(Mapping[str, T]):
    """Values by name, each loaded from its module (module, attribute) when first asked for."""

    def __init__(self, places: dict[str, tuple[str, str]]) -> None:
        self._places = places

    def __getitem__(self, name: str) -> T:
        module, attribute = self._places[name]
        found: T = getattr(import_module(module), attribute)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


SCENARIOS: Final[Mapping[str, ScenarioBuilder]] = _ByName(
    {"kz-1999": ("saylau.scenarios.kz_1999", "build_kz_1999")}
)

FACTS: Final[Mapping[str, Callable[[], ElectionFacts]]] = _ByName(
    {"kz-1999": ("saylau.scenarios.kz_1999.registry", "facts")}
)
"""The infobox facts of a scenario (leaders, the chairman before and after), by its name."""


def __getattr__(name: str) -> object:
    """`build_kz_1999`, loaded when first asked for."""
    if name == "build_kz_1999":
        return SCENARIOS["kz-1999"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FACTS", "SCENARIOS", "ScenarioBuilder", "build_kz_1999"]
