"""`saylau run DIR --json`, the command the national benchmark times as a whole process,
loads only what a run of an election directory uses: its start-up is a third of the run
at 100,000 stations (docs/scaling.md). Rich is loaded only by a bar drawn after a second."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from saylau.cli.process import COLLECTING_THRESHOLD, collecting_seldom, frozen_start
from tests.conftest import ROOT

DEMO = ROOT / "examples" / "demo-election"

NOT_USED = (
    "saylau.scenarios.kz_1999",
    "saylau.importers.spb2021.city",
    "saylau.importers.spb2021.duma",
    "saylau.analysis.compare",
    "saylau.analysis.forensics",
    "saylau.report",
    "saylau.pipeline.bundle",
    "saylau.io.bundle",
    "saylau.service",
    "rich",
    "babel",
    "jinja2",
    "numpy.ma",
)
"""Modules a run of a directory printed as JSON has no use for."""

NOT_USED_BY_A_GROUPING = ("pyarrow.acero", "pyarrow.dataset", "pyarrow._dataset")
"""Arrow's grouping runs without pyarrow.acero, which would load pyarrow.dataset."""

NOT_USED_BY_SPB_2021 = (
    *(m for m in NOT_USED if m != "saylau.importers.spb2021.city"),
    *NOT_USED_BY_A_GROUPING,
    "saylau.io.election.read",
    "saylau.io.election.config",
    "saylau.io.protocols",
    "pyarrow.parquet",
    "pyarrow.fs",
)
"""Modules a run of the St Petersburg files (gzipped CSV, read by their importer) printed as
JSON has no use for: no election directory, no Parquet."""

LOADED = """import json, sys
from saylau.cli import main
sys.argv = ["saylau", "run", sys.argv[1], "--json"]
try:
    main()
except SystemExit as stop:
    assert not stop.code, stop.code
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_by_run(election: str) -> list[str]:
    """The modules loaded by `saylau run ELECTION --json`, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, election],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["election"], done.stdout[:200]
    loaded: list[str] = json.loads(done.stderr.splitlines()[-1])
    assert "saylau.stages.counting" in loaded
    return loaded


def among(loaded: list[str], unused: tuple[str, ...]) -> list[str]:
    return [m for m in loaded if m in unused or m.startswith(tuple(f"{n}." for n in unused))]


NOT_USED_BY_CSV = ("pyarrow.parquet", "pyarrow.fs")
"""A directory whose protocol files are all CSV has no use for Parquet."""


def test_a_run_of_a_directory_loads_only_what_it_uses() -> None:
    assert all(path.suffix == ".csv" for path in (DEMO / "protocols").iterdir())
    unused = (*NOT_USED, *NOT_USED_BY_A_GROUPING, *NOT_USED_BY_CSV)
    assert among(loaded_by_run(str(DEMO)), unused) == []


def test_a_run_of_the_st_petersburg_files_loads_only_what_it_uses() -> None:
    loaded = loaded_by_run("spb-2021")
    assert "saylau.importers.spb2021.city" in loaded
    assert among(loaded, NOT_USED_BY_SPB_2021) == []


def test_the_collector_is_held_back_for_the_whole_command() -> None:
    before = gc.get_threshold()
    collecting_seldom()
    try:
        assert gc.get_threshold() == (COLLECTING_THRESHOLD, *before[1:])
        frozen_start()
        gc.unfreeze()
        assert gc.get_threshold() == (COLLECTING_THRESHOLD, *before[1:])
    finally:
        gc.set_threshold(*before)
