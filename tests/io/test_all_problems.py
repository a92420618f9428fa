"""All problems at once (issue 21, item 7): the law and election.toml are checked before any
protocol is read, and a directory with problems in several files gets all of them in one run,
grouped by file, up to a limit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.errors import InputError, LawError
from saylau.io.election import protocol_folder as reading
from saylau.pipeline.run import run
from saylau.stages.problems import SHOWN
from tests.stages.demo import DEMO

runner = CliRunner()


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "election"
    shutil.copytree(DEMO, root)
    return root


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _three_problems(root: Path) -> None:
    """A misspelt file name, a bad cell in a protocol, a contest in an unknown district."""
    (root / "Withdrawals.csv").write_text("contest_id,candidate_id,reason\n", encoding="utf-8")
    _replace(root / "protocols" / "house-d1.r1.csv", "s2,900,", "s2,nine hundred,")
    _replace(root / "contests.csv", "house-d3,house,district,d3,", "house-d3,house,district,d9,")


def test_three_independent_problems_in_three_files_are_named_in_one_run(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    _three_problems(root)
    with pytest.raises(InputError) as refused:
        run(root)
    text = str(refused.value)
    assert text.startswith("the election directory has 3 problem(s) in 3 file(s):")
    lines = text.splitlines()[1:]
    assert lines == [
        f"  {root / 'Withdrawals.csv'}:",
        "    not a file of an election directory; did you mean withdrawals.csv?",
        f"  {root / 'protocols' / 'house-d1.r1.csv'}:",
        lines[3],
        f"  {root / 'contests.csv'}:",
        "    line 5: field district_id: contest house-d3: unknown district d9 (not in "
        "districts.csv)",
    ]
    assert "row 3" in lines[3] and "registered" in lines[3] and "nine hundred" in lines[3]


def test_the_command_line_names_all_three_grouped_by_file(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    _three_problems(root)
    result = runner.invoke(app, ["run", str(root)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    stderr = result.stderr
    order = [
        stderr.index("Withdrawals.csv:"),
        stderr.index("house-d1.r1.csv:"),
        stderr.index("contests.csv:"),
    ]
    assert order == sorted(order)
    assert "did you mean withdrawals.csv?" in stderr
    assert "unknown district d9" in stderr


def test_a_single_problem_keeps_its_own_one_line_error(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    _replace(root / "contests.csv", "house-d3,house,district,d3,", "house-d3,house,district,d9,")
    with pytest.raises(InputError, match=r"contests.csv: line 5: field district_id"):
        run(root)


def test_a_bad_law_is_refused_before_any_protocol_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _demo(tmp_path)
    _replace(root / "law" / "demo-house.toml", 'share = "5%"', "share = 0.05")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a protocol was read under a law that does not load")

    monkeypatch.setattr(reading, "read_protocols", never)
    with pytest.raises(LawError, match=r"demo-house.toml: list_tier.threshold.share: 0.05"):
        run(root)


def test_a_bad_law_is_named_with_the_other_files_problems(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    _replace(root / "law" / "demo-house.toml", 'share = "5%"', "share = 0.05")
    (root / "Withdrawals.csv").write_text("contest_id,candidate_id,reason\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        run(root)
    text = str(refused.value)
    assert "2 problem(s) in 2 file(s)" in text
    assert f"  {root / 'law' / 'demo-house.toml'}:\n    list_tier.threshold.share" in text


def test_a_bad_election_toml_stops_before_anything_else_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _demo(tmp_path)
    _replace(root / "election.toml", "seed = 7", "seed = 7.5")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a protocol was read under a broken election.toml")

    monkeypatch.setattr(reading, "read_protocols", never)
    with pytest.raises(InputError, match="seed"):
        run(root)


def test_the_problems_told_stop_at_the_limit(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    for n in range(SHOWN + 5):
        (root / f"stray-{n:03}.txt").write_text("", encoding="utf-8")
    (root / "Withdrawals.csv").write_text("contest_id,candidate_id,reason\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        run(root)
    text = str(refused.value)
    assert f"has {SHOWN + 6} problem(s) in {SHOWN + 6} file(s)" in text
    assert text.count("not a file of an election directory") == SHOWN
    assert text.endswith("... and 6 more")


def test_a_bad_law_given_for_the_run_is_refused_before_any_protocol_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.toml"
    text = (DEMO / "law" / "demo-house.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace('share = "5%"', "share = 0.05"), encoding="utf-8")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a protocol was read under a law that does not load")

    monkeypatch.setattr(reading, "read_protocols", never)
    with pytest.raises(LawError, match=r"bad.toml: list_tier.threshold.share: 0.05"):
        run(DEMO, laws={"house": bad})
    result = runner.invoke(app, ["run", str(DEMO), "--law", f"house={bad}"])
    assert result.exit_code == 2, result.output
    assert "bad.toml: list_tier.threshold.share: 0.05" in result.stderr


def test_a_second_round_too_soon_for_the_law_names_election_toml_and_the_setting(
    tmp_path: Path,
) -> None:
    root = _demo(tmp_path)
    _replace(root / "election.toml", 'round2 = "2030-03-17"', 'round2 = "2030-03-10"')
    with pytest.raises(InputError) as refused:
        run(root)
    text = str(refused.value)
    assert f"{root / 'election.toml'}: field dates.round2: round2 (2030-03-10) is 7 day(s)" in text
    assert "(district_tier.runoff.days_after)" in text
