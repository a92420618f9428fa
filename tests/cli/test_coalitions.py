"""Coalitions through `saylau run`: parties.csv names a coalition and its members, the
law's coalition threshold applies to its list, and a district won by a coalition's
candidate counts for the member party that nominated them (candidates.csv `member`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli import app

runner = CliRunner()

LAW = """
id = "coalition-house"
name = "Coalition House"
country = "XX"
chamber = "House"
year = 2030
seats_total = 5
majority = 3

[protocol]
relations = [
  {{ code = "issued_within_list", rule = "took_part <= registered", severity = "reject" }},
]

[list_tier]
seats = 4
method = "hare"
tie_breaks = ["registration_order"]

[list_tier.threshold]
share = "5%"
base = "took_part"
{coalition}

[district_tier]
seats = 1
rounds = 1
win = "plurality"
"""

FILES = {
    "election.toml": (
        'id = "coal"\nname = "Coalitions"\nseed = 1\n\n'
        '[[chambers]]\nchamber_id = "house"\nname = "House"\nlaw = "law/house.toml"\n'
    ),
    "parties.csv": (
        "party_id,name,kind,registration_order,members\n"
        "a,Party A,party,1,\n"
        "b,Party B,party,2,\n"
        "x,Party X,party,3,\n"
        "y,Party Y,party,4,\n"
        "z,Party Z,party,5,\n"
        "xyz,Bloc XYZ,coalition,6,x;y;z\n"
    ),
    "territories.csv": "territory_id,name\nt,Land\n",
    "districts.csv": "district_id,name,territory_id\nd,Town,t\n",
    "stations.csv": "station_id,district_id,territory_id\ns1,d,t\ns2,d,t\n",
    "contests.csv": "contest_id,chamber,tier,district_id\nlist,house,list,\nd1,house,district,d\n",
    "candidates.csv": (
        "candidate_id,contest_id,name,nominator,member\nd1-a,d1,Ann A,a,\nd1-xyz,d1,Xu Bloc,xyz,y\n"
    ),
}
LIST_PROTOCOL = (
    "station_id,registered,ballots_received,took_part,ballots_cancelled,ballots_found,invalid,"
    "a,b,xyz\n"
    "s1,1000,600,500,100,500,0,288,167,45\n"
    "s2,1000,600,500,100,500,0,287,168,45\n"
)
"""a 575, b 335, xyz 90 of 1,000 who took part: the bloc has 9%. All three qualifying, Hare
gives a 2, b 1 and the bloc the last seat by its remainder (0.36 of a quota); without the
bloc, a 3 and b 1."""
DISTRICT_PROTOCOL = (
    "station_id,registered,ballots_received,took_part,ballots_cancelled,ballots_found,invalid,"
    "d1-a,d1-xyz\n"
    "s1,1000,600,500,100,500,0,200,300\n"
    "s2,1000,600,500,100,500,0,200,300\n"
)


def _directory(tmp_path: Path, coalition: str, **changed: str) -> Path:
    root = tmp_path / "coal"
    (root / "law").mkdir(parents=True)
    (root / "protocols").mkdir()
    for name, text in {**FILES, **changed}.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "law" / "house.toml").write_text(LAW.format(coalition=coalition), encoding="utf-8")
    (root / "protocols" / "list.r1.csv").write_text(LIST_PROTOCOL, encoding="utf-8")
    (root / "protocols" / "d1.r1.csv").write_text(DISTRICT_PROTOCOL, encoding="utf-8")
    return root


def _run(root: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["run", str(root), "--json", "-q"])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.output)
    return found


def _qualification(out: dict[str, Any], party: str) -> dict[str, Any]:
    rows = out["house"]["lists"][0]["allocation"]["explanation"]["qualification"]
    found: dict[str, Any] = next(q for q in rows if q["party_id"] == party)
    return found


def test_a_coalition_under_its_bar_wins_no_list_seat(tmp_path: Path) -> None:
    out = _run(_directory(tmp_path, 'coalition_share = "10%"'))
    allocation = out["house"]["lists"][0]["allocation"]
    assert allocation["seats"] == {"a": 3, "b": 1, "xyz": 0}
    row = _qualification(out, "xyz")
    assert row["votes"] == 90
    assert row["kind"] == "coalition"
    assert not row["qualified"]
    assert row["reason"] == "9.00% of took_part < 10% (coalition threshold)"
    text = "\n".join(allocation["explanation"]["text"])
    assert "xyz: 90 votes, 9.00% of took_part < 10% (coalition threshold)" in text
    parties = {p["party_id"]: p for p in out["house"]["parties"]}
    assert parties["xyz"]["list_votes"] == 90


@pytest.mark.parametrize("coalition", ['coalition_share = "9%"', ""])
def test_the_same_votes_under_a_lower_bar_win_a_seat(tmp_path: Path, coalition: str) -> None:
    out = _run(_directory(tmp_path, coalition))
    assert out["house"]["lists"][0]["allocation"]["seats"] == {"a": 2, "b": 1, "xyz": 1}
    assert _qualification(out, "xyz")["qualified"]


@pytest.mark.parametrize(
    ("members", "qualified", "bar"),
    [("x;y", True, "7%"), ("x;y;z", False, "10%")],
)
def test_a_coalition_bar_that_grows_with_its_members(
    tmp_path: Path, members: str, qualified: bool, bar: str
) -> None:
    steps = (
        'coalition_share = "7%"\n'
        "coalition_by_members = [\n"
        '  { members = 2, share = "7%" },\n'
        '  { members = 3, share = "10%" },\n'
        "]\n"
    )
    parties = FILES["parties.csv"].replace("x;y;z", members)
    out = _run(_directory(tmp_path, steps, **{"parties.csv": parties}))
    row = _qualification(out, "xyz")
    assert row["qualified"] is qualified
    count = len(members.split(";"))
    assert f"{bar} (coalition threshold for {count} members)" in row["reason"]


def test_a_district_won_by_a_coalition_counts_for_its_member(tmp_path: Path) -> None:
    out = _run(_directory(tmp_path, 'coalition_share = "10%"'))
    (seat,) = out["house"]["seats"]
    assert (seat["nominator"], seat["party_id"]) == ("xyz", "y")
    parties = {p["party_id"]: p for p in out["house"]["parties"]}
    assert parties["y"]["district_seats"] == 1
    assert parties["xyz"]["district_seats"] == 0


@pytest.mark.parametrize(
    ("parties", "candidates", "message"),
    [
        (
            FILES["parties.csv"].replace("x;y;z", "x"),
            None,
            "coalition xyz names 1 member(s); a coalition has two or more",
        ),
        (
            FILES["parties.csv"].replace("x;y;z", "x;q"),
            None,
            "coalition xyz: unknown member q (not in parties.csv)",
        ),
        (
            FILES["parties.csv"].replace("a,Party A,party,1,", "a,Party A,party,1,x;y"),
            None,
            "party a has members; only a coalition (kind coalition) has them",
        ),
        (
            None,
            FILES["candidates.csv"].replace("xyz,y", "xyz,b"),
            "candidate d1-xyz: b is not a member of the coalition xyz (x, y, z)",
        ),
        (
            None,
            FILES["candidates.csv"].replace("d1-a,d1,Ann A,a,", "d1-a,d1,Ann A,a,x"),
            "candidate d1-a: a member is named only for a coalition's candidate",
        ),
    ],
)
def test_coalitions_are_checked_at_registration(
    tmp_path: Path, parties: str | None, candidates: str | None, message: str
) -> None:
    changed = {"parties.csv": parties} if parties else {"candidates.csv": candidates or ""}
    root = _directory(tmp_path, "", **changed)
    result = runner.invoke(app, ["run", str(root), "--json", "-q"])
    assert result.exit_code != 0
    assert message in result.output


def test_compare_keeps_the_coalition_bar_under_every_threshold(tmp_path: Path) -> None:
    root = _directory(tmp_path, 'coalition_share = "10%"')
    result = runner.invoke(app, ["compare", str(root), "--threshold", "5,3", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [row["threshold"] for row in rows] == [5, 3]
    for row in rows:
        assert row["list_seats"] == {"a": 3, "b": 1, "xyz": 0}
        assert (row["total_seats"]["y"], row["total_seats"]["xyz"]) == (1, 0)


ALLOCATE_LAW = """
id = "bloc-law"
name = "Bloc law"
country = "XX"
chamber = "House"
year = 2030
seats_total = 10
majority = 6

