"""What the report tests share: running `saylau report`, Chromium or a clear reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.report.chromium import find_chromium


def report(out: Path, *args: str) -> str:
    """`saylau report ARGS --out OUT`; the page's text."""
    result = CliRunner().invoke(app, ["report", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return (out / "report.html").read_text(encoding="utf-8")


def need_chromium() -> None:
    """Skip without Chromium, with the reason; under CI (CI=true) fail instead."""
    if find_chromium() is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing under CI=true; .ci/run installs it with apt-get")
    pytest.skip("Chromium is not installed here (apt-get install -y chromium)")
