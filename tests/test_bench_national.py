"""The national benchmark runs its three tools as whole processes under GNU time, they agree
on every total at every level, from CSV, CSV.gz and Parquet; on the real St Petersburg files
Saylau and the DuckDB script agree on the totals, the seats and the winners; and its exit
status is its verdict."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_national_benchmark_runs_and_all_three_agree() -> None:
    script = str(ROOT / "bench" / "bench_national.py")
    result = subprocess.run(
        [sys.executable, script, "--stations", "20000", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1), result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("load average at start: ")
    agree = [line for line in lines if "all three agree on every total" in line]
    assert len(agree) == 3, result.stdout
    assert "225 districts, 16 territories and the nation" in agree[0]
    real = [line for line in lines if line.startswith("  both agree on the city's totals")]
    assert real == [
        "  both agree on the city's totals, the votes and seats of 6 lists and the winners of "
        "25 districts (0 protocols rejected, 1 flagged)"
    ], result.stdout
    for tool, rows in (("saylau", 4), ("duckdb", 4), ("pandas", 3)):
        assert sum(line.split()[0] == tool for line in lines[1:] if line.split()) == rows
    verdicts = re.findall(r"^  saylau: .*: (met|NOT met)$", result.stdout, flags=re.MULTILINE)
    assert len(verdicts) == 4, result.stdout
    assert result.returncode == (0 if set(verdicts) == {"met"} else 1)
    forms = re.findall(r"^20,000 stations, protocols as (\S+) ", result.stdout, re.MULTILINE)
    assert forms == ["csv", "csv.gz", "parquet"]
