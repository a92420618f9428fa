"""`saylau verify`: exit 0 when a bundle verifies, 1 naming what differs, 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.pipeline.bundle_helpers import PROTOCOL, edit_vote, forge
from tests.stages.demo import DEMO

runner = CliRunner()


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    out = tmp_path / "bundle"
    written = runner.invoke(app, ["run", str(DEMO), "--out", str(out)])
    assert written.exit_code == 0, written.output
    return out


def test_an_untouched_bundle_verifies(bundle: Path) -> None:
    result = runner.invoke(app, ["verify", str(bundle)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{bundle}: verified. 24 files match manifest.json")
    assert "recomputed 7 seats, 5 decisions" in result.stdout


def test_an_edited_protocol_cell_fails_naming_the_file(bundle: Path) -> None:
    edit_vote(bundle)
    result = runner.invoke(app, ["verify", str(bundle)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{bundle}: does not verify: ")
    assert lines[1] == (
        f"first difference: {PROTOCOL}: SHA-256 differs from the manifest (edited after the run)"
    )
    assert "results.json: house.seats[0].votes: stored 760, recomputed 761" in result.stdout


def test_a_forged_manifest_fails_naming_the_figure(bundle: Path) -> None:
    edit_vote(bundle)
    forge(bundle, PROTOCOL)
    result = runner.invoke(app, ["verify", str(bundle)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "first difference: results.json: house.seats[0].votes: stored 760, recomputed 761"
    )
    assert "[manifest]" not in result.stdout


def test_an_edited_result_fails_naming_its_json_path(bundle: Path) -> None:
    path = bundle / "results.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"seats_filled": 7', '"seats_filled": 6')
    )
    result = runner.invoke(app, ["verify", str(bundle), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["verified"] is False
    assert report["first_difference"] == (
        "results.json: SHA-256 differs from the manifest (edited after the run)"
    )
    assert report["differences"][1] == {
        "check": "recomputation",
        "file": "results.json",
        "figure": "house.seats_filled",
        "message": "results.json: house.seats_filled: stored 6, recomputed 7",
    }


def test_a_deleted_and_an_added_file_are_named(bundle: Path) -> None:
    (bundle / "flagged.csv").unlink()
    (bundle / "election" / "protocols" / "README").write_text("hello\n", encoding="utf-8")
    result = runner.invoke(app, ["verify", str(bundle)])
    assert result.exit_code == 1
    assert "first difference: election/protocols/README: not listed in the manifest" in (
        result.stdout
    )
    assert "flagged.csv: missing (the manifest lists it)" in result.stdout


@pytest.mark.parametrize(
    ("garble", "error"),
    [
        (None, "manifest.json: missing; every results bundle has a manifest"),
        ("{", "manifest.json: not valid JSON: "),
        ('{"format": "saylau-results-bundle/2"}', "manifest.json: field format: Input should be"),
    ],
)
def test_a_missing_or_garbled_manifest_is_a_one_line_error(
    bundle: Path, garble: str | None, error: str
) -> None:
    manifest = bundle / "manifest.json"
    if garble is None:
        manifest.unlink()
    else:
        manifest.write_text(garble, encoding="utf-8")
    result = runner.invoke(app, ["verify", str(bundle)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {manifest}: ")
    assert error in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_out_refuses_a_directory_that_holds_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(DEMO), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path}: holds mine.txt and no manifest.json" in result.stderr
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me\n"


def test_the_1999_bundle_verifies(tmp_path: Path) -> None:
    out = tmp_path / "kz"
    written = runner.invoke(app, ["run", "kz-1999", "--out", str(out)])
    assert written.exit_code == 0, written.output
    result = runner.invoke(app, ["verify", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["verified"], report["differences"], report["seats"]) == (True, [], 93)
    assert report["files_matched"] == report["files_listed"] == 138  # resolutions.csv too
    assert (report["election_id"], report["ran"], report["seed"]) == ("kz-1999", "kz-1999", 1999)
