"""Golden: `saylau run kz-1999 --json` reproduces every published 1999 figure it covers.

The expected figures are read from data/kz-1999 (the published tables with their sources),
never written here by hand.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from typing import Any

from typer.testing import CliRunner

from saylau.cli import app
from tests.conftest import DATA

PUBLISHED = DATA / "kz-1999"


@cache
def output() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["run", "kz-1999", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def rows(name: str) -> list[dict[str, str]]:
    with (PUBLISHED / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def totals() -> dict[str, str]:
    return {row["figure"]: row["value"] for row in rows("national_totals.csv")}


def test_every_party_row_of_the_published_composition() -> None:
    parties = {p["party_id"]: p for p in output()["majilis"]["parties"]}
    published = rows("published_seats.csv")
    assert len(published) == 12
    for row in published:
        party = parties[row["party_id"]]
        for figure in ("district_seats", "list_seats", "total_seats", "seat_change"):
            assert party[figure] == int(row[figure]), (row["party_id"], figure)


def test_every_list_vote_of_the_published_parties() -> None:
    parties = {p["party_id"]: p for p in output()["majilis"]["parties"]}
    for row in rows("parties.csv"):
        expected = int(row["list_votes"]) if row["list_votes"] else None
        assert parties[row["party_id"]]["list_votes"] == expected, row["party_id"]


def test_the_national_totals() -> None:
    majilis, senate, figures = output()["majilis"], output()["senate"], totals()
    assert majilis["registered"] == int(figures["registered_voters"])
    assert majilis["took_part"] == int(figures["voters_took_part"])
    assert majilis["against_all"] == int(figures["against_all_list"])
    assert majilis["invalid"] == int(figures["invalid_list"])
    assert majilis["seats_total"] == int(figures["seats_total"])
    assert majilis["majority"] == int(figures["seats_majority"])
    assert sum(p["list_seats"] for p in majilis["parties"]) == int(figures["list_seats"])
    assert sum(p["district_seats"] for p in majilis["parties"]) == int(figures["district_seats"])
    assert majilis["districts_decided_round1"] == int(figures["districts_decided_round1"])
    assert majilis["runoffs"] == int(figures["districts_runoff"])
    assert majilis["new_voting"] == int(figures["districts_new_voting"])
    assert senate["seats_contested"] == int(figures["senate_seats_contested"])
    assert senate["seats_elected"] == int(figures["senate_elected_seats"])
    assert senate["appointed_seats"] == int(figures["senate_appointed_seats"])
    assert majilis["registered_parties"] == int(figures["registered_parties"])
    assert majilis["party_lists"] == int(figures["party_lists"])
    assert len(senate["elected"]) == int(figures["senate_seats_contested"])


def test_turnout_as_published() -> None:
    majilis, figures = output()["majilis"], totals()
    assert majilis["turnout_percent"] == "62.46"
    assert round(float(majilis["turnout_percent"]), 1) == float(figures["turnout_pct"])
    change = majilis["turnout_change_points"]
    assert round(float(change), 1) == float(figures["turnout_change_pp"])


def test_the_senate_nominators() -> None:
    elected = output()["senate"]["elected"]
    nominators = sorted(seat["nominator"] for seat in elected)
    assert nominators.count("maslikhat") == 12
    assert nominators.count("self") == 4


def test_the_nine_ballot_gap_is_reported_not_hidden() -> None:
    notes = output()["notes"]
    conflicts = [n["text"] for n in notes if n["kind"] == "conflict"]
    assert any("9 short of the 5,253,864" in text for text in conflicts), conflicts
    majilis = output()["majilis"]
    parts = majilis["valid"] + majilis["invalid"]
    assert majilis["took_part"] - parts == 9


def test_generated_parts_are_named() -> None:
    data = output()
    assert data["generated"], "the scenario generates district and station figures"
    seats = [*data["majilis"]["seats"], *data["senate"]["elected"]]
    assert len(seats) == 67 + 16
    assert all(seat["generated"] for seat in seats)
    assert any(n["kind"] == "generated" for n in data["notes"])


def test_only_figures_that_rest_on_generated_data_carry_the_mark() -> None:
    """The second-round figures were never published; every other figure shown is published
    or worked out from published figures alone, and carries no mark."""
    majilis, senate = output()["majilis"], output()["senate"]
    assert majilis["generated_figures"] == [
        "runoff_registered",
        "runoff_took_part",
        "runoff_turnout",
    ]
    assert senate["generated_figures"] == []


def test_the_previous_turnout_says_it_was_worked_back_and_keeps_its_digits() -> None:
    majilis, figures = output()["majilis"], totals()
    assert majilis["turnout_before_percent"] == "79.8"
    assert majilis["turnout_change_points"] == figures["turnout_change_pp"] == "-17.3"
    assert "worked back" in majilis["turnout_before_derived"]


def test_the_run_is_the_election_as_held_under_its_own_laws() -> None:
    data = output()
    assert data["counterfactual"] is False
    assert (data["majilis"]["law"]["id"], data["senate"]["law"]["id"]) == (
        "kz-1999-majilis",
        "kz-1999-senate",
    )
    assert data["majilis"]["seats_vacant"] == data["majilis"]["seats_not_in_data"] == 0
    assert not [n for n in data["notes"] if n["kind"] == "unused"]


def test_list_seats_go_to_the_first_candidates_in_list_order() -> None:
    (decided,) = output()["majilis"]["lists"]
    members = decided["members"]
    assert {party: len(names) for party, names in members.items()} == {
        "otan": 4,
        "communist": 2,
        "agrarian": 2,
        "civic": 2,
    }
    assert decided["allocation"]["explanation"]["quota"]["quota"] == "3808979/10"


def test_second_round_turnout_is_just_under_half() -> None:
    """Published only as a preliminary 'just under 50 percent' (RFE/RL, 26 Oct 1999)."""
    published = float(totals()["round2_turnout_pct"])
    turnout = float(output()["majilis"]["runoff_turnout_percent"])
    assert published - 5 <= turnout < published


@cache
def text() -> str:
    result = CliRunner().invoke(app, ["run", "kz-1999", "--quiet"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_each_compared_figure_says_its_kind() -> None:
    """The district seats by party, the list votes and the national totals were handed to
    the generator, which reached them by construction: they are its targets, not checks.
    The list seats, which the law allocates, and the total seats were published."""
    kinds = {c["figure"]: c["kind"] for c in output()["majilis"]["compared"]}
    parties = [row["party_id"] for row in rows("published_seats.csv")]
    for party in parties:
        assert kinds[f"district_seats.{party}"] == "generator_target", party
        assert kinds[f"list_seats.{party}"] == "published", party
        assert kinds[f"total_seats.{party}"] == "published", party
    for figure in ("registered", "took_part", "against_all", "invalid", "valid", "runoffs"):
        assert kinds[figure] == "generator_target", figure
    assert (kinds["seats_total"], kinds["majority"]) == ("published", "published")
    for compared in output()["majilis"]["compared"]:
        assert compared["published"] == compared["computed"], compared
    by_party = {p["party_id"]: p for p in output()["majilis"]["parties"]}
    assert by_party["otan"]["published_total_seats_kind"] == "published"
    assert {c["kind"] for c in output()["senate"]["compared"]} == {"published"}


def test_the_text_marks_each_compared_figure_with_its_kind() -> None:
    lines = text().splitlines()
    assert lines[4].startswith("Compared figures: * compared with a figure published by an ")
    legend = " ".join(" ".join(lines[4:6]).split())
    assert "‡ compared with a figure the scenario's generator was told to reach" in legend
    otan = next(line for line in lines if "Otan" in line)
    cells = [cell.strip() for cell in otan.split("│")[1:-1]]
    # district seats and list votes: the generator's targets; list and total seats: published
    assert cells[1:] == ["19‡", "1,622,895‡", "30.89", "4*", "23*", "-2"]
    assert "Registered voters 8,411,757‡; turnout 5,253,864‡" in text()
    assert "Districts decided in round 1: 20‡; second rounds: 47‡; new voting: 3‡" in text()
