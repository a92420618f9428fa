"""The service's load benchmark and its ceiling run on a small share of the 1999 protocols,
and their integrity checks pass. They need PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.service.postgres import require_binaries

sys.path.insert(0, str(ROOT / "bench"))
import stolen


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
    assert lines[0].startswith("16 clients, 64 protocols, PostgreSQL (-c wal_init_zero=off)")
    found = next(line for line in lines if line.startswith("integrity: 64 acknowledged"))
    assert "0 lost, 0 twice; 64 counted" in found and "0 differences" in found, found
    assert "audit chain: verifies" in found, found
    assert any(line.startswith("submit (POST /api/protocols): throughput") for line in lines)
    stolen = [line for line in lines if line.startswith("  taken by the host (steal): ")]
    assert len(stolen) == 1 and stolen[0].endswith(" s of processor time"), lines
    assert lines[-1] == "integrity: every check passed", lines


def test_the_ceiling_benchmark_runs_and_its_integrity_checks_pass() -> None:
    """Every protocol stored once, the audit chain recomputed, the nation's totals equal to
    the sum of the submissions, in both variants."""
    lines = bench("service_ceiling.py", "--limit", "4", "--repeat", "1")
    assert lines[0].startswith("ceiling: 16 clients, 64 protocols, PostgreSQL (-c wal_init_zero"), (
        lines
    )
    for variant in ("protocol + audit", "protocol + audit + totals"):
        assert any(line.startswith(f"{variant}: throughput") for line in lines), lines
    assert lines[-1].startswith("integrity: every protocol stored once"), lines


def test_the_service_against_its_ceiling_alternates_and_judges_the_goal() -> None:
    """Both sides run on the same protocols, alternating, each after a checkpoint of the
    server; each one's integrity checks pass; the ratios are printed for submission and
    verification, and the exit status is 1 exactly when the goal is said to be missed."""
    require_binaries()
    given = ["--service", "--limit", "4", "--repeat", "2"]
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "service_ceiling.py"), *given],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("service against its ceiling: 16 clients, 64 protocols"), lines
    assert "PostgreSQL (-c wal_init_zero=off)" in lines[0], "both sides on one server, alike"
    assert "load average" in lines[0], lines
    runs = [line for line in lines if line.startswith("run ")]
    order = [line.split(", ")[1].split(":")[0] for line in runs]
    assert order == ["service", "ceiling", "ceiling", "service"], lines
    assert all(line.endswith(", after a checkpoint") for line in runs), "each side alike"
    stolen = [line for line in lines if line.startswith("  taken by the host (steal): ")]
    assert len(stolen) == 4 and all(line.endswith(" s of processor time") for line in stolen)
    for what in ("submit", "verify"):
        assert any(line.startswith(f"{what}: the service: throughput") for line in lines)
    assert "integrity: every check passed, the service's and the ceiling's" in lines, lines
    met = lines[-1].endswith(") met")
    assert result.returncode == (0 if met else 1), result.stdout + result.stderr


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


def test_the_hosts_time_is_read_from_the_first_line_of_proc_stat() -> None:
    """`steal` is the eighth count of the first line, in clock ticks; a kernel that does not
    count it, or another first line, gives no figure, and the run says so."""
    tick = os.sysconf("SC_CLK_TCK")
    assert stolen.steal_seconds(f"cpu  9 0 4 88 1 0 2 {3 * tick} 0 0\ncpu0 1 2\n") == 3
    assert stolen.steal_seconds("cpu  9 0 4 88 1 0 2\n") is None
    assert stolen.steal_seconds("intr 5 0 0 0 0 0 0 0 0\n") is None
    assert stolen.steal_seconds("") is None
    assert stolen.stolen_since(None) == "taken by the host (steal): unknown"
    now = stolen.stolen_so_far()
    assert now is None or now >= 0
