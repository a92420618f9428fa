"""The vectorized table check: the same violations as one protocol at a time, plus the
table's own relations (duplicate and unknown stations); rejected rows are kept."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from saylau.law.form import (
    SYMBOLS,
    ControlRelation,
    ProtocolForm,
    parse_relation,
)
from saylau.protocol.checks import (
    ProtocolKey,
    ProtocolViolation,
    check_protocol,
    duplicated,
    unknown,
)
from saylau.protocol.lines import LINES, OPTIONAL_LINES, Protocol, entries
from saylau.protocol.table import (
    check_table,
    protocols_from_table,
    table_from_protocols,
)
from tests.protocol.helpers import GOOD, KZ_FORM, RU_FORM, broken

STATIONS = ("0001", "0002", "0003", "0004", "0005")
PARTIES = ("otan", "communist", "civic")


def at(station_id: str, protocol: Protocol = GOOD, **changes: Any) -> Protocol:
    return broken(protocol, station_id=station_id, **changes)


def test_a_table_of_good_protocols_is_all_accepted() -> None:
    table = table_from_protocols([at("0001"), at("0002")])
    check = check_table(table, "list", 1, stations=["0001", "0002", "0003"], form=KZ_FORM)
    assert check.violations == ()
    assert check.accepted.to_pylist() == [True, True]
    assert check.rejected_stations == ()
    assert check.accepted_count == 2


def test_rejected_rows_are_kept_and_only_masked() -> None:
    table = table_from_protocols([at("0001"), at("0002", invalid=21), at("0003")])
    check = check_table(table, "list", 1, form=KZ_FORM)
    assert check.table.num_rows == 3
    assert check.accepted.to_pylist() == [True, False, True]
    assert check.rejected_stations == ("0002",)
    assert (check.accepted_count, check.rejected_count) == (2, 1)
    assert check.accepted_table()["station_id"].to_pylist() == ["0001", "0003"]
    assert [(v.code, v.station_id, v.line) for v in check.violations] == [
        ("found_balance", "0002", "ballots_found")
    ]
    assert check.rows == (1,)
    assert "station 0002, contest list, round 1: " in check.violations[0].message


def test_every_row_of_a_duplicated_station_is_rejected() -> None:
    table = table_from_protocols([at("0001"), at("0002"), at("0001"), at("0003"), at("0001")])
    check = check_table(table, "list", 1, form=KZ_FORM)
    assert check.accepted.to_pylist() == [False, True, False, True, False]
    assert check.rows == (0, 2, 4)
    assert {v.code for v in check.violations} == {"duplicate_station"}
    assert check.violations[0].line == "station_id"
    assert check.violations[0].message == (
        "station 0001, contest list, round 1: station_id 0001 is on 3 rows; "
        "one protocol per station: duplicate_station"
    )
    assert check.counts() == {"duplicate_station": 3}


def test_a_station_that_is_not_the_elections_is_rejected() -> None:
    table = table_from_protocols([at("0001"), at("9999")])
    check = check_table(table, "list", 1, stations=frozenset({"0001", "0002"}), form=KZ_FORM)
    assert check.accepted.to_pylist() == [True, False]
    (violation,) = check.violations
    assert (violation.code, violation.station_id, violation.line) == (
        "unknown_station",
        "9999",
        "station_id",
    )
    assert "9999 is not one of the stations that report this contest" in violation.message
    assert (
        check_table(table, "list", 1, form=KZ_FORM).violations == ()
    )  # no registry: no such check
    as_array = check_table(table, "list", 1, stations=pa.array(["0001", "0002"]), form=KZ_FORM)
    assert as_array.violations == check.violations


def test_an_entry_left_empty_is_a_missing_line() -> None:
    table = table_from_protocols([at("0001"), at("0002", votes={"otan": 830})])
    assert table["communist"].to_pylist() == [230, None]
    check = check_table(table, "list", 1, form=KZ_FORM)
    assert [(v.code, v.station_id, v.line) for v in check.violations] == [
        ("line_missing", "0002", "communist")
    ]
    assert "the votes for communist are not recorded" in check.violations[0].message


def test_a_required_line_without_a_column_is_missing_on_every_row() -> None:
    table = table_from_protocols([at("0001"), at("0002")]).drop_columns(["registered"])
    check = check_table(table, "list", 1, form=KZ_FORM)
    assert [(v.code, v.station_id, v.line) for v in check.violations] == [
        ("line_missing", "0001", "registered"),
        ("line_missing", "0002", "registered"),
    ]


def test_optional_lines_without_a_column_are_not_on_the_form() -> None:
    plain = at("0001", ballots_lost=None, against_all=None, invalid=70, ballots_cancelled=300)
    table = table_from_protocols([plain]).drop_columns(list(OPTIONAL_LINES))
    assert check_table(table, "list", 1, form=KZ_FORM).violations == ()


def test_sums_beyond_int64_are_exact() -> None:
    # 2^62 + 2^62 wraps to -2^63 in int64; the check must not take the wrap for a balance.
    huge = at("0001", took_part=2**62, ballots_cancelled=2**62, ballots_received=-(2**63))
    huge = broken(huge, registered=2**62, ballots_lost=None)
    check = check_table(table_from_protocols([huge]), "list", 1, form=KZ_FORM)
    assert set(check.violations) == set(check_protocol(huge, KZ_FORM))
    assert "(= 9,223,372,036,854,775,808)" in check.violations[1].message
    assert [v.code for v in check.violations] == ["negative", "received_balance"]


def test_the_layout_is_enforced() -> None:
    good = table_from_protocols([at("0001")])
    with pytest.raises(ValueError, match="no station_id column"):
        check_table(good.drop_columns(["station_id"]), "list", 1, form=KZ_FORM)
    text = good.set_column(1, "registered", pa.array(["1000"]))
    with pytest.raises(TypeError, match="column registered is string"):
        check_table(text, "list", 1, form=KZ_FORM)
    nameless = good.set_column(0, "station_id", pa.array([None], pa.string()))
    with pytest.raises(ValueError, match="row 0 has no station_id"):
        check_table(nameless, "list", 1, form=KZ_FORM)
    twice = pa.table([pa.array(["0001"]), pa.array([1]), pa.array([2])], ["station_id", "x", "x"])
    with pytest.raises(ValueError, match="column x appears twice"):
        check_table(twice, "list", 1, form=KZ_FORM)


def test_an_empty_table_has_nothing_to_reject() -> None:
    check = check_table(table_from_protocols([]), "list", 1, stations=["0001"], form=KZ_FORM)
    assert check.violations == ()
    assert check.accepted.to_pylist() == []


def test_entries_are_the_columns_that_are_not_reserved() -> None:
    table = table_from_protocols([at("0001")])
    assert entries(table.column_names) == ("otan", "communist")
    assert table.column_names == ["station_id", *LINES, "otan", "communist"]
    assert all(table[name].type == pa.int64() for name in table.column_names[1:])


def test_table_from_protocols_refuses_what_a_table_cannot_hold() -> None:
    with pytest.raises(ValueError, match="more than one contest and round"):
        table_from_protocols([at("0001"), broken(at("0002"), round=2)])
    with pytest.raises(ValueError, match="entry id invalid is a reserved column name"):
        table_from_protocols([at("0001", votes={"invalid": 1})])
    with pytest.raises(ValueError, match=r"station 0001: ballots_lost is 1\.5, not a whole"):
        table_from_protocols([at("0001", ballots_lost=1.5)])


def test_protocols_come_back_from_their_table() -> None:
    protocols = [at("0001"), at("0002", against_all=None, invalid=70), at("0003", invalid=-1)]
    again = list(protocols_from_table(table_from_protocols(protocols), "list", 1))
    assert again == protocols


def test_a_required_line_left_empty_comes_back_as_none() -> None:
    table = table_from_protocols([at("0001")]).drop_columns(["invalid"])
    (protocol,) = protocols_from_table(table, "list", 1)
    assert protocol.invalid is None  # type: ignore[comparison-overlap]
    assert [v.code for v in check_protocol(protocol, KZ_FORM)] == ["line_missing"]


# The property: the table check equals the protocol check, row by row.

WHOLE = st.integers(0, 3_000)
ANY_VALUE = st.one_of(
    st.none(),
    st.integers(-3, 3_000),
    st.integers(-(2**63), 2**63 - 1),
)


@st.composite
def protocols(draw: st.DrawFn, station_id: str, parties: tuple[str, ...]) -> Protocol:
    """A protocol that adds up; a third of the time, one to three cells set to anything
    (None, negative, beyond int64 when summed)."""
    votes = {party: draw(st.integers(0, 500)) for party in parties}
    against_all = draw(st.none() | st.integers(0, 100))
    invalid = draw(st.integers(0, 50))
    found = sum(votes.values()) + (against_all or 0) + invalid
    took_part = found + draw(st.integers(0, 20))
    cancelled, lost = draw(WHOLE), draw(st.none() | st.integers(0, 5))
    fields: dict[str, Any] = {
        "registered": took_part + draw(st.integers(0, 300)),
        "ballots_received": took_part + cancelled + (lost or 0),
        "took_part": took_part,
        "took_part_outside": draw(st.none() | st.integers(0, took_part)),
        "ballots_cancelled": cancelled,
        "ballots_lost": lost,
        "ballots_found": found,
        "invalid": invalid,
        "against_all": against_all,
        "valid": draw(st.none() | st.just(found - invalid)),
        "ballots_unaccounted": draw(st.none() | st.just(0)),
    }
    changed = st.lists(st.sampled_from(LINES + parties), min_size=1, max_size=3)
    for cell in draw(st.one_of(st.just([]), st.just([]), changed)):
        if cell in parties:
            votes[cell] = draw(st.integers(-(2**63), 2**63 - 1) | st.integers(-3, 600))
        else:
            fields[cell] = draw(ANY_VALUE)
    return Protocol(station_id=station_id, contest_id="list", round=1, votes=votes, **fields)


RULE_TERMS = st.tuples(st.integers(-2, 3), st.sampled_from(SYMBOLS) | st.none())


def _side(terms: list[tuple[int, str | None]]) -> str:
    parts = []
    for coefficient, symbol in terms:
        size = abs(coefficient)
        term = str(size) if symbol is None else (symbol if size == 1 else f"{size} * {symbol}")
        parts.append(("- " if coefficient < 0 else "+ ") + term)
    return " ".join(parts).removeprefix("+ ")


@st.composite
def relations(draw: st.DrawFn, code: str) -> ControlRelation:
    """Any linear relation over the lines and votes, of either severity."""
    left = draw(st.lists(RULE_TERMS, min_size=1, max_size=3))
    right = draw(st.lists(RULE_TERMS, min_size=1, max_size=3))
    if not any(symbol for _, symbol in left + right):
        left.append((1, "took_part"))
    comparison = draw(st.sampled_from(["=", "<=", ">=", "<", ">"]))
    rule = parse_relation(f"{_side(left)} {comparison} {_side(right)}")
    optional = [s for s in rule.symbols if s in OPTIONAL_LINES]
    requires = draw(st.lists(st.sampled_from(optional), unique=True) if optional else st.just([]))
    severity = draw(st.sampled_from(["reject", "flag"]))
    return ControlRelation(code=code, rule=rule, severity=severity, requires=tuple(requires))


@st.composite
def forms(draw: st.DrawFn) -> ProtocolForm:
    """The bundled Kazakh and Russian forms, or a form of up to four random relations."""
    count = draw(st.integers(0, 4))
    made = ProtocolForm(relations=tuple(draw(relations(f"r{i}")) for i in range(count)))
    return draw(st.sampled_from([KZ_FORM, RU_FORM, made]))


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Protocol], frozenset[str] | None]:
    parties = tuple(draw(st.lists(st.sampled_from(PARTIES), unique=True, max_size=3)))
    ids = draw(
        st.lists(st.sampled_from(STATIONS), unique=True)
        | st.lists(st.sampled_from(STATIONS), max_size=7)
    )
    known = draw(
        st.none() | st.just(frozenset(STATIONS)) | st.frozensets(st.sampled_from(STATIONS))
    )
    return [draw(protocols(station_id, parties)) for station_id in ids], known


def oracle(
    protocols: list[Protocol], known: frozenset[str] | None, form: ProtocolForm = KZ_FORM
) -> list[ProtocolViolation]:
    """Each protocol checked on its own, then duplicates and unknown stations counted plainly."""
    rows = Counter(p.station_id for p in protocols)
    found: list[ProtocolViolation] = []
    for protocol in protocols:
        key = ProtocolKey(protocol.station_id, "list", 1)
        found += check_protocol(protocol, form)
        if rows[protocol.station_id] > 1:
            found.append(duplicated(key, rows[protocol.station_id]))
        if known is not None and protocol.station_id not in known:
            found.append(unknown(key))
    return found


@given(tables(), forms())
def test_the_table_check_equals_the_protocol_check_on_every_row(
    drawn: tuple[list[Protocol], frozenset[str] | None], form: ProtocolForm
) -> None:
    protocols, known = drawn
    table = table_from_protocols(protocols)
    check = check_table(table, "list", 1, stations=known, form=form)
    expected = oracle(protocols, known, form)
    assert set(check.violations) == set(expected)
    assert list(check.violations) == expected  # the same order: row by row, then by relation
    rejected = {v.station_id for v in expected if v.severity == "reject"}
    assert check.accepted.to_pylist() == [p.station_id not in rejected for p in protocols]
    flags = [any(v.severity == "flag" for v in check_protocol(p, form)) for p in protocols]
    assert check.flagged.to_pylist() == flags
    assert list(protocols_from_table(table, "list", 1)) == protocols


def test_the_strategy_draws_sound_and_broken_protocols() -> None:
    # A guard on the strategy: the property above sees tables it accepts and tables it rejects.
    def rejected(drawn: tuple[list[Protocol], frozenset[str] | None]) -> int:
        return len({v.station_id for v in oracle(*drawn)})

    # derandomized, with room to search: a guard must not depend on the luck of the draw
    quick = settings(phases=[Phase.generate], database=None, derandomize=True, max_examples=1000)
    sound = find(tables(), lambda d: len(d[0]) >= 3 and rejected(d) == 0, settings=quick)
    assert len(sound[0]) >= 3
    mixed = find(tables(), lambda d: 0 < rejected(d) < len(d[0]), settings=quick)
    assert mixed[0]
