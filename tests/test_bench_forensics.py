"""The forensics benchmark runs, and its expectation agrees with plain numpy resampling."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_forensics_benchmark_runs_and_agrees_with_its_baseline() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_forensics.py"),
            "--stations",
            "5000",
            "--draws",
            "200",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("5,000 stations"), result.stdout
    assert "agrees: yes" in lines, result.stdout
    assert any(line.startswith("saylau / numpy: ") for line in lines), result.stdout
