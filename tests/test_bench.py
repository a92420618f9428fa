"""The benchmark runs, and its float baseline gives the same seats as the exact methods."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_allocation_benchmark_runs_and_agrees_with_its_baseline() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_allocate.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    rows = [line for line in result.stdout.splitlines() if line.endswith(("yes", "NO"))]
    assert len(rows) == 11
    assert all(row.endswith("yes") for row in rows), result.stdout
