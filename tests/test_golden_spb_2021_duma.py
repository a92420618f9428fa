"""Golden: `saylau run spb-2021-duma` on the real St Petersburg part of the 2021 Duma election.

The oracle is a plain read of the station files shipped with Saylau with the csv module, one
row per station (src/saylau/importers/spb2021/data/SOURCES.md); district winners are the
`RU-Duma-2021 (SPb districts)` rows of data/real/spb2021_smd_winners.csv, whose sums equal
the official city summary.

The list seats here are St Petersburg's votes alone put through the national list tier, not
the official allocation (data/ru-2021-duma/seats.csv): the run is labelled a counterfactual
for its seats, and says that 217 of the 225 districts are not part of its data.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter, defaultdict
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from saylau.cli import app
from saylau.importers.spb2021.files import shipped
from saylau.rules.exact import fixed
from tests.conftest import DATA

REAL = shipped()
LIST = REAL / "spb2021_duma_list_by_uik.csv.gz"
DISTRICTS = REAL / "spb2021_duma_smd_by_uik.csv.gz"
WINNERS = DATA / "real" / "spb2021_smd_winners.csv"
DUMA_ROWS = "RU-Duma-2021 (SPb districts)"

FOUND_OVER_ISSUED = {("duma-212", "764")}
"""The only protocol with more ballots found than issued: 284 found, 283 issued."""
SPB_LIST_SEATS = {"5": 93, "1": 48, "6": 29, "4": 20, "7": 18, "3": 17}
"""The 225 seats on St Petersburg's votes alone: not the official allocation."""
NATIONAL_LIST_SEATS = {"5": 126, "1": 48, "3": 19, "6": 19, "4": 13}


def _invoke(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["run", *args, "--json", "--stages"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@cache
def output() -> dict[str, Any]:
    return _invoke("spb-2021-duma")


Station = dict[str, int]


@cache
def stations(path: Path) -> dict[tuple[str, str], Station]:
    """Each (district, station) once: its lines, derived as the importer states, and votes."""
    found: dict[tuple[str, str], Station] = {}
    votes: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["smd"], row["uik"])
            lines = {name: int(row[name]) for name in ("registered", "valid", "invalid")}
            lines["took_part"] = (
                int(row["ballots_received"])
                - int(row["ballots_cancelled"])
                - int(row["lost"])
                + int(row["not_counted"])
            )
            lines["ballots_found"] = int(row["ballots_stationary"]) + int(row["ballots_portable"])
            assert found.setdefault(key, lines) == lines
            votes[key][row["party_id"] if not row["smd"] else row["entry_position"]] += int(
                row["votes"]
            )
    for key, station in found.items():
        station |= {f"votes:{entry}": n for entry, n in votes[key].items()}
    return found


def _sum(path: Path, line: str, smd: str | None = None) -> int:
    return sum(s[line] for (d, _), s in stations(path).items() if smd is None or d == smd)


def _decisions() -> dict[str, dict[str, Any]]:
    return {d["contest_id"]: d for s in output()["stages"] for d in s["decisions"]}


def test_no_protocol_the_commission_counted_is_rejected() -> None:
    assert output()["rejected"] == []


def test_only_more_ballots_found_than_issued_is_flagged() -> None:
    """No control relation of the Russian form: counted as the commission counted it."""
    over = {
        ("duma-list" if not smd else f"duma-{smd}", uik)
        for path in (LIST, DISTRICTS)
        for (smd, uik), s in stations(path).items()
        if s["ballots_found"] > s["took_part"]
    }
    assert over == FOUND_OVER_ISSUED
    flagged = output()["flagged"]
    assert {(f["contest_id"], f["station_id"]) for f in flagged} == FOUND_OVER_ISSUED
    assert all(f["codes"] == ["found_within_issued"] for f in flagged)
    assert "ballots found 284 > ballots issued 283" in flagged[0]["messages"][0]
    count = _decisions()["duma-212"]["count"]
    assert (count["rejected"], count["flagged"], count["missing"]) == (0, 1, 0)


def test_the_totals_are_the_station_sums_of_the_list_file() -> None:
    duma = output()["duma"]
    assert len(stations(LIST)) == 2043
    for line in ("registered", "took_part", "valid", "invalid"):
        assert duma[line] == _sum(LIST, line), line
    assert (duma["registered"], duma["valid"], duma["invalid"]) == (3_931_555, 1_430_296, 36_297)
    votes = {p["party_id"]: p["list_votes"] for p in duma["parties"]}
    assert votes == {party: _sum(LIST, f"votes:{party}") for party in votes}
    conflicts = [n["text"] for n in output()["notes"] if n["kind"] == "conflict"]
    assert not any(text.startswith("duma ") for text in conflicts)  # every figure as published
    assert output()["generated"] == []


def test_every_district_count_is_the_station_sum_of_the_district_file() -> None:
    decisions = _decisions()
    smds = sorted({smd for smd, _ in stations(DISTRICTS)})
    assert smds == [str(n) for n in range(211, 219)]
    for smd in smds:
        count = decisions[f"duma-{smd}"]["count"]
        for line in ("registered", "took_part", "valid", "invalid", "ballots_found"):
            assert count[line] == _sum(DISTRICTS, line, smd), (smd, line)


def test_every_district_winner_is_the_published_one_with_the_published_votes() -> None:
    with WINNERS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["election"] == DUMA_ROWS]
    assert sorted(int(r["district"]) for r in rows) == list(range(211, 219))
    seats = {s["contest_id"]: s for s in output()["duma"]["seats"]}
    decisions = _decisions()
    assert len(seats) == 8
    for row in rows:
        contest = f"duma-{row['district']}"
        assert (seats[contest]["name"], seats[contest]["votes"]) == (
            row["winner"],
            int(row["winner_votes"]),
        )
        count = decisions[contest]["count"]
        assert sorted(count["votes"].values())[-2] == int(row["runner_up_votes"])
        assert (count["valid"], count["invalid"], count["registered"]) == (
            int(row["valid"]),
            int(row["invalid"]),
            int(row["registered"]),
        )


