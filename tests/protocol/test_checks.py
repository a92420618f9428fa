"""The checks of one protocol: each relation of a law's form, a case that breaks it and the
edge that keeps it; the integrity checks that hold under every form."""

from __future__ import annotations

from typing import Any

import pytest

from saylau.law.form import INTEGRITY_CODES, ProtocolForm
from saylau.protocol.checks import (
    INTEGRITY,
    ProtocolViolation,
    check_protocol,
    line_missing,
    negative,
    rejects,
)
from saylau.protocol.lines import LINES, REQUIRED_LINES
from tests.protocol.helpers import GOOD, KZ_FORM, RU_FORM, broken


def check(protocol: Any, form: ProtocolForm = KZ_FORM) -> tuple[ProtocolViolation, ...]:
    return check_protocol(protocol, form)


RUSSIAN = broken(against_all=None, invalid=70)
"""A protocol of the Russian form: no against-all line; 600 + 230 + 70 = 900 found."""


def test_a_protocol_that_adds_up_is_accepted() -> None:
    assert check(GOOD) == ()
    assert check(RUSSIAN, RU_FORM) == ()


def test_the_brief_example_message_word_for_word() -> None:
    protocol = broken(
        ballots_received=1_200, took_part=900, ballots_cancelled=250, ballots_lost=None
    )
    assert check(protocol) == (
        ProtocolViolation(
            code="received_balance",
            station_id="0412",
            contest_id="list",
            round=1,
            line="ballots_received",
            message="station 0412, contest list, round 1: ballots received 1,200 ≠ "
            "ballots issued 900 + ballots cancelled 250 (= 1,150): received_balance",
            severity="reject",
        ),
    )


@pytest.mark.parametrize(
    ("changes", "code", "line", "words"),
    [
        (
            {"ballots_lost": 11},
            "received_balance",
            "ballots_received",
            "+ ballots lost 11 (= 1,201)",
        ),
        (
            {"ballots_cancelled": 289},
            "received_balance",
            "ballots_received",
            "ballots cancelled 289",
        ),
        (
            {"ballots_found": 901, "invalid": 21, "ballots_cancelled": 290, "registered": 901},
            "found_within_issued",
            "ballots_found",
            "ballots found 901 > ballots issued 900",
        ),
        (
            {"invalid": 21},
            "found_balance",
            "ballots_found",
            "ballots found 900 ≠ votes for the entries 830 + against all 50 + invalid ballots 21 "
            "(= 901)",
        ),
        (
            {"against_all": None, "invalid": 69},
            "found_balance",
            "ballots_found",
            "≠ votes for the entries 830 + invalid ballots 69 (= 899)",
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
            "ballots issued outside the station 901 > ballots issued 900",
        ),
        (
            {"valid": 879},
            "valid_balance",
            "valid",
            "valid ballots 879 ≠ votes for the entries 830 + against all 50 (= 880)",
        ),
    ],
)
def test_each_relation_names_station_line_numbers_and_rule(
    changes: dict[str, Any], code: str, line: str, words: str
) -> None:
    found = check(broken(**changes))
    assert [(v.code, v.line, v.severity) for v in found] == [(code, line, "reject")]
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
        # zero is a whole number >= 0
        {"took_part_outside": 0, "ballots_lost": 0, "ballots_cancelled": 300},
        # a valid line that agrees with the piles
        {"valid": 880},
    ],
)
def test_the_boundary_of_each_relation_is_kept(changes: dict[str, Any]) -> None:
    assert check(broken(**changes)) == ()


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
    assert check(zero) == ()
    assert check(broken(zero, against_all=None), RU_FORM) == ()


def test_the_russian_balance_counts_ballots_not_accounted_for_on_receipt() -> None:
    kept = broken(RUSSIAN, ballots_received=1_190, ballots_unaccounted=10)
    assert check(kept, RU_FORM) == ()
    (violation,) = check(broken(RUSSIAN, ballots_unaccounted=3), RU_FORM)
    assert violation.code == "received_balance"
    assert (
        "ballots received 1,200 ≠ ballots issued 900 + ballots cancelled 290 + ballots lost 10 "
        "− ballots not accounted for on receipt 3 (= 1,197)"
    ) in violation.message


def test_more_ballots_found_than_issued_rejects_in_1999_and_flags_in_russia() -> None:
    more = broken(RUSSIAN, ballots_found=901, invalid=71)
    (kazakh,) = check(broken(more, against_all=0, invalid=71))
    assert (kazakh.code, kazakh.severity) == ("found_within_issued", "reject")
    (russian,) = check(more, RU_FORM)
    assert (russian.code, russian.severity) == ("found_within_issued", "flag")
    assert rejects((kazakh,)) and not rejects((russian,))


def test_the_russian_valid_line_is_checked_against_the_votes_only_where_recorded() -> None:
    assert check(broken(RUSSIAN, valid=830), RU_FORM) == ()
    (violation,) = check(broken(RUSSIAN, valid=831), RU_FORM)
    assert violation.code == "valid_balance"
    assert "valid ballots 831 ≠ votes for the entries 830" in violation.message


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
    assert [v.code for v in check(broken(ballots_lost=10.0))] == ["negative"]
    votes = {"otan": 600.5, "communist": 230}
    assert [v.code for v in check(broken(votes=votes))] == ["negative"]


def test_a_negative_cell_still_takes_part_in_the_sums() -> None:
    found = check(broken(invalid=-20))
    assert [v.code for v in found] == ["negative", "found_balance"]


@pytest.mark.parametrize("line", REQUIRED_LINES)
def test_every_required_line_must_be_recorded(line: str) -> None:
    found = check(broken(**{line: None}))
    assert [(v.code, v.line) for v in found] == [("line_missing", line)]
    assert f"line {line} (" in found[0].message
    assert found[0].message.endswith("is not recorded: line_missing")


def test_optional_lines_may_be_left_out() -> None:
    protocol = broken(took_part_outside=None, ballots_lost=None, against_all=None)
    protocol = broken(protocol, ballots_cancelled=300, invalid=70)
    assert line_missing(protocol) == ()
    assert check(protocol) == ()


def test_violations_come_in_the_order_of_the_checks_and_the_form() -> None:
    bad = broken(registered=-1, took_part=1_000, took_part_outside=1_001, ballots_found=1_001)
    codes = [v.code for v in check(bad)]
    assert codes == [
        "negative",
        "received_balance",
        "found_within_issued",
        "found_balance",
        "issued_within_list",
        "outside_within_issued",
    ]
    form_order = [r.code for r in KZ_FORM.relations]
    assert codes[1:] == [c for c in form_order if c in codes]


def test_a_form_with_no_relations_keeps_only_the_integrity_checks() -> None:
    nothing = ProtocolForm(relations=())
    assert check(broken(invalid=21, registered=1), nothing) == ()
    assert [v.code for v in check(broken(invalid=-21), nothing)] == ["negative"]


def test_every_integrity_check_has_a_rule() -> None:
    assert tuple(INTEGRITY) == INTEGRITY_CODES
    assert all(INTEGRITY.values())


def test_every_line_is_checked_for_negatives() -> None:
    for line in LINES:
        found = negative(broken(**{line: -1}))
        assert [(v.code, v.line) for v in found] == [("negative", line)]
