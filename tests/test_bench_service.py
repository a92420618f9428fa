"""The service's load benchmark and its ceiling run on a small share of the 1999 protocols,
and their integrity checks pass. They need PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.service.postgres import require_binaries


def bench(script: str, *args: str) -> list[str]:
    """The lines `bench/<script>` printed; it must have exited with status 0."""
    require_binaries()
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_the_service_benchmark_runs_and_its_integrity_checks_pass() -> None:
    """Every acknowledged protocol stored once and counted, the live totals equal to a
    batch tabulation, the audit chain verified."""
    lines = bench("bench_service.py", "--limit", "4")
    assert lines[0].startswith("16 clients, 64 protocols, PostgreSQL"), lines
    found = next(line for line in lines if line.startswith("integrity: 64 acknowledged"))
    assert "0 lost, 0 twice; 64 counted" in found and "0 differences" in found, found
    assert "audit chain: verifies" in found, found
    assert any(line.startswith("submit (POST /api/protocols): throughput") for line in lines)
    assert lines[-1] == "integrity: every check passed", lines


def test_the_ceiling_benchmark_runs_and_its_integrity_checks_pass() -> None:
    """Every protocol stored once, the audit chain recomputed, the nation's totals equal to
    the sum of the submissions, in both variants."""
    lines = bench("service_ceiling.py", "--limit", "4", "--repeat", "1")
    assert lines[0].startswith("ceiling: 16 clients, 64 protocols, PostgreSQL"), lines
    for variant in ("protocol + audit", "protocol + audit + totals"):
        assert any(line.startswith(f"{variant}: throughput") for line in lines), lines
    assert lines[-1].startswith("integrity: every protocol stored once"), lines


@pytest.mark.parametrize("script", ["bench_service.py", "service_ceiling.py"])
@pytest.mark.parametrize("given", [["--repeat", "0"], ["--limit", "x"], ["--workers", "-1"]])
def test_a_count_that_is_not_one_is_refused_in_a_line(script: str, given: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *given],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert f"argument {given[0]}: {given[1]!r} is not a whole number of at least 1" in last
