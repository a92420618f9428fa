"""Golden: `saylau run spb-2021` reproduces the St Petersburg 2021 city election, from the
station files shipped with Saylau.

List seats: United Russia 11 of 25 (data/real/SOURCES.md, confirmed in the press); the other
lists as the rule core computed them on the same files. District winners: every ZakS row of
data/real/spb2021_smd_winners.csv.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import DATA

WINNERS = DATA / "real" / "spb2021_smd_winners.csv"
LIST_SEATS = {"5": 11, "1": 5, "6": 3, "4": 2, "7": 2, "3": 2}


@cache
def output() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["run", "spb-2021", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def published_winners() -> dict[str, dict[str, str]]:
    with WINNERS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["election"] == "RU-SPb-ZakS-2021"]
    return {f"zaks-{int(r['district']):02d}": r for r in rows}


def test_the_list_seats() -> None:
    parties = output()["zaks"]["parties"]
    won = {p["party_id"]: p["list_seats"] for p in parties if p["list_seats"]}
    assert won == LIST_SEATS
    assert sum(p["list_seats"] for p in parties) == 25


def test_every_district_winner_is_the_published_one_with_the_published_votes() -> None:
    seats = {s["contest_id"]: s for s in output()["zaks"]["seats"]}
    published = published_winners()
    assert sorted(seats) == sorted(published) and len(seats) == 25
    for contest, row in published.items():
        seat = seats[contest]
        assert seat["name"] == row["winner"], contest
        assert seat["votes"] == int(row["winner_votes"]), contest


def test_no_protocol_the_commission_counted_is_rejected() -> None:
    assert output()["rejected"] == []


def test_the_one_real_break_is_counted_and_flagged_for_review() -> None:
    """Station 764 found 284 ballots for 283 issued: no control relation of the Russian
    form, so it is counted, as the commission counted it, and flagged."""
    (flagged,) = output()["flagged"]
    assert (flagged["contest_id"], flagged["station_id"]) == ("zaks-18", "764")
    assert flagged["codes"] == ["found_within_issued"]
    assert "ballots found 284 > ballots issued 283" in flagged["messages"][0]
    stages = CliRunner().invoke(app, ["run", "spb-2021", "--json", "--stages"])
    data = json.loads(stages.stdout)
    decisions = {d["contest_id"]: d for s in data["stages"] for d in s["decisions"]}
    count = decisions["zaks-18"]["count"]
    assert (count["rejected"], count["flagged"]) == (0, 1)


def test_the_city_totals_of_the_list_ballot() -> None:
    zaks = output()["zaks"]
    assert (zaks["valid"], zaks["invalid"], zaks["registered"]) == (1_333_177, 39_229, 3_882_917)
    assert zaks["seats_filled"] == 50
    assert output()["generated"] == []
    assert not any(seat["generated"] for seat in zaks["seats"])


def test_the_compared_totals_are_labelled_sums_of_the_files_the_run_reads() -> None:
    """The 'published' totals were measured from the same station files: a check of the
    reading, not an independent figure, and the JSON and the text say so."""
    compared = output()["zaks"]["compared"]
    assert {c["figure"] for c in compared} == {"registered", "valid", "invalid"}
    assert {c["kind"] for c in compared} == {"sum_of_inputs"}
    assert all(c["published"] == c["computed"] for c in compared)
    result = CliRunner().invoke(app, ["run", "spb-2021", "--quiet"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Compared figures: Σ compared with a sum of the same files this run reads" in text
    assert "Registered voters 3,882,917Σ; turnout 1,385,393 (35.68%)" in text
    assert "│ Invalid ballots │ │ 39,229Σ │" in text
    assert "* │" not in text and "‡" not in text  # nothing else was compared
    assert "saylau/importers/spb2021/data/spb2021_zaks_list_by_uik.csv.gz" in text


def test_a_data_folder_that_cannot_be_read_is_named_by_its_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "spb-2021", "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert f"--data {tmp_path}: {tmp_path}/spb2021_zaks_list_by_uik.csv.gz" in " ".join(
        result.output.split()
    )
