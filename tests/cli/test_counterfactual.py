"""The law is named in every result, and a counterfactual run says so at the top."""

from __future__ import annotations

import hashlib
import json
import shutil
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.stages.demo import DEMO

runner = CliRunner()

BUNDLED = resources.files("saylau.law.bundled")


def _kz_law_text() -> str:
    return BUNDLED.joinpath("kz-1999-majilis.toml").read_text(encoding="utf-8")


@cache
def dhondt_law(folder: str) -> Path:
    """The 1999 Majilis law with D'Hondt in place of Hare, under an id of its own."""
    text = _kz_law_text().replace('method = "hare"', 'method = "dhondt"', 1)
    text = text.replace('id = "kz-1999-majilis"', 'id = "kz-1999-majilis-dhondt"', 1)
    path = Path(folder) / "kz-1999-dhondt.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["run", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_chamber_names_its_law_and_the_hash_of_its_file() -> None:
    data = run_json("kz-1999")
    assert data["counterfactual"] is False and data["counterfactual_reasons"] == []
    for chamber, law in (("majilis", "kz-1999-majilis"), ("senate", "kz-1999-senate")):
        named = data[chamber]["law"]
        expected = hashlib.sha256(BUNDLED.joinpath(f"{law}.toml").read_bytes()).hexdigest()
        assert (named["id"], named["sha256"]) == (law, expected)


def test_a_run_under_another_law_is_labelled_a_counterfactual(tmp_path: Path) -> None:
    law = dhondt_law(str(tmp_path))
    data = run_json("kz-1999", "--law", f"majilis={law}")
    assert data["counterfactual"] is True
    reasons = " ".join(data["counterfactual_reasons"])
    assert "majilis is decided under kz-1999-majilis-dhondt" in reasons
    assert "not kz-1999-majilis, the law the election was held under" in reasons
    assert "its seats differ from the published ones" in reasons
    majilis = data["majilis"]
    assert majilis["law"]["id"] == "kz-1999-majilis-dhondt"
    assert majilis["law"]["sha256"] == hashlib.sha256(law.read_bytes()).hexdigest()
    parties = {p["party_id"]: p for p in majilis["parties"]}
    assert (parties["otan"]["list_seats"], parties["civic"]["list_seats"]) == (5, 1)
    assert (parties["otan"]["total_seats"], parties["otan"]["published_total_seats"]) == (24, 23)
    conflicts = [n["text"] for n in data["notes"] if n["kind"] == "conflict"]
    assert not any("seats" in text and "majilis" in text for text in conflicts), conflicts
    assert data["senate"]["law"]["id"] == "kz-1999-senate"


