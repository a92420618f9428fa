"""`saylau run` and `saylau protocols check`: output, files written, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import saylau.law
from saylau.cli import app
from tests.stages.demo import DEMO

runner = CliRunner()


def test_run_prints_the_published_form_and_marks_generated_figures() -> None:
    result = runner.invoke(app, ["run", "kz-1999"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for words in (
        "Majilis: 77 seats",
        "Majilis: law kz-1999-majilis",
        "Senate: law kz-1999-senate",
        "Otan (Fatherland)",
        "1,622,895",
        "Against all",
        "Invalid ballots",
        "Registered voters 8,411,757‡; turnout 5,253,864‡ (62.46%, -17.3 points on the previous "
        "election's 79.8%, a figure worked back",
        "a majority is 39* seats",
        "second-round turnout 49.20%†",
        "Senate: 16 seats contested, 16 elected",
        "Round†",
        "maslikhat: 12; self: 4",
        "4,912† stations",
        "370† candidates",
        "Figures that rest on generated data",
    ):
        assert words in " ".join(text.split()), words
    # published figures carry no generated mark, though the district votes behind them are
    # generated; the district seats carry the mark of a generator's target instead
    assert "District seats†" not in text and "19†" not in text
    assert "19‡" in text
    assert "COUNTERFACTUAL" not in text


def test_run_of_an_election_directory_as_json() -> None:
    result = runner.invoke(app, ["run", str(DEMO), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    house = data["house"]
    assert (house["seats_total"], house["majority"], house["seats_filled"]) == (7, 4, 7)
    assert house["turnout_percent"] == "64.04"
    assert {p["party_id"]: p["total_seats"] for p in house["parties"]}["red"] == 3
    assert "stages" not in data
    with_stages = json.loads(runner.invoke(app, ["run", str(DEMO), "--json", "--stages"]).stdout)
    assert [s["stage"] for s in with_stages["stages"]] == [
        "registration",
        "round1",
        "runoffs",
        "final",
    ]


def test_out_writes_results_and_every_protocol_which_run_again_the_same(tmp_path: Path) -> None:
    out = tmp_path / "kz"
    first = runner.invoke(app, ["run", "kz-1999", "--json", "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert (out / "results.json").is_file()
    assert "Majilis: 77 seats" in (out / "results.txt").read_text(encoding="utf-8")
    assert (out / "rejected.csv").read_text(encoding="utf-8").startswith("contest_id,")
    sources = (out / "election" / "sources.md").read_text(encoding="utf-8")
    assert "Generated with seed 1999: candidates" in sources
    assert "## Data conflicts" in sources
    protocols = sorted(p.name for p in (out / "election" / "protocols").iterdir())
    assert len(protocols) == 118
    assert "majilis-list.r1.csv" in protocols
    config = (out / "election" / "election.toml").read_text(encoding="utf-8")
    assert 'law = "law/kz-1999-majilis.toml"' in config
    assert 'law = "law/kz-1999-senate.toml"' in config
    bundled = Path(saylau.law.__file__).parent / "bundled" / "kz-1999-senate.toml"
    copied = out / "election" / "law" / "kz-1999-senate.toml"
    assert copied.read_bytes() == bundled.read_bytes()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["seed"] == 1999
    again = runner.invoke(app, ["run", str(out / "election"), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "3"], "error: --seed 3: {demo} is not generated, so no seed applies"),
        (["--data", "elsewhere"], "error: --data elsewhere: {demo} reads no importer's folder"),
    ],
)
@pytest.mark.parametrize("command", ["run", "report", "export", "compare", "forensics"])
def test_a_seed_or_data_folder_that_cannot_apply_is_refused_never_ignored(
    command: str, args: list[str], message: str, tmp_path: Path
) -> None:
    out = ["--out", str(tmp_path / "out")] if command in ("report", "export") else []
    result = runner.invoke(app, [command, str(DEMO), *out, *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message.format(demo=DEMO))


def test_a_seed_given_to_real_data_is_refused() -> None:
    result = runner.invoke(app, ["run", "spb-2021", "--seed", "4"])
    assert result.exit_code == 2
    assert "error: --seed 4: spb-2021 is not generated" in result.stderr


def test_an_unknown_election_is_a_one_line_error() -> None:
    result = runner.invoke(app, ["run", "atlantis-2030"])
    assert result.exit_code == 2
    assert "error: atlantis-2030: neither a known election" in result.stderr


def test_protocols_check_reports_each_broken_relation(tmp_path: Path) -> None:
    source = DEMO / "protocols" / "house-d1.r1.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("1000,750,700", "1000,750,690")
    broken = tmp_path / "house-d1.r1.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lawless = runner.invoke(app, ["protocols", "check", str(broken)])
    assert lawless.exit_code == 2
    assert "name the law whose protocol form it follows with --law" in lawless.stderr
    law = str(DEMO / "law" / "demo-house.toml")
    result = runner.invoke(app, ["protocols", "check", str(broken), "--law", law, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["protocols"], data["accepted"], data["rejected"]) == (2, 1, ["s1"])
    assert (data["contest_id"], data["round"], data["law"]) == ("house-d1", 1, "demo-house")
    found = {(v["code"], v["severity"]) for v in data["violations"]}
    assert found == {("received_balance", "reject"), ("found_within_issued", "flag")}
    ok = runner.invoke(app, ["protocols", "check", str(source)])
    assert ok.exit_code == 0
    assert "2 protocols: 2 accepted (0 flagged for review), 0 rejected" in ok.stdout


def test_the_shares_against_all_and_invalid_are_marked_when_their_votes_are_generated(
    tmp_path: Path,
) -> None:
    root = tmp_path / "election"
    shutil.copytree(DEMO, root)
    config = root / "election.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("seed = 7\n", 'seed = 7\ngenerated = ["protocols"]\n'), encoding="utf-8"
    )
    found = json.loads(runner.invoke(app, ["run", str(root), "--json"]).stdout)
    marked = found["house"]["generated_figures"]
    assert {"against_all", "against_all_percent", "invalid", "invalid_percent"} <= set(marked)
    shown = runner.invoke(app, ["run", str(root)]).stdout
    against = next(line for line in shown.splitlines() if "Against all" in line)
    assert against.count("†") == 2, against
