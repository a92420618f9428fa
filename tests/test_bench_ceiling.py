"""The ceiling benchmark runs on a small share of the 1999 protocols and its integrity
checks pass: every protocol stored once, the audit chain recomputed, the nation's totals
equal to the sum of the submissions. It needs PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT
from tests.service.postgres import require_binaries


def test_the_ceiling_benchmark_runs_and_its_integrity_checks_pass() -> None:
    require_binaries()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "service_ceiling.py"),
            "--limit",
            "4",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ceiling: 16 clients, 64 protocols, PostgreSQL"), result.stdout
    for variant in ("protocol + audit", "protocol + audit + totals"):
        assert any(line.startswith(f"{variant}: throughput") for line in lines), result.stdout
    assert lines[-1].startswith("integrity: every protocol stored once"), result.stdout
