"""The guide to writing a law (docs/law-files.md): every TOML example in it is valid law,
section by section, and the settings issue 21 added each have an example there."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from saylau.law.schema import Law
from tests.conftest import ROOT
from tests.law.test_every_setting import _models

GUIDE = ROOT / "docs" / "law-files.md"
BLOCKS = re.findall(r"```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)

NEW_SETTINGS = (
    "list_tier.threshold.coalition_share",
    "list_tier.threshold.coalition_by_members",
    "list_tier.admission",
    "list_tier.preferences",
    "district_tier.validity",
    "district_tier.uncontested",
    "district_tier.runoff.min_round1_candidates",
    "district_tier.runoff.tie_by_round1",
    "district_tier.runoff.single_candidate",
    "district_tier.failed",
)
"""The settings of the law format that issue 21 added, each needing an example."""


def _check(model: type[BaseModel], table: dict[str, Any], path: str) -> None:
    """A table whose keys are all sections of `model` is checked section by section; any
    other is validated whole, as the model."""
    fields = model.model_fields
    inner = {k: _models(fields[k].annotation) for k in table if k in fields}
    if table and all(inner.get(k) for k in table):
        for key, value in table.items():
            for item in value if isinstance(value, list) else [value]:
                _check(inner[key][0], item, f"{path}.{key}")
        return
    model.model_validate(table)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{n}" for n in range(len(BLOCKS))])
def test_every_example_is_valid_law(block: str) -> None:
    _check(Law, tomllib.loads(block), "")


def _paths(table: dict[str, Any], prefix: str = "") -> set[str]:
    found = set()
    for key, value in table.items():
        path = f"{prefix}{key}"
        found.add(path)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                found |= _paths(item, f"{path}.")
    return found


def test_every_new_setting_has_an_example() -> None:
    shown = set().union(*(_paths(tomllib.loads(block)) for block in BLOCKS))
    missing = [setting for setting in NEW_SETTINGS if setting not in shown]
    assert not missing, f"docs/law-files.md has no example of {missing}"


def test_a_broken_example_would_be_caught() -> None:
    with pytest.raises(ValidationError, match="float"):
        _check(Law, tomllib.loads('[[district_tier.uncontested]]\nshare = 0.5\nbase = "valid"'), "")
    with pytest.raises(ValidationError, match="min_round1_candidates"):
        _check(Law, tomllib.loads("[district_tier.runoff]\nmin_round1_candidates = 0"), "")
