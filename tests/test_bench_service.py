"""The service's load benchmark runs on a small share of the 1999 protocols, and its
integrity checks pass: every acknowledged protocol stored once and counted, the live
totals equal to a batch tabulation, the audit chain verified. It needs PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT
from tests.service.postgres import require_binaries


def test_the_service_benchmark_runs_and_its_integrity_checks_pass() -> None:
    require_binaries()
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_service.py"), "--limit", "4"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("16 clients, 64 protocols, PostgreSQL"), result.stdout
    found = next(line for line in lines if line.startswith("integrity: 64 acknowledged"))
    assert "0 lost, 0 twice; 64 counted" in found and "0 differences" in found, found
    assert "audit chain: verifies" in found, found
    assert any(line.startswith("submit (POST /api/protocols): throughput") for line in lines)
    assert lines[-1] == "integrity: every check passed", result.stdout
