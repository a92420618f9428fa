"""The public pages' figures after protocols of the 1999 election are accepted (SQLite):
stations reporting per contest match the protocols accepted and never exceed the stations,
every district is listed with or without a protocol, a district's winner is named only on
a complete count, and the pages show names and words, never ids or developer text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saylau.service.board import Board
from saylau.service.db import reading
from tests.service.conftest import Api, Copy, make_api
from tests.service.test_stages import accept

IDS = re.compile(r">[^<]*\b(majilis-\d\d(-c\d+|-new)?|majilis-list|took_part|otan|akmola)\b")
"""An id in the text of a page (between tags), not in a link or an attribute."""
DEVELOPER = ("not decidable", "invalidations.csv", "field replaces", "Traceback", "rule(s)")


@pytest.fixture
def sqlite_api(sqlite_copy: Copy, tmp_path: Path) -> Iterator[Api]:
    found = make_api(sqlite_copy, tmp_path)
    with found.client:
        yield found


def district_row(api: Api, district: str) -> dict[str, Any]:
    with reading(api.url) as session:
        rows = Board(session, api.url).district_rows()
    return next(r for r in rows if r["district_id"] == district)


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_reporting_matches_the_protocols_accepted(sqlite_api: Api, kz_protocols: Any) -> None:
    lists = [p for p in kz_protocols[("majilis-list", 1)] if p["station_id"].startswith("01-")]
    accept(sqlite_api.url, lists[:40] + kz_protocols[("majilis-02", 1)][:5])
    with reading(sqlite_api.url) as session:
        board = Board(session, sqlite_api.url)
        nation = {(g.tier, g.round): r for g, r in board.groups()}
        akmola = {(g.tier, g.round): r for g, r in board.groups("akmola")}
        rows = board.district_rows()
    assert (nation[("list", 1)].counted, nation[("list", 1)].stations) == (40, 4912)
    assert (nation[("district", 1)].counted, nation[("district", 1)].stations) == (5, 4912)
    assert (akmola[("list", 1)].counted, akmola[("list", 1)].stations) == (40, 274)
    assert len(rows) == 67, "every district is listed, with or without a protocol"
    assert sum(r["state"].kind == "no_protocol" for r in rows) == 66
    assert district_row(sqlite_api, "02")["reporting"].counted == 5
    territories = sqlite_api.get("/api/results", None).json()["protocols_by_territory"]
    assert all(t["counted"] <= t["stations"] for t in territories)
    assert next(t for t in territories if t["territory_id"] == "akmola")["counted"] == 45


def test_leading_turns_into_elected_only_on_a_complete_count(
    sqlite_api: Api, kz_protocols: Any
) -> None:
    district = kz_protocols[("majilis-01", 1)]
    accept(sqlite_api.url, district[:-1])
    row = district_row(sqlite_api, "01")
    assert row["state"].kind == "leading" and row["state"].margin > 0
    assert row["reporting"].counted == len(district) - 1
    page = words(sqlite_api.get("/", None).text)
    assert f"{row['who'][0]['name']} leading by" in page
    assert api_status(sqlite_api, "majilis-01") == "leading"
    accept(sqlite_api.url, district[-1:])
    row = district_row(sqlite_api, "01")
    assert row["state"].kind == "elected" and row["reporting"].complete
    assert f"{row['who'][0]['name']} elected" in words(sqlite_api.get("/", None).text)
    assert api_status(sqlite_api, "majilis-01") == "decided"


def api_waits(api: Api) -> dict[str, dict[str, Any]]:
    """The new votings /api/results says the count waits for, by district."""
    waits = api.get("/api/results", None).json()["waits"]
    return {w["district_ids"][0]: w for w in waits if w["kind"] == "new_voting_not_ordered"}


def api_status(api: Api, contest: str) -> str:
    """A district contest's standing as /api/results and /api/results/districts/N publish it."""
    results = api.get("/api/results", None).json()
    majilis = next(c for c in results["chambers"] if c["chamber_id"] == "majilis")
    district = api.get("/api/results/districts/01", None).json()
    assert district["status"][contest] == majilis["districts"][contest]
    return str(majilis["districts"][contest])


def test_the_pages_show_names_and_plain_words(sqlite_api: Api, kz_protocols: Any) -> None:
    assert "No protocol has been counted yet" in words(sqlite_api.get("/", None).text)
    accept(
        sqlite_api.url, kz_protocols[("majilis-list", 1)][:3] + kz_protocols[("majilis-01", 1)][:3]
    )
    for path in ("/", "/dashboard/decided", "/districts/01", "/stations/01-001"):
        html = sqlite_api.get(path, None).text
        assert not IDS.search(html), (path, IDS.search(html))
        assert not any(text in html for text in DEVELOPER), path
    page = words(sqlite_api.get("/", None).text)
    assert "New voting in district Atyrau city has not been ordered yet" in page
    assert "Otan (Fatherland)" in page and "provisional" in page
    assert re.search(r"3 of 4,912 stations reporting \(0\.1%\)", page)
    station = words(sqlite_api.get("/stations/01-001", None).text)
    assert (
        "ballots issued (voters who took part)" in station and "District 01 candidate 1" in station
    )


def test_a_runoff_is_named_on_a_complete_count_and_an_ordered_new_voting_stops_waiting(
    sqlite_api: Api, kz_protocols: Any
) -> None:
    accept(sqlite_api.url, kz_protocols[("majilis-02", 1)])
    row = district_row(sqlite_api, "02")
    assert row["state"].kind == "runoff" and len(row["who"]) == 2 and row["round"] == 2
    assert row["reporting"].counted == 0, "round 2 is open, none of its stations in yet"
    names = [w["name"] for w in row["who"]]
    assert f"runoff: {names[0]} vs {names[1]}" in words(sqlite_api.get("/", None).text)
    with reading(sqlite_api.url) as session:
        waits = Board(session, sqlite_api.url).waits
    fifteen = next(
        w for w in waits if w.kind == "new_voting_not_ordered" and "Atyrau" in w.names[0]
    )
    in_russian = sqlite_api.client.get("/", headers={"Accept-Language": "ru"}).text
    waiting = re.search(r'<section class="waits".*?</section>', in_russian, flags=re.S)
    assert waiting is not None and "Атырауский городской округ" in words(waiting.group(0))
    assert api_waits(sqlite_api)["15"]["names"] == ["Atyrau city"]  # the API: id and name
    ordered = sqlite_api.post(
        "/api/stages/new-voting",
        "admin",
        {"contest_id": "majilis-15", "round": 2, "reason": "x", "new_contest_id": "majilis-15-new"},
    )
    assert ordered.status_code == 201, ordered.text
    with reading(sqlite_api.url) as session:
        board = Board(session, sqlite_api.url)
        assert fifteen not in board.waits and len(board.waits) == len(waits) - 1
        row = next(r for r in board.district_rows() if r["district_id"] == "15")
    assert row["new_voting"] and row["state"].kind == "no_protocol"
    assert "new voting:" in words(sqlite_api.get("/", None).text)
