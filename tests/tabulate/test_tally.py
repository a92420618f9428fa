"""Live totals: the worked election one protocol at a time, corrections, and bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest

from saylau.errors import InputError
from saylau.tabulate.tally import Tally
from tests.tabulate.tables import protocol, registry
from tests.tabulate.test_batch import ACCEPTED, ENTRIES, PROTOCOLS, STATIONS, _worked


def _tally(expected: list[str] | None = None) -> Tally:
    return Tally(STATIONS, contest_id="list", round=1, entries=ENTRIES, expected=expected)


def _fed() -> Tally:
    tally = _tally()
    for found, accepted in zip(PROTOCOLS, ACCEPTED.to_pylist(), strict=True):
        if accepted:
            tally.add(found)
        else:
            tally.reject(found)
    return tally


def test_the_worked_election_one_protocol_at_a_time() -> None:
    assert _fed().totals() == _worked()


def test_nothing_reported_yet() -> None:
    assert _tally().totals().by_district == {}
    totals = _tally(expected=["s1", "s6"]).totals()
    assert totals.nation.missing == 2 and totals.nation.protocols == 0
    assert totals.nation.votes == {"otan": 0, "communist": 0}


def test_a_correction_replaces_the_version_it_corrects() -> None:
    tally = _fed()
    s4 = PROTOCOLS[2]
    votes = {"otan": 71, "communist": 39}
    tally.add(replace(s4, registered=201, votes=votes, against_all=None, version=2))
    totals = tally.totals()
    assert totals.by_district["d2"].registered == 251
    assert totals.nation.votes == {"otan": 161, "communist": 83}
    assert totals.nation.protocols == 4 and totals.nation.against_all == 3
    assert totals.by_district["d2"].against_all is None  # version 2 leaves the line out
    tally.add(replace(PROTOCOLS[1], version=2))  # s2 was rejected; its correction is accepted
    totals = tally.totals()
    assert totals.by_district["d1"].rejected == 0 and totals.by_district["d1"].protocols == 2
    tally.reject(replace(s4, version=3))
    assert tally.totals().by_district["d2"].protocols == 1
    assert tally.totals().by_district["d2"].rejected == 1


def test_a_version_that_is_not_newer_is_refused() -> None:
    tally = _fed()
    with pytest.raises(InputError, match="station s4: version 1 does not replace version 1"):
        tally.add(PROTOCOLS[2])


def test_protocols_of_another_contest_or_round_are_refused() -> None:
    with pytest.raises(InputError, match="protocol of contest list round 2, not list round 1"):
        _tally().add(replace(PROTOCOLS[0], round=2))


def test_votes_for_an_entry_not_on_the_ballot_are_refused() -> None:
    with pytest.raises(InputError, match="station s1: votes for agrarian, not on the ballot"):
        _tally().add(replace(PROTOCOLS[0], votes={"agrarian": 3}))


def test_a_protocol_of_no_expected_station() -> None:
    stray = protocol("s9", (1, 1, 1, 0, 1, 0), {})
    tally = _tally(expected=["s1", "s2", "s3"])
    with pytest.raises(InputError, match="station s9: accepted protocol of a station"):
        tally.add(stray)
    with pytest.raises(InputError, match="station s4: accepted protocol of a station"):
        tally.add(PROTOCOLS[2])
    tally.reject(stray)
    tally.reject(replace(stray, version=2))
    tally.reject(PROTOCOLS[2])
    totals = tally.totals()
    assert totals.unplaced == 2 and totals.nation.rejected == 0 and totals.nation.missing == 3


def test_an_expected_station_must_be_in_the_registry() -> None:
    with pytest.raises(InputError, match="expected station s7 is not in the registry"):
        _tally(expected=["s1", "s7"])


def test_a_district_split_between_territories_is_refused() -> None:
    split = registry([("s1", "d1", "t1"), ("s2", "d1", "t2")])
    tally = Tally(split, contest_id="list", round=1, entries=ENTRIES)
    tally.add(PROTOCOLS[0])
    with pytest.raises(InputError, match="district d1 lies in territories t1 and t2"):
        tally.totals()
