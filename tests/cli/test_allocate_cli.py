"""`saylau allocate`: the table, the JSON, and one-line errors that name the row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import ROOT

runner = CliRunner()
KZ_VOTES = ROOT / "examples" / "kz-1999-list-votes.csv"
DUMA_VOTES = ROOT / "examples" / "ru-2021-duma-list-votes.csv"


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_1999_by_the_law_prints_the_table() -> None:
    result = runner.invoke(
        app, ["allocate", str(KZ_VOTES), "--law", "kz-1999-majilis", "--base", "5253864"]
    )
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert rows["otan"].rstrip(" │").endswith("4")
    assert "30.89" in rows["otan"]
    assert rows["azamat"].rstrip(" │").endswith("0")
    assert "Hare quota: 380,897.9" in result.stdout
    assert "367,770.48 votes" in result.stdout


def test_json_maps_every_party_to_seats_with_the_explanation() -> None:
    result = runner.invoke(
        app,
        ["allocate", str(KZ_VOTES), "--law", "kz-1999-majilis", "--base", "5253864", "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seats"] == {
        "agrarian": 2, "alash": 0, "azamat": 0, "civic": 2, "communist": 2,
        "congress": 0, "labour": 0, "otan": 4, "revival": 0,
    }  # fmt: skip
    explanation = data["explanation"]
    assert explanation["quota"]["quota"] == "3808979/10"
    assert explanation["threshold"]["base_value"] == 5253864
    assert [a["party_id"] for a in explanation["awards"] if a["reason"] == "remainder"] == [
        "agrarian",
        "civic",
    ]
    assert any("Hare quota" in line for line in explanation["text"])


def test_method_seats_and_threshold_by_hand(tmp_path: Path) -> None:
    votes = _write(tmp_path, "party,votes\nA,100\nB,80\nC,30\nD,20\n")
    result = runner.invoke(
        app, ["allocate", votes, "--seats", "8", "--method", "sainte-lague", "--json"]
    )
    assert json.loads(result.stdout)["seats"] == {"A": 3, "B": 3, "C": 1, "D": 1}
    cut = runner.invoke(
        app,
        ["allocate", votes, "--seats", "8", "--method", "sainte-lague", "--threshold", "10",
         "--json"],
    )  # fmt: skip
    assert json.loads(cut.stdout)["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_base_makes_the_threshold_a_share_of_that_number(tmp_path: Path) -> None:
    votes = _write(tmp_path, "party,votes\nA,60\nB,40\n")
    args = ["allocate", votes, "--seats", "5", "--method", "dhondt", "--threshold", "45"]
    share_of_votes = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert share_of_votes["seats"] == {"A": 5, "B": 0}
    share_of_base = runner.invoke(app, [*args, "--base", "200", "--json"])
    assert share_of_base.exit_code == 2
    assert "5 seat(s) to give, but none of the 2 list(s) qualified (2 received votes)" in (
        share_of_base.stderr
    )


def test_duma_2021_by_the_law_gives_the_official_list_seats() -> None:
    """--base is the law's threshold base, here the ballots found (data/ru-2021-duma)."""
    args = ["allocate", str(DUMA_VOTES), "--law", "ru-2021-duma", "--base", "56329690"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {party: seats for party, seats in data["seats"].items() if seats} == {
        "United Russia": 126, "CPRF": 48, "LDPR": 19, "A Just Russia – For Truth": 19,
        "New People": 13,
    }  # fmt: skip
    threshold = data["explanation"]["threshold"]
    assert (threshold["base"], threshold["base_value"]) == ("ballots_found", 56_329_690)
    table = runner.invoke(app, args)
    rows = {line.split("│")[1].strip(): line for line in table.stdout.splitlines() if "│" in line}
    assert "% of ballots_found" in table.stdout
    assert "49.82" in rows["United Russia"]


@pytest.mark.parametrize("base", ["took_part", "ballots_found", "valid"])
def test_base_is_whichever_base_the_laws_threshold_names(tmp_path: Path, base: str) -> None:
    text = (ROOT / "src" / "saylau" / "law" / "bundled" / "ru-2021-duma.toml").read_text("utf-8")
    law = tmp_path / "law.toml"
    law.write_text(text.replace('\nbase = "ballots_found"', f'\nbase = "{base}"'), encoding="utf-8")
    args = ["allocate", str(DUMA_VOTES), "--law", str(law), "--base", "56329690", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    threshold = json.loads(result.stdout)["explanation"]["threshold"]
    assert (threshold["base"], threshold["base_value"]) == (base, 56_329_690)


def test_coalition_threshold_and_registration_order(tmp_path: Path) -> None:
    votes = _write(
        tmp_path,
        "party,votes,kind,registration_order\nA,150,party,2\nB,150,party,1\nC,100,coalition,3\n",
    )
    result = runner.invoke(
        app,
        ["allocate", votes, "--seats", "1", "--method", "hare", "--threshold", "5",
         "--coalition-threshold", "30", "--tie-break", "registration_order", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seats"] == {"A": 0, "B": 1, "C": 0}
    assert data["explanation"]["ties"][0]["rule"] == "registration_order"


def test_strict_applies_to_the_law_threshold(tmp_path: Path) -> None:
    # 7% of 1,000 is exactly 70: "or more" admits A, "more than" does not.
    votes = _write(tmp_path, "party,votes\nA,70\nB,400\nC,530\n")
    args = ["allocate", votes, "--law", "kz-1999-majilis", "--base", "1000", "--json"]
    inclusive = json.loads(runner.invoke(app, args).stdout)
    strict = json.loads(runner.invoke(app, [*args, "--strict"]).stdout)
    assert inclusive["seats"]["A"] == 1
    assert strict["seats"]["A"] == 0
    assert strict["explanation"]["threshold"]["inclusive"] is False


def test_lot_with_seed_is_recorded(tmp_path: Path) -> None:
    votes = _write(tmp_path, "party,votes\nA,10\nB,10\n")
    args = ["allocate", votes, "--seats", "1", "--method", "dhondt", "--tie-break", "lot"]
    first = json.loads(runner.invoke(app, [*args, "--seed", "42", "--json"]).stdout)
    second = json.loads(runner.invoke(app, [*args, "--seed", "42", "--json"]).stdout)
    assert first == second
    assert first["explanation"]["ties"][0]["lot"]["seed"] == 42


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("party,count\nA,1\n", "row 1: missing column votes"),
        ("party,votes\nA,1\nB,-5\n", "row 3, field votes: -5 is negative"),
        ("party,votes\nA,12.5\n", "row 2, field votes: '12.5' is not a whole number"),
        ("party,votes\nA,1\nB,2\nA,3\n", "row 4, field party: 'A' already appears on row 2"),
        ("party,votes\nA,\n", "row 2, field votes: empty"),
        ("party,votes\n,4\n", "row 2, field party: the party is empty"),
        ("party,votes,kind\nA,1,bloc\n", "row 2, field kind: 'bloc' is neither"),
        ("party,votes,colour\nA,1,red\n", "row 1: unknown column colour"),
        ("party,votes\n", "no rows after the header"),
        ("", "the file is empty"),
        ("party,votes,registration_order\nA,1,1\nB,1,1\n", "row 3, field registration_order"),
        ("party,votes\nA,0\nB,0\n", "none of the 2 list(s) received a vote"),
    ],
)
def test_bad_input_is_one_line_naming_the_row(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    result = runner.invoke(app, ["allocate", path, "--seats", "3", "--method", "dhondt"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seats", "3", "--method", "borda"], "--method: unknown method 'borda'"),
        (["--method", "dhondt"], "give --seats and --method, or --law"),
        (["--law", "kz-1999-majilis"], "give that number with --base"),
        (["--law", "kz-1999-senate"], "law kz-1999-senate has no list tier"),
        (["--seats", "3", "--method", "dhondt", "--threshold", "x"], "'x' is not a percentage"),
        (["--seats", "3", "--method", "dhondt", "--tie-break", "coin"], "unknown 'coin'"),
        (
            [
                "--seats",
                "3",
                "--method",
                "dhondt",
                "--tie-break",
                "lot",
                "--tie-break",
                "more_votes",
            ],
            "--tie-break: 'lot' settles every tie, so it can only be the last tie-break",
        ),
        (
            ["--seats", "3", "--method", "dhondt", "--tie-break", "lot", "--tie-break", "lot"],
            "--tie-break: 'lot' settles every tie",
        ),
        (["--seats", "3", "--method", "dhondt", "--base", "9"], "give --threshold"),
        (["--seats", "3", "--method", "dhondt", "--strict"], "give --threshold"),
    ],
)
def test_bad_options_are_one_line_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["allocate", str(KZ_VOTES), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = runner.invoke(app, ["allocate", str(missing), "--seats", "1", "--method", "dhondt"])
    assert result.exit_code == 2
    assert f"{missing}: no such file" in result.stderr
