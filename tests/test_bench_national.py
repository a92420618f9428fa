"""The national benchmark runs its three tools as whole processes, and they agree on every
total at every level, from CSV and from Parquet."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_national_benchmark_runs_and_all_three_agree() -> None:
    script = str(ROOT / "bench" / "bench_national.py")
    result = subprocess.run(
        [sys.executable, script, "--stations", "20000", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.splitlines()
    agree = [line for line in lines if "all three agree on every total" in line]
    assert len(agree) == 2, result.stdout
    assert "225 districts, 16 territories and the nation" in agree[0]
    for tool in ("saylau", "duckdb", "pandas"):
        assert sum(line.split()[0] == tool for line in lines) == 2, result.stdout
    assert sum(line.startswith("  saylau: ") for line in lines) == 2, result.stdout
