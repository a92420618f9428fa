"""`saylau law list|show|check`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from saylau.cli import app

runner = CliRunner()


def _law_file(tmp_path: Path, law_id: str, method: str) -> Path:
    path = tmp_path / f"{law_id}.toml"
    path.write_text(
        f'id = "{law_id}"\nname = "A test law"\ncountry = "XX"\nchamber = "House"\n'
        f"year = 2024\nseats_total = 5\nmajority = 3\n"
        f'[protocol]\nrelations = []\n[list_tier]\nseats = 5\nmethod = "{method}"\n',
        encoding="utf-8",
    )
    return path


def test_list_names_every_bundled_law() -> None:
    result = runner.invoke(app, ["law", "list"])
    assert result.exit_code == 0
    for name in ("kz-1999-majilis", "kz-1999-senate", "ru-2016-duma", "spb-2021-zaks"):
        assert name in result.stdout


def test_show_prints_settings_values_and_sources() -> None:
    result = runner.invoke(app, ["law", "show", "kz-1999-majilis"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Majilis, KZ, 1999: 77 seats, majority 39" in out
    assert "[list_tier.threshold]" in out
    threshold_row = next(line for line in out.splitlines() if line.startswith("│ share"))
    assert "7%" in threshold_row
    assert "[V] S2" in threshold_row
    assert "[district_tier.runoff]" in out
    assert "S18" in out and "CEC Resolution No. 45/273" in out


def test_show_unknown_law_is_one_line() -> None:
    result = runner.invoke(app, ["law", "show", "atlantis-2000"])
    assert result.exit_code == 2
    assert "no bundled law is named 'atlantis-2000'" in result.stderr


def test_check_accepts_a_valid_file_and_reports_missing_sources(tmp_path: Path) -> None:
    path = _law_file(tmp_path, "mine", "dhondt")
    ok = runner.invoke(app, ["law", "check", str(path)])
    assert ok.exit_code == 0
    assert "valid law 'mine' (5 seats)" in ok.stdout
    strict = runner.invoke(app, ["law", "check", str(path), "--require-sources"])
    assert strict.exit_code == 1
    assert "list_tier.seats" in strict.stderr


def test_check_names_the_broken_setting(tmp_path: Path) -> None:
    path = _law_file(tmp_path, "bad", "coin")
    result = runner.invoke(app, ["law", "check", str(path)])
    assert result.exit_code == 2
    assert f"{path}: list_tier.method: Input should be" in result.stderr