def test_the_list_threshold_is_measured_against_the_ballots_found() -> None:
    (decision,) = output()["duma"]["lists"]
    explanation = decision["allocation"]["explanation"]
    found = _sum(LIST, "ballots_found")
    assert found == _sum(LIST, "valid") + _sum(LIST, "invalid") == 1_466_593
    assert explanation["threshold"]["base"] == "ballots_found"
    assert explanation["threshold"]["base_value"] == found
    for q in explanation["qualification"]:
        share = Fraction(q["votes"], found)
        assert Fraction(q["share_of_base"]) == share
        assert q["reason"].startswith(f"{fixed(100 * share)}% of ballots_found")
    assert "  5: 513,120 votes, 34.99% of ballots_found >= 5%: qualifies" in explanation["text"]


def test_the_list_seats_are_st_petersburgs_alone_not_the_official_ones() -> None:
    duma = output()["duma"]
    won = {p["party_id"]: p["list_seats"] for p in duma["parties"] if p["list_seats"]}
    assert won == SPB_LIST_SEATS
    assert won != NATIONAL_LIST_SEATS
    assert (duma["seats_filled"], duma["seats_total"]) == (233, 450)
    assert any(
        n["kind"] == "assumption" and "St Petersburg's votes alone" in n["text"]
        for n in output()["notes"]
    )


def test_the_exported_list_percentages_are_of_the_ballots_found() -> None:
    found = _sum(LIST, "ballots_found")
    for party in output()["duma"]["parties"]:
        assert party["list_percent"] == fixed(Fraction(100 * party["list_votes"], found))


def test_the_printed_list_percentages_are_of_the_ballots_found() -> None:
    result = CliRunner().invoke(app, ["run", "spb-2021-duma"])
    united_russia = next(line for line in result.stdout.splitlines() if "513,120" in line)
    assert "34.99" in united_russia  # 513,120 of 1,466,593 ballots found; not 34.71 of issued


def test_the_slice_is_labelled_and_its_missing_districts_accounted_for() -> None:
    data = output()
    assert data["counterfactual"] is True
    (reason,) = data["counterfactual_reasons"]
    assert "duma list_seats.5 is 93, published 126" in reason
    duma = data["duma"]
    assert (duma["law"]["id"], duma["list_percent_base"]) == ("ru-2021-duma", "ballots_found")
    assert duma["list_percent_base_value"] == _sum(LIST, "ballots_found")
    assert (duma["seats_filled"], duma["seats_not_in_data"]) == (225 + 8, 217)
    (gap,) = duma["gaps"]
    assert (gap["tier"], gap["seats"]) == ("district", 217)
    parties = {p["party_id"]: p for p in duma["parties"]}
    assert parties["5"]["published_total_seats"] is None  # only list seats were published


def test_the_election_directory_gives_the_same_result(tmp_path: Path) -> None:
    """The documented layout: `--out DIR` writes the election, and running it again agrees."""
    out = tmp_path / "duma"
    assert _invoke("spb-2021-duma", "--out", str(out)) == output()
    protocols = sorted(p.name for p in (out / "election" / "protocols").iterdir())
    assert protocols == [f"duma-{n}.r1.csv" for n in [*range(211, 219), "list"]]
    with (out / "election" / "protocols" / "duma-list.r1.csv").open(newline="") as handle:
        header = next(csv.reader(handle))
    assert {"valid", "ballots_unaccounted", "took_part"} <= set(header)
    assert _invoke(str(out / "election")) == output()


def test_the_compared_figures_say_their_kind() -> None:
    """The national list seats were published by the Central Election Commission; the
    station sums are sums of the same files the run reads."""
    kinds = {c["figure"]: c["kind"] for c in output()["duma"]["compared"]}
    assert {f for f, kind in kinds.items() if kind == "published"} == {
        f"list_seats.{party}" for party in range(1, 15)
    }
    assert {f for f, kind in kinds.items() if kind == "sum_of_inputs"} == {
        "registered",
        "valid",
        "invalid",
        "ballots_found",
    }
    result = CliRunner().invoke(app, ["run", "spb-2021-duma", "--quiet"])
    lines = result.stdout.splitlines()
    legend = " ".join(" ".join(lines[4:8]).split())
    assert (
        "Compared figures: * compared with a figure published by an outside source; "
        "Σ compared with a sum of the same files this run reads"
    ) in legend
    united_russia = next(line for line in lines if "513,120" in line)
    assert [cell.strip() for cell in united_russia.split("│")[1:-1]][4] == "93*"
    text = " ".join(result.stdout.split())
    assert "Registered voters 3,931,555Σ;" in text
    assert "│ Invalid ballots │ │ 36,297Σ │" in text
