"""The tabulation benchmark runs, and Saylau's totals agree with its pandas baseline."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_tabulation_benchmark_runs_and_agrees_with_its_baseline() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_tabulate.py"),
            "--stations",
            "20000",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("20,000 stations"), result.stdout
    assert "agrees: yes" in lines, result.stdout
    assert any(line.startswith("saylau / pandas: ") for line in lines), result.stdout
