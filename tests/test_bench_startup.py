"""The start-up benchmark's floor has Saylau's commands, and the benchmark runs."""

from __future__ import annotations

import re
import subprocess
import sys

import typer

from saylau.cli import app
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import startup_floor


def _commands(typer_app: typer.Typer) -> dict[str, list[str]]:
    found = typer.main.get_command(typer_app)
    assert isinstance(found, typer.core.TyperGroup)
    return {
        name: sorted(getattr(command, "commands", {}))
        for name, command in sorted(found.commands.items())
    }


def test_the_floor_has_saylaus_commands() -> None:
    assert _commands(startup_floor.app) == _commands(app)


def test_the_benchmark_prints_a_ratio_and_a_verdict_for_each_case() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_startup.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.startswith("load average at start: ")
    verdicts = re.findall(
        r"^saylau (.+?): .* ratio .* \(goal <= 1.5x\): (met|NOT met)$",
        done.stdout,
        flags=re.MULTILINE,
    )
    assert [case for case, _ in verdicts] == ["--help", "run --help"]
    assert done.returncode == (0 if all(v == "met" for _, v in verdicts) else 1)
