"""Progress: a bar for reading, checking and each stage, drawn on stderr only once the work
has taken a second, and never with --quiet."""

from __future__ import annotations

import io
import time

import pytest
from rich.console import Console
from typer.testing import CliRunner

from saylau.cli import app, progress
from saylau.pipeline.run import run
from tests.stages.demo import DEMO

runner = CliRunner()


def _terminal(monkeypatch: pytest.MonkeyPatch, after: float) -> io.StringIO:
    """Bars drawn into the returned buffer as on a terminal, `after` seconds into the work."""
    screen = io.StringIO()

    def terminal() -> Console:
        return Console(file=screen, force_terminal=True, width=100)

    monkeypatch.setattr(progress, "terminal", terminal)
    monkeypatch.setattr(progress, "SHOWN_AFTER", after)
    return screen


def test_work_shorter_than_the_delay_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch, after=60)
    with progress.progress_bar() as bar:
        bar.add_task("quick work", total=1)
    assert screen.getvalue() == ""


def test_longer_work_draws_its_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch, after=0.05)
    with progress.progress_bar() as bar:
        bar.add_task("slow work", total=1)
        deadline = time.monotonic() + 10
        while "slow work" not in screen.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    assert "slow work" in screen.getvalue()


def test_a_run_draws_its_bar_and_quiet_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch, after=0)
    quiet = runner.invoke(app, ["run", str(DEMO), "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert screen.getvalue() == ""
    shown = runner.invoke(app, ["run", str(DEMO)])
    assert shown.exit_code == 0, shown.output
    assert "reading" in screen.getvalue()


def test_protocols_check_quiet_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch, after=0)
    path = DEMO / "protocols" / "house-list.r1.csv"
    result = runner.invoke(app, ["protocols", "check", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert screen.getvalue() == ""


def test_the_calendar_names_each_stage_and_the_checking_within_it() -> None:
    labels: list[str] = []
    run(DEMO, progress=lambda label, done, total: labels.append(label))
    assert labels[0] == "registration"
    assert "round 1: checking the protocols of house-list, round 1" in labels
    assert "round 1: tabulating house-list, round 1" in labels
    assert any(label.endswith("checking the protocols of house-d2, round 2") for label in labels)
    stages = [label for label in labels if ":" not in label]
    assert stages == [
        "registration",
        "college",
        "round 1",
        "runoffs",
        "new voting",
        "repeat elections",
        "final",
    ]
