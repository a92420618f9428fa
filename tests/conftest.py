"""Shared test settings: where the project's data lives, hypothesis profiles, and the longest
tests first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

settings.register_profile(
    "ci", max_examples=200, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

FIRST = "replay_full"
"""The group of the longest tests (a whole night replayed): started first, so that under
`pytest -n auto --dist loadgroup` one worker plays it while the others take the rest."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def longest_first(item: pytest.Item) -> int:
        group = item.get_closest_marker("xdist_group")
        return 0 if group is not None and group.args == (FIRST,) else 1

    items.sort(key=longest_first)  # stable: the rest keep their order
