"""Golden: `saylau run spb-2021` reproduces the St Petersburg 2021 city election.

List seats: United Russia 11 of 25 (SOURCES.md, confirmed in the press); the other lists
as the rule core computed them on the same files. District winners: every ZakS row of
data/real/spb2021_smd_winners.csv.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from typing import Any

from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import DATA

WINNERS = DATA / "real" / "spb2021_smd_winners.csv"
LIST_SEATS = {"5": 11, "1": 5, "6": 3, "4": 2, "7": 2, "3": 2}


@cache
def output() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["run", "spb-2021", "--json", "--data", str(DATA / "real")])
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
    stages = CliRunner().invoke(
        app, ["run", "spb-2021", "--json", "--stages", "--data", str(DATA / "real")]
    )
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
