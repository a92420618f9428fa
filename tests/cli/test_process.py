"""The `saylau` command's own process: NumPy's OpenBLAS is told to start no threads before
NumPy loads, unless the environment already says how many; a library user's process is
left alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from saylau.cli.process import BLAS_THREADS, without_blas_threads
from tests.conftest import ROOT

DEMO = ROOT / "examples" / "demo-election"

RUN = """import os, sys
import saylau.cli
assert "numpy" not in sys.modules  # the setting must come before NumPy loads
sys.argv = ["saylau", "run", sys.argv[1], "--json"]
try:
    saylau.cli.main()
except SystemExit as stop:
    assert not stop.code, stop.code
assert "numpy" in sys.modules
print(os.environ.get("OPENBLAS_NUM_THREADS"), file=sys.stderr)
"""


def blas_threads_of_a_run(environment: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(DEMO)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    return done.stderr.splitlines()[-1]


def test_a_run_starts_no_blas_threads_unless_told() -> None:
    without = {k: v for k, v in os.environ.items() if k != BLAS_THREADS}
    assert blas_threads_of_a_run(without) == "1"
    assert blas_threads_of_a_run({**without, BLAS_THREADS: "2"}) == "2"


def test_the_setting_keeps_a_number_already_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BLAS_THREADS, "")  # so that the test's end restores it as it was
    monkeypatch.delenv(BLAS_THREADS)
    without_blas_threads()
    assert os.environ[BLAS_THREADS] == "1"
    monkeypatch.setenv(BLAS_THREADS, "3")
    without_blas_threads()
    assert os.environ[BLAS_THREADS] == "3"


def test_importing_saylau_leaves_the_environment_alone() -> None:
    code = "import os, saylau, saylau.cli; print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    without = {k: v for k, v in os.environ.items() if k != BLAS_THREADS}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=without
    )
    assert done.stdout.strip() == "None"