def test_the_text_of_a_counterfactual_says_so_first_and_shows_the_published_seats(
    tmp_path: Path,
) -> None:
    law = dhondt_law(str(tmp_path))
    result = runner.invoke(app, ["run", "kz-1999", "--law", f"majilis={law}"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "COUNTERFACTUAL: not the election as held and published"
    header = next(line for line in lines if "Party" in line)
    assert "Published" in header
    otan = next(line for line in lines if "Otan" in line)
    cells = [cell.strip() for cell in otan.split("│")[1:-1]]
    # list seats, total, change, published total; decided on published votes alone, so
    # they rest on no generated data and carry no generated mark, only the mark of the
    # published figure they are compared with
    assert cells[4:] == ["5*", "24*", "-1", "23"]
    assert "Majilis: law kz-1999-majilis-dhondt" in " ".join(result.stdout.split())
    assert "Real figures" not in result.stdout


def test_the_same_law_named_again_is_no_counterfactual(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text("# a copy with a comment of its own\n" + _kz_law_text(), encoding="utf-8")
    for law in ("kz-1999-majilis", str(copy)):
        data = run_json("kz-1999", "--law", f"majilis={law}")
        assert data["counterfactual"] is False, law
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert run_json("kz-1999", "--law", f"majilis={copy}")["majilis"]["law"]["sha256"] == digest


def test_seats_that_differ_from_the_published_make_a_counterfactual(tmp_path: Path) -> None:
    election = tmp_path / "demo"
    election.mkdir()
    for path in DEMO.rglob("*"):
        target = election / path.relative_to(DEMO)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(path.read_bytes())
    config = election / "election.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '"house.seats.red" = 2\n', encoding="utf-8"
    )
    data = run_json(str(election))
    assert data["counterfactual"] is True
    (reason,) = data["counterfactual_reasons"]
    assert "house total_seats.red is 3, published 2" in reason
    conflicts = [n["text"] for n in data["notes"] if n["kind"] == "conflict"]
    assert not any("total_seats" in text for text in conflicts)  # said once, at the top


def test_an_unknown_chamber_or_a_malformed_law_option_is_a_one_line_error() -> None:
    unknown = runner.invoke(app, ["run", "kz-1999", "--law", "house=kz-1999-majilis"])
    assert unknown.exit_code == 2
    assert "--law names chamber(s) house" in unknown.stderr
    malformed = runner.invoke(app, ["run", "kz-1999", "--law", "majilis"])
    assert malformed.exit_code == 2
    assert "write CHAMBER=LAW" in malformed.stderr


def test_a_counterfactual_bundle_records_the_law_it_applied_and_verifies(tmp_path: Path) -> None:
    law = dhondt_law(str(tmp_path))
    out = tmp_path / "bundle"
    written = runner.invoke(app, ["run", "kz-1999", "--law", f"majilis={law}", "--out", str(out)])
    assert written.exit_code == 0, written.output
    config = (out / "election" / "election.toml").read_text(encoding="utf-8")
    assert 'law = "law/kz-1999-majilis.toml"' in config
    assert 'applied_law = "law/kz-1999-majilis-dhondt.toml"' in config
    again = run_json(str(out / "election"))
    assert again["counterfactual"] is True
    assert again["majilis"]["law"]["sha256"] == hashlib.sha256(law.read_bytes()).hexdigest()
    verified = runner.invoke(app, ["verify", str(out)])
    assert verified.exit_code == 0, verified.output


def _one_district_seat(folder: Path) -> Path:
    """The demo's law with room for 1 district where the demo registers 3 (and 5 seats)."""
    text = (DEMO / "law" / "demo-house.toml").read_text(encoding="utf-8")
    text = text.replace("seats_total = 7\n", "seats_total = 5\n", 1)
    text = text.replace("majority = 4\n", "majority = 3\n", 1)
    head, tier = text.split("[district_tier]\n", 1)
    path = folder / "one-district.toml"
    path.write_text(head + "[district_tier]\n" + tier.replace("seats = 3\n", "seats = 1\n", 1))
    return path


@pytest.mark.parametrize("command", ["run", "report", "export", "compare"])
def test_a_law_given_with_law_passes_the_checks_of_a_law_the_election_names(
    command: str, tmp_path: Path
) -> None:
    law = _one_district_seat(tmp_path)
    out = ["--out", str(tmp_path / "out")] if command in ("report", "export") else []
    given = ["--law", f"house={law}"] if command != "compare" else []
    if command == "compare":  # compare replays the election's own law: name it in the directory
        copy = tmp_path / "demo"
        shutil.copytree(DEMO, copy)
        shutil.copy(law, copy / "law" / "demo-house.toml")
        target = str(copy)
    else:
        target = str(DEMO)
    result = runner.invoke(app, [command, target, *out, *given])
    assert result.exit_code == 2, result.output
    assert "3 district contests are registered, but the law demo-house has room for 1" in (
        result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_a_law_of_the_wrong_chamber_given_with_law_is_refused() -> None:
    result = runner.invoke(app, ["run", "kz-1999", "--law", "majilis=kz-1999-senate"])
    assert result.exit_code == 2
    assert "contest majilis-list: the law kz-1999-senate of chamber majilis has no such tier" in (
        result.stderr
    )