[protocol]
relations = []

[list_tier]
seats = 10
method = "hare"
tie_breaks = ["registration_order"]

[list_tier.threshold]
share = "10%"
base = "list_votes"
coalition_by_members = [{{ members = 2, share = "15%" }}, {{ members = 3, share = "20%" }}]
{admission}
"""


@pytest.mark.parametrize(
    ("members", "admission", "seats"),
    [
        ("3", "", {"a": 6, "b": 4, "bloc": 0, "c": 0}),
        ("2", "", {"a": 5, "b": 3, "bloc": 2, "c": 0}),
        ("3", '[list_tier.admission]\nshare = "90%"', {"a": 5, "b": 3, "bloc": 2, "c": 0}),
    ],
)
def test_allocate_reads_a_coalitions_members_and_the_laws_admission(
    tmp_path: Path, members: str, admission: str, seats: dict[str, int]
) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text(
        f"party,votes,kind,members\na,500,party,\nb,300,party,\nbloc,150,coalition,{members}\n"
        "c,50,party,\n",
        encoding="utf-8",
    )
    law = tmp_path / "law.toml"
    law.write_text(ALLOCATE_LAW.format(admission=admission), encoding="utf-8")
    result = runner.invoke(app, ["allocate", str(votes), "--law", str(law), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["seats"] == seats


def test_only_a_coalition_has_members_in_a_votes_file(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("party,votes,kind,members\na,500,party,2\n", encoding="utf-8")
    result = runner.invoke(app, ["allocate", str(votes), "--seats", "1", "--method", "hare"])
    assert result.exit_code != 0
    assert "row 2, field members: only a coalition has members" in result.output
