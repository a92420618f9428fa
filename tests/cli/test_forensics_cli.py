"""`saylau forensics`: the report, the JSON, the files, on 1999, St Petersburg and a directory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import ROOT

runner = CliRunner()
DEMO = str(ROOT / "examples" / "demo-election")


def forensics_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["forensics", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("election", ["kz-1999", "spb-2021", "spb-2021-duma", DEMO])
def test_the_integer_percent_shape(election: str) -> None:
    test = forensics_json(election, "--draws", "200")["integer_percent"]
    assert isinstance(test["stations_included"], int)
    for key in ("observed", "expected", "excess", "spread"):
        assert set(test[key]) == {"turnout", "share", "either"}
    for part in ("turnout", "share", "either"):
        assert test["excess"][part] == pytest.approx(
            test["observed"][part] - test["expected"][part], abs=2e-3
        )
    assert test["draws"] == 200 and test["seed"] == 2016
    assert "42.95%" in test["integer"]


def test_generated_data_is_said_at_the_top() -> None:
    data = forensics_json("kz-1999", "--draws", "50")
    assert data["generated"] is True and data["warning"].startswith("GENERATED DATA")
    assert next(iter(data)) == "warning"
    text = runner.invoke(app, ["forensics", "kz-1999", "--draws", "50"])
    assert text.exit_code == 0, text.output
    assert text.output.lstrip().startswith("GENERATED DATA")
    assert "does not prove" in text.output


def test_the_report_names_each_finding() -> None:
    result = runner.invoke(app, ["forensics", "spb-2021-duma", "--draws", "100"])
    assert result.exit_code == 0, result.output
    for heading in (
        "1. Turnout-share fingerprint",
        "2. Integer percentages",
        "3. Last digits",
        "4. Turnout by district",
        "Kobak, Shpilkin and Pshenichnikov",
        "42.95%",
    ):
        assert heading in result.output
    assert "GENERATED" not in result.output


def test_out_writes_the_files_and_the_figure_is_the_same_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        result = runner.invoke(app, ["forensics", DEMO, "--draws", "20", "--out", str(folder)])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in first.iterdir())
    assert names == [
        "fingerprint.csv",
        "fingerprint.png",
        "fingerprint.svg",
        "forensics.json",
        "stations.csv",
        "turnout_by_area.csv",
    ]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "fingerprint.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (first / "fingerprint.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--contest", "nowhere"], "error: --contest nowhere: not a contest"),
        (["--list", "purple"], "error: --list purple: not on the ballot"),
        (["--by", "street"], "error: --by 'street'"),
        (["--draws", "1"], "error: --draws 1"),
        (
            ["--draws", "2000000000"],
            "error: --draws 2,000,000,000: more than the limit of 1,000,000 resamples",
        ),
    ],
)
def test_bad_options_are_one_line_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["forensics", DEMO, *args])
    assert result.exit_code == 2
    assert result.output.startswith(message) and len(result.output.strip().splitlines()) == 1


TABLE = ("┃", "┡", "│", "└")
"""How the lines of a printed table start."""


def test_the_guides_integer_table_is_what_the_command_prints() -> None:
    readme = (ROOT / "docs" / "forensics.md").read_text(encoding="utf-8")
    part = readme.split("2. **Integer percentages**", 1)[1]
    block = part.split("```text\n", 1)[1].split("```", 1)[0]
    printed = runner.invoke(app, ["forensics", "spb-2021-duma"])
    assert printed.exit_code == 0, printed.output
    lines = [line.strip() for line in printed.output.splitlines()]
    shown = [line.strip() for line in block.splitlines() if line.strip().startswith(TABLE)]
    assert len(shown) == 8
    for line in shown:
        assert line in lines, line
    assert (ROOT / "docs" / "forensics-spb-2021-duma.png").stat().st_size < 200_000
    assert "](forensics-spb-2021-duma.png)" in readme


def test_too_few_stations_are_said_and_nothing_is_described_that_was_not_found(
    tmp_path: Path,
) -> None:
    election = tmp_path / "demo"
    shutil.copytree(DEMO, election)
    protocols = election / "protocols" / "house-list.r1.csv"
    lines = protocols.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at = header.index("registered")
    rows = [row.split(",") for row in lines[1:]]
    for row in rows:
        row[at] = "1"  # breaks the ballot balance: every list protocol is rejected
    protocols.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n")
    none = runner.invoke(app, ["forensics", str(election), "--draws", "50"])
    assert none.exit_code == 0, none.output
    text = " ".join(none.output.split())
    assert "6 rejected and left out" in text
    assert "the first on the ballot: no protocol was accepted, so no vote was counted" in text
    assert "too few stations for a shape to read (it needs 100)" in text
    assert "no station to test: nothing to show" in text
    assert "densest bin" not in text and "the most votes" not in text
    few = runner.invoke(app, ["forensics", DEMO, "--draws", "50", "--json"])
    found = json.loads(few.stdout)
    assert found["fingerprint"]["too_few_stations"] is True
    assert found["integer_percent"]["too_few_stations"] is True
    shown = runner.invoke(app, ["forensics", DEMO, "--draws", "50"])
    assert "too few stations for the test (it needs 100): do not read its excess" in " ".join(
        shown.output.split()
    )
    large = forensics_json("spb-2021-duma", "--draws", "50")
    assert large["fingerprint"]["too_few_stations"] is False
    assert large["integer_percent"]["too_few_stations"] is False
