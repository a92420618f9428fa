"""Open lists through `saylau run`: preferences.csv reorders each list under the law's rule,
and the result names who took each seat and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli import app

runner = CliRunner()

LAW = """
id = "open-house"
name = "Open House"
country = "XX"
chamber = "House"
year = 2030
seats_total = 4
majority = 3

[protocol]
relations = [
  {{ code = "issued_within_list", rule = "took_part <= registered", severity = "reject" }},
]

[list_tier]
seats = 4
method = "hare"
tie_breaks = ["lot"]
{preferences}
"""

FILES = {
    "election.toml": (
        'id = "open"\nname = "Open lists"\nseed = 1\n\n'
        '[[chambers]]\nchamber_id = "house"\nname = "House"\nlaw = "law/open.toml"\n'
    ),
    "parties.csv": "party_id,name\na,Party A\nb,Party B\n",
    "lists.csv": "party_id,rank,name\na,1,Ann\na,2,Bo\na,3,Cy\na,4,Di\nb,1,Ed\nb,2,Fa\n",
    "territories.csv": "territory_id,name\nt,Land\n",
    "districts.csv": "district_id,name,territory_id\nd,Town,t\n",
    "stations.csv": "station_id,district_id,territory_id\ns1,d,t\ns2,d,t\ns3,d,t\n",
    "contests.csv": "contest_id,chamber,tier\nlist,house,list\n",
}
PROTOCOL = (
    "station_id,registered,ballots_received,took_part,ballots_cancelled,ballots_found,invalid,a,b\n"
    "s1,1000,600,500,100,500,0,350,150\n"
    "s2,1000,600,500,100,500,0,350,150\n"
    "s3,100,600,500,100,500,0,350,150\n"  # more issued than registered: rejected
)
"""a 700 and b 300 votes counted: 3 seats to a, 1 to b (Hare, 4 seats)."""


def _directory(tmp_path: Path, preferences: str | None, rows: str | None) -> Path:
    root = tmp_path / "open"
    (root / "law").mkdir(parents=True)
    (root / "protocols").mkdir()
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    block = "" if preferences is None else f"\n[list_tier.preferences]\n{preferences}\n"
    (root / "law" / "open.toml").write_text(LAW.format(preferences=block), encoding="utf-8")
    (root / "protocols" / "list.r1.csv").write_text(PROTOCOL, encoding="utf-8")
    if rows is not None:
        (root / "preferences.csv").write_text(rows, encoding="utf-8")
    return root


def _run(root: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["run", str(root), "--json", "-q"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


BY_STATION = (
    "contest_id,party_id,rank,votes,station_id\n"
    "list,a,3,40,s1\nlist,a,3,30,s2\n"  # Cy: 70 counted
    "list,a,4,50,s1\nlist,a,4,45,s2\n"  # Di: 95 counted
    "list,a,2,20,s1\n"  # Bo: 20
    "list,a,1,5,s1\nlist,a,1,500,s3\n"  # Ann: 5 counted; s3's protocol is rejected
    "list,b,2,1,s1\n"
)


def test_a_plain_reordering_seats_the_most_preferred(tmp_path: Path) -> None:
    house = _run(_directory(tmp_path, 'rule = "reorder"', BY_STATION))["house"]
    (decided,) = house["lists"]
    assert decided["members"] == {"a": ["Di", "Cy", "Bo"], "b": ["Fa"]}
    seats = decided["seated"]["a"]
    assert [(s["seat"], s["name"], s["why"]) for s in seats] == [
        (1, "Di", "95 preference votes"),
        (2, "Cy", "70 preference votes"),
        (3, "Bo", "20 preference votes"),
    ]
    assert seats[0]["list_rank"] == 4 and seats[0]["reason"] == "preferences"
    assert decided["preference_rule"].startswith("every candidate by preference votes")


def test_a_quota_moves_up_only_those_over_it(tmp_path: Path) -> None:
    """a's quota: 10% of its 700 votes = 70; Di (95) and Cy (70, exactly) reach it, Bo (20)
    does not."""
    root = _directory(tmp_path, 'rule = "quota"\nquota = "10%"', BY_STATION)
    decided = _run(root)["house"]["lists"][0]
    assert [(s["name"], s["why"]) for s in decided["seated"]["a"]] == [
        ("Di", "95 preference votes"),
        ("Cy", "70 preference votes"),
        ("Ann", "list rank 1"),
    ]
    assert decided["seated"]["b"] == [
        {
            "seat": 1,
            "name": "Ed",
            "list_rank": 1,
            "preference_votes": 0,
            "reason": "list_rank",
            "why": "list rank 1",
        }
    ]


def test_the_text_names_who_took_each_seat_and_why(tmp_path: Path) -> None:
    root = _directory(tmp_path, 'rule = "quota"\nquota = "10%"', BY_STATION)
    result = runner.invoke(app, ["run", str(root), "-q"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "List seats, in order (candidates with preference votes of at least 10%" in text
    assert "a: 1 Di (95 preference votes), 2 Cy (70 preference votes), 3 Ann (list rank 1)" in text
    assert "b: 1 Ed (list rank 1)" in text
    closed = runner.invoke(app, ["run", str(_directory(tmp_path / "c", None, None)), "-q"])
    assert "List seats, in order" not in closed.stdout


def test_constituency_totals_count_whole(tmp_path: Path) -> None:
    rows = "contest_id,party_id,rank,votes\nlist,a,2,900\nlist,b,2,3\n"
    decided = _run(_directory(tmp_path, 'rule = "reorder"', rows))["house"]["lists"][0]
    assert decided["members"] == {"a": ["Bo", "Ann", "Cy"], "b": ["Fa"]}


def test_closed_lists_keep_list_order_and_say_the_preferences_went_unused(
    tmp_path: Path,
) -> None:
    data = _run(_directory(tmp_path, None, BY_STATION))
    decided = data["house"]["lists"][0]
    assert decided["members"] == {"a": ["Ann", "Bo", "Cy"], "b": ["Ed"]}
    assert "seated" not in decided and "preference_rule" not in decided
    unused = [n["text"] for n in data["notes"] if n["kind"] == "unused"]
    assert any("preference votes for list were not used" in t for t in unused), unused


def test_a_closed_list_law_that_says_so_names_the_list_rank(tmp_path: Path) -> None:
    decided = _run(_directory(tmp_path, 'rule = "none"', None))["house"]["lists"][0]
    assert [s["why"] for s in decided["seated"]["a"]] == [
        "list rank 1",
        "list rank 2",
        "list rank 3",
    ]


@pytest.mark.parametrize(
    ("rows", "told"),
    [
        ("contest_id,party_id,rank,votes\nlist,a,9,1\n", "a's list has no rank 9"),
        ("contest_id,party_id,rank,votes\nlist,z,1,1\n", "z has no list"),
        ("contest_id,party_id,rank,votes\nnope,a,1,1\n", "nope is not a list contest"),
        (
            "contest_id,party_id,rank,votes,station_id\nlist,a,1,1,s9\n",
            "s9 is not in stations.csv",
        ),
        (
            "contest_id,party_id,rank,votes,station_id\nlist,a,1,1,s1\nlist,a,1,2,s1\n",
            "given a second time",
        ),
        (
            "contest_id,party_id,rank,votes,station_id\nlist,a,1,1,s1\nlist,a,2,2,\n",
            "both by station and for the whole constituency",
        ),
        ("contest_id,party_id,rank,votes\nlist,a,1,-1\n", "votes"),
    ],
)
def test_every_problem_names_the_file_and_the_field(tmp_path: Path, rows: str, told: str) -> None:
    root = _directory(tmp_path, 'rule = "reorder"', rows)
    result = runner.invoke(app, ["run", str(root), "-q"])
    assert result.exit_code == 2, result.output
    assert told in result.output
    assert "preferences" in result.output


def test_an_out_bundle_keeps_the_preferences_and_verifies(tmp_path: Path) -> None:
    root = _directory(tmp_path, 'rule = "reorder"', BY_STATION)
    out = tmp_path / "bundle"
    result = runner.invoke(app, ["run", str(root), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert (out / "election" / "preferences.csv").is_file()
    again = _run(out / "election")["house"]["lists"][0]
    assert again["members"]["a"] == ["Di", "Cy", "Bo"]
    checked = runner.invoke(app, ["verify", str(out)])
    assert checked.exit_code == 0, checked.output
