"""The invented demo election of examples/, loaded for stage tests, and ways to alter it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from saylau.inputs import ElectionInputs
from saylau.io.election.read import law_path, read_election_dir
from saylau.law.loader import load_law
from saylau.law.schema import Law
from saylau.results import ElectionResult
from saylau.stages.calendar import run_calendar
from tests.conftest import ROOT

DEMO = ROOT / "examples" / "demo-election"


def demo_inputs() -> ElectionInputs:
    return read_election_dir(DEMO)


def demo_laws(root: Path = DEMO) -> dict[str, Law]:
    return {"house": load_law(law_path(root, "law/demo-house.toml"))}


def run_demo(inputs: ElectionInputs | None = None) -> ElectionResult:
    return run_calendar(inputs or demo_inputs(), demo_laws())


def with_cell(
    inputs: ElectionInputs, key: tuple[str, int], station: str, column: str, value: int
) -> ElectionInputs:
    """The inputs with one protocol cell changed."""
    table = inputs.protocols[key]
    position = table.column("station_id").to_pylist().index(station)
    values = table.column(column).to_pylist()
    values[position] = value
    index = table.schema.get_field_index(column)
    changed = table.set_column(index, column, pa.array(values, pa.int64()))
    return dataclasses.replace(inputs, protocols={**inputs.protocols, key: changed})


def without_station(inputs: ElectionInputs, key: tuple[str, int], station: str) -> ElectionInputs:
    table = inputs.protocols[key]
    kept = table.filter(pc.not_equal(table.column("station_id"), station))
    return dataclasses.replace(inputs, protocols={**inputs.protocols, key: kept})


def with_registry(inputs: ElectionInputs, **changes: Any) -> ElectionInputs:
    election = dataclasses.replace(inputs.election, **changes)
    return dataclasses.replace(inputs, election=election)
