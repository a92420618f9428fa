"""The service's load benchmark and its ceiling run on a small share of the 1999 protocols,
and their integrity checks pass. They need PostgreSQL."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from contextlib import nullcontext
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.service.postgres import require_binaries

sys.path.insert(0, str(ROOT / "bench"))
import service_ceiling
import stolen
from service_load import Phase


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
    runs = [line for line in lines if line.startswith("run ") and "disturbed" not in line]
    order = [line.split(", ")[1].split(":")[0] for line in runs]
    pairs = len(order) // 2  # a disturbed run is run again, as the next pair
    assert 2 <= pairs <= 4, lines
    assert order == ["service", "ceiling", "ceiling", "service"] * (pairs // 2) + [
        "service",
        "ceiling",
    ] * (pairs % 2), lines
    assert all(line.endswith(", after a checkpoint") for line in runs), "each side alike"
    stolen = [line for line in lines if line.startswith("  taken by the host (steal): ")]
    assert len(stolen) == 2 * pairs and all(
        line.endswith(" s of processor time") for line in stolen
    )
    counted = pairs - sum(line.endswith("it does not count, and is run again") for line in lines)
    for what in ("submit", "verify"):  # the medians of the runs counted, if any
        said = any(line.startswith(f"{what}: the service: throughput") for line in lines)
        assert said == (counted > 0), lines
    assert "integrity: every check passed, the service's and the ceiling's" in lines, lines
    status = 0 if lines[-1].endswith(") met") else 1 if " NOT met: " in lines[-1] else 2
    assert result.returncode == status, result.stdout + result.stderr


def _measured(rate: float) -> Phase:
    """A phase of 100 requests at `rate` a second, each as long as the others."""
    return Phase(wall=100 / rate, latencies=[1 / rate] * 100, statuses=[201] * 100, bodies=[])


@pytest.mark.parametrize(
    ("taken", "counted", "status", "verdict"),
    [
        ([0.0] * 6, 3, 1, ") NOT met: verify 0.50x the ceiling's throughput, p99 2.00x"),
        ([0.0, 9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 3, 1, ") NOT met: verify"),
        ([9.0, 0.0] * 6, 0, 2, "): no verdict, 0 of 3 runs undisturbed"),
        ([0.0, 0.0, 9.0, 0.0, 0.0, 9.0, 9.0, 0.0, 0.0, 0.0, 0.0, 9.0], 2, 2, "2 of 3 runs"),
    ],
)
def test_a_run_the_host_disturbed_is_run_again_and_too_many_give_no_verdict(
    taken: list[float], counted: int, status: int, verdict: str, monkeypatch: Any, capsys: Any
) -> None:
    """A pair of runs in which the host took more than 2% of either side's processor time
    is printed and run again, `--repeat` pairs more at most; the verdict is judged on the
    undisturbed pairs alone, and with fewer than `--repeat` of them there is none (exit
    2), whatever the figures."""
    seconds = iter(float(n) for n in range(0, 1000, 10))  # each side takes 10 s
    monkeypatch.setattr(service_ceiling, "monotonic", lambda: next(seconds))
    steals = iter(taken)
    monkeypatch.setattr(service_ceiling, "taken_since", lambda _: next(steals))
    monkeypatch.setattr(service_ceiling, "stolen_so_far", lambda: 0.0)
    monkeypatch.setattr(service_ceiling, "checkpointed", lambda _: None)
    monkeypatch.setattr(service_ceiling.postgres, "server", lambda _: nullcontext("base"))
    monkeypatch.setattr(service_ceiling.os, "cpu_count", lambda: 2)
    sides = {"service": [1000.0, 500.0], "ceiling": [1000.0, 1000.0]}
    monkeypatch.setattr(
        service_ceiling,
        "service_run",
        lambda *_: ([_measured(1000.0)] + [_measured(r) for r in sides["service"]], []),
    )
    monkeypatch.setattr(
        service_ceiling,
        "ceiling_run",
        lambda *_: ([_measured(1000.0)] + [_measured(r) for r in sides["ceiling"]], []),
    )
    monkeypatch.setattr(service_ceiling, "places", dict)
    args = argparse.Namespace(repeat=3, workers=2, processes=2)
    with pytest.raises(SystemExit) as exited:
        service_ceiling.against_service(args, {"t": [{}]})
    lines = capsys.readouterr().out.splitlines()
    assert exited.value.code == status, lines
    assert verdict in lines[-1], lines
    assert next(steals, None) is None, "every pair ran that the rule asks for"
    disturbed = [line for line in lines if line.endswith("does not count, and is run again")]
    assert len(disturbed) == len(taken) // 2 - counted, lines
    if disturbed:
        assert f"{len(disturbed)} disturbed runs left out, {counted} counted" in lines, lines


def test_a_side_is_disturbed_when_the_host_took_over_two_percent_of_its_time() -> None:
    """2% of the side's wall time on every processor; a time not counted is no reason."""
    assert not service_ceiling.disturbed(None, 10.0)
    assert not service_ceiling.disturbed(0.0, 10.0)
    cpus = os.cpu_count() or 1
    assert not service_ceiling.disturbed(0.02 * 10.0 * cpus, 10.0)
    assert service_ceiling.disturbed(0.02 * 10.0 * cpus + 0.01, 10.0)


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
    assert stolen.taken_since(None) is None
    assert stolen.stolen_line(1.25) == "taken by the host (steal): 1.2 s of processor time"
    now = stolen.stolen_so_far()
    assert now is None or now >= 0
