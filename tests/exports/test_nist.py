"""The NIST SP 1500-100 v2 export: valid against the schema, its totals the engine's, and
read back, the same results."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from saylau.analysis.counts import RunCounts
from saylau.cli import app
from saylau.errors import InputError
from saylau.exports.nist.document import nist_report
from saylau.exports.nist.read import NistResults, read_nist
from saylau.inputs import ElectionInputs
from saylau.pipeline.run import decide_with_laws, facts_of, load_inputs
from saylau.results import ElectionResult
from saylau.scenarios import build_kz_1999
from saylau.tabulate.totals import LineTotals
from tests.cli.test_counterfactual import dhondt_law

SCHEMA_NAME = "NIST_V2_election_results_reporting.json"
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


@cache
def schema() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        resources.files("saylau.exports.nist")
        .joinpath("schema", SCHEMA_NAME)
        .read_text(encoding="utf-8")
    )
    return found


def validate(doc: dict[str, Any]) -> None:
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    errors = list(jsonschema.Draft4Validator(schema(), format_checker=checker).iter_errors(doc))
    assert not errors, [e.message[:200] for e in errors[:3]]


@cache
def small() -> tuple[ElectionInputs, ElectionResult, dict[str, Any]]:
    """1999 with 2 stations a district: every part of the format, quickly validated."""
    inputs = build_kz_1999(1999, 2)
    result, laws = decide_with_laws(inputs)
    counts = RunCounts(inputs, laws)
    return inputs, result, nist_report(result, counts, facts_of("kz-1999"), generated=WHEN)


@cache
def full(name: str, summary: bool) -> tuple[ElectionResult, dict[str, Any]]:
    inputs, root = load_inputs(name)
    result, laws = decide_with_laws(inputs, root)
    counts = RunCounts(inputs, laws)
    return result, nist_report(result, counts, facts_of(name), generated=WHEN, stations=not summary)


SCHEMA_SHA256 = "55c1c6382bf5ba369ae05d58c3f4bab6b487a2e8c01720ee87209b9a85e5d3db"
"""The SHA-256 of NIST's file as published (saylau/exports/nist/schema/SOURCES.md)."""


def test_the_schema_is_nists_file_unchanged() -> None:
    ours = resources.files("saylau.exports.nist").joinpath("schema", SCHEMA_NAME).read_bytes()
    assert hashlib.sha256(ours).hexdigest() == SCHEMA_SHA256


def test_the_precinct_level_export_validates() -> None:
    validate(small()[2])


@pytest.mark.parametrize("name", ["kz-1999", "spb-2021"])
def test_the_summary_exports_validate(name: str) -> None:
    validate(full(name, True)[1])


def _same_lines(found: dict[str, int], total: LineTotals) -> None:
    for line, value in total.lines.items():
        if value is not None:
            assert found[line] == value, line
    for name in ("protocols", "rejected", "missing", "flagged"):
        assert found[name] == getattr(total, name), name


def check_against_the_engine(result: ElectionResult, read: NistResults) -> None:
    """Every count a decision was taken on, every seat and winner, as the engine has them."""
    gp = {"list": "gp-nation"}
    for chamber in result.chambers:
        for decided in result.lists_of(chamber.chamber_id):
            count = read.counts[(decided.contest_id, 1, gp["list"])]
            assert count.votes == dict(decided.count.votes)
            _same_lines(count.lines, decided.count)
            assert read.seats[decided.contest_id] == decided.allocation.seats
            if chamber.parties:
                assert count.lines["registered"] == chamber.registered
                assert count.lines["took_part"] == chamber.took_part
                assert count.lines["invalid"] == chamber.invalid
                assert count.lines.get("against_all") == chamber.against_all
        for one in result.decisions_of(chamber.chamber_id):
            if one.count is None:
                continue
            district = one.contest_id.split("-", 1)[1].removesuffix("-new")
            count = read.counts[(one.contest_id, one.round, f"gp-district-{district}")]
            assert count.votes == dict(one.count.votes)
            _same_lines(count.lines, one.count)
        for seat in chamber.seats:
            assert seat.candidate_id in read.winners[seat.contest_id]
            assert read.nominators[seat.candidate_id] == seat.nominator
    assert read.counterfactual == bool(result.counterfactual)


def test_read_back_the_precinct_export_gives_the_engine_s_results() -> None:
    inputs, result, doc = small()
    read = read_nist(json.loads(json.dumps(doc)))
    check_against_the_engine(result, read)
    assert {p: c for p, (_, c) in read.parties.items()} == {
        p.party_id: p.colour for p in inputs.election.parties if p.kind != "independent"
    }


def test_the_stations_add_up_to_the_totals() -> None:
    _, result, doc = small()
    read = read_nist(doc)
    stations: dict[tuple[str, int], Counter[str]] = {}
    for (contest, round, unit), count in read.counts.items():
        if unit.startswith("gp-station-"):
            stations.setdefault((contest, round), Counter()).update(count.votes)
    majilis = result.chamber("majilis")
    listed = stations[("majilis-list", 1)]
    assert dict(listed) == {p.party_id: p.list_votes for p in majilis.parties if p.list_votes}
    for one in result.decisions_of("majilis"):
        assert one.count is not None
        assert dict(stations[(one.contest_id, one.round)]) == dict(one.count.votes)


@pytest.mark.parametrize("name", ["kz-1999", "spb-2021"])
def test_read_back_the_full_elections(name: str) -> None:
    result, doc = full(name, True)
    check_against_the_engine(result, read_nist(doc))


def test_a_counterfactual_is_a_test_report_that_says_why(tmp_path: Path) -> None:
    law = dhondt_law(str(tmp_path))
    out = tmp_path / "out"
    done = CliRunner().invoke(
        app,
        [
            "export",
            "kz-1999",
            "--out",
            str(out),
            "--format",
            "nist",
            "--summary",
            "--law",
            f"majilis={law}",
            "--generated-at",
            "2024-01-01T00:00:00",
        ],
    )
    assert done.exit_code == 0, done.output
    doc = json.loads((out / "results.nist.json").read_text(encoding="utf-8"))
    assert doc["IsTest"] is True and doc["TestType"] == "counterfactual"
    assert doc["Notes"].startswith("COUNTERFACTUAL: not the election as held and published.")
    assert doc["GeneratedDate"] == "2024-01-01T00:00:00Z"
    read = read_nist(doc)
    assert read.counterfactual and read.seats["majilis-list"]["otan"] == 5
    validate(doc)


def test_a_document_it_did_not_write_is_a_one_line_error() -> None:
    with pytest.raises(InputError, match=r"not ElectionResults\.ElectionReport"):
        read_nist({"@type": "something else"})
    with pytest.raises(InputError, match=r"x\.json: not a Saylau NIST export"):
        read_nist(
            {"@type": "ElectionResults.ElectionReport", "Election": [{"Contest": [{}]}]}, "x.json"
        )
