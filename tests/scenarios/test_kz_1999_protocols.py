"""Every generated protocol keeps the control relations, in the protocol-table layout."""

from __future__ import annotations

import pytest

from saylau.protocol.lines import LINES, STATION
from saylau.protocol.table import check_table
from saylau.registry.stations import station_rows
from tests.protocol.helpers import KZ_FORM
from tests.scenarios.helpers import SEEDS, built, entries, outcome, total, violations


@pytest.mark.parametrize(("seed", "stations"), [(1999, None), (7, None), (1999, 1), (7, 4)])
def test_every_protocol_keeps_the_control_relations(seed: int, stations: int | None) -> None:
    inputs = built(seed, stations)
    for key, table in inputs.protocols.items():
        assert violations(table) == [], key
        # every line of the Kazakh form, in the layout's order; no line it does not carry
        form = [line for line in LINES if line not in ("ballots_unaccounted", "valid")]
        assert table.column_names[: 1 + len(form)] == [STATION, *form], key


@pytest.mark.parametrize("seed", SEEDS)
def test_the_protocol_set(seed: int) -> None:
    inputs = built(seed)
    election = inputs.election
    result = outcome(seed)
    expected = {("majilis-list", 1)}
    expected |= {(f"majilis-{d.district_id}", 1) for d in election.districts}
    expected |= {(f"majilis-{d}", 2) for d in result.runoff}
    expected |= {(c.contest_id, 1) for c in election.contests_of("majilis", "new_voting")}
    assert set(inputs.protocols) == expected
    for (contest_id, _), table in inputs.protocols.items():
        contest = election.contest_by_id[contest_id]
        assert (
            table[STATION].to_pylist()
            == election.stations_table_for(contest)["station_id"].to_pylist()
        )
        if contest.tier != "list":
            names = {c.candidate_id for c in election.candidates_in(contest_id)}
            assert set(entries(table)) <= names


@pytest.mark.parametrize("seed", SEEDS)
def test_round_two_has_exactly_the_two_runoff_candidates(seed: int) -> None:
    inputs = built(seed)
    for district in outcome(seed).runoff:
        first = inputs.protocols[(f"majilis-{district}", 1)]
        votes = sorted(((total(first, c), c) for c in entries(first)), reverse=True)
        second = inputs.protocols[(f"majilis-{district}", 2)]
        assert sorted(entries(second)) == sorted(c for _, c in votes[:2])


@pytest.mark.parametrize("seed", SEEDS)
def test_district_ballots_share_the_list_ballots_voters(seed: int) -> None:
    """Every voter received both ballots: the same register and the same ballots issued."""
    inputs = built(seed)
    rows = {r[STATION]: r for r in inputs.protocols[("majilis-list", 1)].to_pylist()}
    for contest in inputs.election.contests_of("majilis", "district"):
        for row in inputs.protocols[(contest.contest_id, 1)].to_pylist():
            same = rows[row[STATION]]
            assert row["registered"] == same["registered"]
            assert row["took_part"] == same["took_part"] == row["ballots_found"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_projects_own_checks_accept_every_protocol(seed: int) -> None:
    """The same relations, checked by saylau.protocol.table, reject nothing."""
    inputs = built(seed)
    stations = [s.station_id for s in station_rows(inputs.election.stations)]
    for (contest_id, round_no), table in inputs.protocols.items():
        checked = check_table(table, contest_id, round_no, stations, form=KZ_FORM)
        assert checked.violations == (), (contest_id, round_no, checked.violations[:3])
        assert checked.rejected_count == 0
