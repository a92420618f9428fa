"""`saylau protocols check` and `relations`: the same checks as a run, file by file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.law import load_law
from tests.stages.demo import DEMO

runner = CliRunner()


def _broken_demo(tmp_path: Path) -> Path:
    """The demo election with one rejected and one flagged protocol."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    d1 = root / "protocols" / "house-d1.r1.csv"
    lines = d1.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("1000,750,700", "1000,750,690")  # received 750 ≠ 690 + 50
    d1.write_text("\n".join(lines) + "\n", encoding="utf-8")
    listed = root / "protocols" / "house-list.r1.csv"
    rows = listed.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    took = header.index("took_part")
    received, cancelled = header.index("ballots_received"), header.index("ballots_cancelled")
    # one ballot fewer issued, one more cancelled: found > issued, which the demo law flags
    cells[took] = str(int(cells[took]) - 1)
    cells[cancelled] = str(int(cells[cancelled]) + 1)
    assert int(cells[received]) == int(cells[took]) + int(cells[cancelled])
    rows[1] = ",".join(cells)
    listed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _checked(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["protocols", "check", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_check_agrees_with_run_on_every_file(tmp_path: Path) -> None:
    root = _broken_demo(tmp_path)
    run = runner.invoke(app, ["run", str(root), "--json"])
    assert run.exit_code == 0, run.output
    ran = json.loads(run.stdout)
    assert ran["rejected"] and ran["flagged"]
    files = sorted((root / "protocols").iterdir())
    for path in files:
        checked = _checked(path)
        key = (checked["contest_id"], checked["round"])
        rejected = sorted(
            r["station_id"] for r in ran["rejected"] if (r["contest_id"], r["round"]) == key
        )
        flagged = sorted(
            r["station_id"] for r in ran["flagged"] if (r["contest_id"], r["round"]) == key
        )
        assert sorted(checked["rejected"]) == rejected, path.name
        assert sorted(checked["flagged"]) == flagged, path.name
        messages = [v["message"] for v in checked["violations"]]
        from_run = [
            m
            for r in ran["rejected"] + ran["flagged"]
            if (r["contest_id"], r["round"]) == key
            for m in r["messages"]
        ]
        assert sorted(messages) == sorted(from_run), path.name
        assert checked["law"] == "demo-house" and checked["registry"] is True


def test_check_names_a_station_the_registry_does_not_know(tmp_path: Path) -> None:
    root = _broken_demo(tmp_path)
    path = root / "protocols" / "house-d3.r1.csv"
    text = path.read_text(encoding="utf-8").replace("\ns6,", "\ns99,")
    path.write_text(text, encoding="utf-8")
    checked = _checked(path)
    assert {v["code"] for v in checked["violations"]} >= {"unknown_station"}


def test_an_unknown_contest_in_an_election_directory_is_a_one_line_error(tmp_path: Path) -> None:
    root = _broken_demo(tmp_path)
    path = root / "protocols" / "house-d9.r1.csv"
    shutil.copy(root / "protocols" / "house-d1.r1.csv", path)
    result = runner.invoke(app, ["protocols", "check", str(path)])
    assert result.exit_code == 2
    assert "contest house-d9 is not in" in result.stderr


@pytest.mark.parametrize("law", ["kz-1999-majilis", "ru-2021-duma", "spb-2021-zaks"])
def test_relations_lists_the_form_of_a_law(law: str) -> None:
    result = runner.invoke(app, ["protocols", "relations", "--law", law], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    form = load_law(law).protocol
    assert form is not None
    for relation in form.relations:
        row = next(line for line in result.stdout.splitlines() if f" {relation.code} " in line)
        assert relation.severity in row
    for code in ("negative", "line_missing", "duplicate_station", "unknown_station"):
        assert code in result.stdout


def test_relations_without_a_law_lists_the_integrity_checks_and_the_laws() -> None:
    result = runner.invoke(app, ["protocols", "relations"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "add --law NAME" in result.stdout and "ru-2021-duma" in result.stdout
