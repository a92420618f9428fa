"""`saylau compare`: the table, the JSON and the CSV, on 1999, St Petersburg and a directory."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import ROOT

runner = CliRunner()
DEMO = str(ROOT / "examples" / "demo-election")


def compare_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_json_has_one_row_per_law_and_marks_the_real_one() -> None:
    data = compare_json("kz-1999", "--method", "hare,dhondt,sainte-lague", "--threshold", "0,3,5,7")
    rows = data["rows"]
    assert len(rows) == 12
    assert [(r["method"], r["threshold"]) for r in rows[:4]] == [
        ("hare", 0),
        ("hare", 3),
        ("hare", 5),
        ("hare", 7),
    ]
    assert [r["real"] for r in rows].count(True) == 1
    (real,) = [r for r in rows if r["real"]]
    assert (real["method"], real["threshold"], real["district_rule"]) == (
        "hare",
        7,
        "absolute_majority",
    )
    assert {p: real["list_seats"][p] for p in ("otan", "communist", "agrarian", "civic")} == {
        "otan": 4,
        "communist": 2,
        "agrarian": 2,
        "civic": 2,
    }
    assert real["total_seats"]["otan"] == 23 and sum(real["total_seats"].values()) == 77
    assert real["gallagher"] == 8.68 and real["loosemore_hanby"] == 16.35
    assert real["exact"]["wasted_below_threshold"] == str(Fraction(709_902, 5_253_864))
    dhondt = next(r for r in rows if r["method"] == "dhondt" and r["threshold"] == 7)
    assert dhondt["list_seats"]["otan"] == 5 and dhondt["real"] is False
    assert dhondt["changes"] == [
        {
            "setting": "method",
            "from": "hare",
            "to": "dhondt",
            "total_seats": {"civic": -1, "otan": 1},
            "list_seats": {"civic": -1, "otan": 1},
            "districts": [],
            "error": None,
        }
    ]
    for row in rows:
        assert {"method", "threshold", "list_seats", "total_seats", "real"} <= row.keys()


def test_a_fractional_threshold_is_a_number_in_the_json() -> None:
    (real, half) = compare_json("kz-1999", "--threshold", "7.5")["rows"]
    assert real["real"] and half["threshold"] == 7.5 and half["threshold_share"] == "3/40"


@pytest.mark.parametrize("election", ["spb-2021", "spb-2021-duma", DEMO])
def test_compare_runs_on_real_elections_and_a_directory(election: str) -> None:
    data = compare_json(
        election,
        "--method",
        "hare,dhondt",
        "--threshold",
        "0,5",
        "--district-rule",
        "plurality,absolute_majority",
    )
    assert len(data["rows"]) in (8, 9)
    assert [r["real"] for r in data["rows"]].count(True) == 1
    assert all(r["error"] is None for r in data["rows"])


def test_the_text_table_and_the_exports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["compare", "kz-1999", "--method", "hare,dhondt", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "hare 7% (real)" in result.output
    assert "method hare -> dhondt: otan +1, civic -1" in result.output
    with (out / "compare.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["method"], r["real"]) for r in rows] == [("hare", "true"), ("dhondt", "false")]
    assert rows[1]["list_seats.otan"] == "5" and rows[1]["total_seats.otan"] == "24"
    assert rows[1]["changes"] == "method hare -> dhondt: otan +1, civic -1"
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert data["rows"][1]["list_seats"]["otan"] == 5


def test_bad_options_are_one_line_errors() -> None:
    result = runner.invoke(app, ["compare", "kz-1999", "--threshold", "seven"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: --threshold 'seven': not a percentage (write 7 or 7.5)"
    )
    result = runner.invoke(app, ["compare", "kz-1999", "--method", "hondt"])
    assert result.exit_code == 2 and result.output.startswith("error: --method 'hondt'")


def test_the_guides_table_is_what_the_command_prints() -> None:
    readme = (ROOT / "docs" / "counterfactuals.md").read_text(encoding="utf-8")
    command = "saylau compare kz-1999 --method hare,dhondt,sainte-lague --threshold 0,3,5,7"
    block = readme.split(command, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    printed = runner.invoke(app, command.split()[1:])
    assert printed.exit_code == 0, printed.output
    lines = [line.rstrip() for line in printed.output.splitlines()]
    shown = [line for line in block.splitlines() if line.strip() and line.strip() != "..."]
    assert len(shown) > 20
    for line in shown:
        assert line.rstrip() in lines, line
