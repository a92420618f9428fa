"""The import benchmark runs, and the importer agrees with its pandas baseline."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_import_benchmark_runs_and_agrees_with_pandas() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_import_spb.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.splitlines()
    assert "agrees: yes" in lines, result.stdout
    assert any(line.startswith("saylau / pandas") for line in lines), result.stdout
