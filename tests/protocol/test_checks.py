"""Each control relation of one protocol: a case that breaks it and the edge that keeps it."""

from __future__ import annotations

from typing import Any

import pytest

from saylau.protocol.checks import (
    CODES,
    PROTOCOL_CHECKS,
    RELATIONS,
    ProtocolViolation,
    check_protocol,
    found_balance,
    found_within_issued,
    issued_within_list,
    line_missing,
    negative,
    outside_within_issued,
    received_balance,
)
from saylau.protocol.lines import LINES, REQUIRED_LINES
from tests.protocol.helpers import GOOD, broken


def test_a_protocol_that_adds_up_is_accepted() -> None:
    assert check_protocol(GOOD) == ()


def test_the_brief_example_message_word_for_word() -> None:
    protocol = broken(
        ballots_received=1_200, took_part=900, ballots_cancelled=250, ballots_lost=None
    )
    assert received_balance(protocol) == (
        ProtocolViolation(
            code="received_balance",
            station_id="0412",
            contest_id="list",
            round=1,
            line="ballots_received",
            message="station 0412, contest list, round 1: ballots received 1,200 ≠ "
            "issued 900 + cancelled 250 (= 1,150): received_balance",
        ),
    )


@pytest.mark.parametrize(
    ("changes", "code", "line", "words"),
    [
        ({"ballots_lost": 11}, "received_balance", "ballots_received", "+ lost 11 (= 1,201)"),
        ({"ballots_cancelled": 289}, "received_balance", "ballots_received", "cancelled 289"),
        (
            {"ballots_unaccounted": 3},
            "received_balance",
            "ballots_received",
            "− unaccounted 3 (= 1,197)",
        ),
        (
            {"ballots_found": 901, "invalid": 21, "ballots_cancelled": 290, "registered": 901},
            "found_within_issued",
            "ballots_found",
            "ballots found 901 > issued 900",
        ),
        ({"invalid": 21}, "found_balance", "ballots_found", "invalid 21 (= 901) ≠ ballots found"),
        (
            {"against_all": None, "invalid": 69},
            "found_balance",
            "ballots_found",
            "votes for the entries 830 + invalid 69 (= 899)",
        ),
        (
            {"registered": 899},
            "issued_within_list",
            "took_part",
            "ballots issued 900 > voters on the list 899",
        ),
        (
            {"took_part_outside": 901},
            "outside_within_issued",
            "took_part_outside",
            "issued outside the station 901 > issued 900",
        ),
    ],
)
def test_each_relation_names_station_line_numbers_and_rule(
    changes: dict[str, Any], code: str, line: str, words: str
) -> None:
    found = check_protocol(broken(**changes))
    assert [(v.code, v.line) for v in found] == [(code, line)]
    (violation,) = found
    assert violation.message.startswith("station 0412, contest list, round 1: ")
    assert words in violation.message
    assert violation.message.endswith(f": {code}")


@pytest.mark.parametrize(
    "changes",
    [
        # issued = voters on the list: allowed ("<=")
        {"registered": 900},
        # found in the boxes = issued is the normal case; fewer found is allowed too
        {"ballots_found": 880, "invalid": 0},
        # everyone voted outside the station
        {"took_part_outside": 900},
        # no lost ballots recorded: received = issued + cancelled
        {"ballots_lost": None, "ballots_cancelled": 300},
        # no against-all line on the form: the entries and invalid make up the ballots found
        {"against_all": None, "invalid": 70},
        # ballots not accounted for on receipt balance a shortfall of ballots received
        {"ballots_received": 1_190, "ballots_unaccounted": 10},
        # zero is a whole number >= 0
        {"took_part_outside": 0, "ballots_lost": 0, "ballots_cancelled": 300},
    ],
)
def test_the_boundary_of_each_relation_is_kept(changes: dict[str, Any]) -> None:
    assert check_protocol(broken(**changes)) == ()


def test_an_empty_station_keeps_every_relation() -> None:
    zero = broken(
        registered=0,
        ballots_received=0,
        took_part=0,
        ballots_cancelled=0,
        ballots_found=0,
        invalid=0,
        votes={"otan": 0},
        against_all=0,
        took_part_outside=0,
        ballots_lost=0,
    )
    assert check_protocol(zero) == ()


@pytest.mark.parametrize(
    ("changes", "line", "words"),
    [
        ({"took_part_outside": -1}, "took_part_outside", "line took_part_outside is -1"),
        ({"ballots_lost": -1_000}, "ballots_lost", "line ballots_lost is -1,000; it cannot be"),
        ({"votes": {"otan": -5, "communist": 230}}, "otan", "votes for otan is -5"),
        ({"ballots_lost": 12.5}, "ballots_lost", "line ballots_lost is 12.5, not a whole number"),
        ({"ballots_lost": True}, "ballots_lost", "is True, not a whole number"),
        ({"votes": {"otan": 600.0, "communist": 230}}, "otan", "votes for otan is 600.0, not"),
    ],
)
def test_negative_and_not_whole_cells(changes: dict[str, Any], line: str, words: str) -> None:
    found = negative(broken(**changes))
    assert [(v.code, v.line) for v in found] == [("negative", line)]
    assert words in found[0].message
    assert found[0].message.endswith(": negative")


def test_a_cell_that_is_not_whole_is_not_used_in_the_sums() -> None:
    # A float lost count or entry is reported once, as `negative`, not again as an imbalance.
    assert [v.code for v in check_protocol(broken(ballots_lost=10.0))] == ["negative"]
    votes = {"otan": 600.5, "communist": 230}
    assert [v.code for v in check_protocol(broken(votes=votes))] == ["negative"]


def test_a_negative_cell_still_takes_part_in_the_sums() -> None:
    found = check_protocol(broken(invalid=-20))
    assert [v.code for v in found] == ["negative", "found_balance"]


@pytest.mark.parametrize("line", REQUIRED_LINES)
def test_every_required_line_must_be_recorded(line: str) -> None:
    found = check_protocol(broken(**{line: None}))
    assert [(v.code, v.line) for v in found] == [("line_missing", line)]
    assert f"line {line} (" in found[0].message
    assert found[0].message.endswith("is not recorded: line_missing")


def test_optional_lines_may_be_left_out() -> None:
    protocol = broken(took_part_outside=None, ballots_lost=None, against_all=None)
    protocol = broken(protocol, ballots_cancelled=300, invalid=70)
    assert line_missing(protocol) == ()
    assert check_protocol(protocol) == ()


def test_each_check_function_reports_only_its_own_code() -> None:
    bad = broken(
        registered=-1,
        took_part=1_000,
        took_part_outside=1_001,
        ballots_found=1_001,
    )
    checks = {
        "negative": negative,
        "received_balance": received_balance,
        "found_within_issued": found_within_issued,
        "found_balance": found_balance,
        "issued_within_list": issued_within_list,
        "outside_within_issued": outside_within_issued,
    }
    for code, check in checks.items():
        assert [v.code for v in check(bad)] == [code]
    assert [v.code for v in check_protocol(bad)] == list(checks)


def test_relations_cover_every_code_with_a_rule() -> None:
    assert tuple(RELATIONS) == CODES
    assert all(RELATIONS[code] for code in CODES)
    assert len(PROTOCOL_CHECKS) == len(CODES) - 2  # duplicates and unknown stations: tables
    assert [check.__name__ for check in PROTOCOL_CHECKS] == list(CODES[:-2])


def test_every_line_is_checked_for_negatives() -> None:
    for line in LINES:
        found = negative(broken(**{line: -1}))
        assert [(v.code, v.line) for v in found] == [("negative", line)]
