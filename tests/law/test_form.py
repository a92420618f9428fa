"""The protocol form in a law file: relations written as linear (in)equalities, read exactly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import LawError
from saylau.law.form import (
    INTEGRITY_CODES,
    SYMBOLS,
    ControlRelation,
    ProtocolForm,
    Term,
    parse_relation,
)
from saylau.law.loader import parse_law
from saylau.law.schema import citations, uncited_settings

LAW = """
id = "form-test"
name = "Test"
country = "XX"
chamber = "House"
year = 2000
seats_total = 10
majority = 6

[list_tier]
seats = 10
method = "dhondt"
"""


def test_a_rule_reads_into_signed_terms_on_each_side() -> None:
    rule = parse_relation(
        "ballots_received = took_part + ballots_cancelled + ballots_lost - ballots_unaccounted"
    )
    assert rule.left == (Term(1, "ballots_received"),)
    assert rule.right == (
        Term(1, "took_part"),
        Term(1, "ballots_cancelled"),
        Term(1, "ballots_lost"),
        Term(-1, "ballots_unaccounted"),
    )
    assert rule.comparison == "="
    assert rule.symbols == (
        "ballots_received",
        "took_part",
        "ballots_cancelled",
        "ballots_lost",
        "ballots_unaccounted",
    )


@pytest.mark.parametrize(
    ("text", "left", "comparison", "right"),
    [
        ("ballots_found <= took_part", (Term(1, "ballots_found"),), "<=", (Term(1, "took_part"),)),
        ("valid = votes", (Term(1, "valid"),), "=", (Term(1, "votes"),)),
        ("2 * invalid < votes", (Term(2, "invalid"),), "<", (Term(1, "votes"),)),
        ("-invalid + 5 >= 0", (Term(-1, "invalid"), Term(5, None)), ">=", (Term(0, None),)),
        ("took_part ≤ registered", (Term(1, "took_part"),), "<=", (Term(1, "registered"),)),
        ("invalid − 1 > 3 × votes", (Term(1, "invalid"), Term(-1, None)), ">", (Term(3, "votes"),)),
        ("  took_part==registered  ", (Term(1, "took_part"),), "=", (Term(1, "registered"),)),
    ],
)
def test_rules_in_every_accepted_spelling(
    text: str, left: tuple[Term, ...], comparison: str, right: tuple[Term, ...]
) -> None:
    rule = parse_relation(text)
    assert (rule.left, rule.comparison, rule.right) == (left, comparison, right)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ballots_found", "exactly one comparison"),
        ("a <= b <= c", "exactly one comparison"),
        ("ballot_found <= took_part", "'ballot_found' is not a line of the protocol"),
        ("took_part <= ", "each side of the comparison needs a term"),
        ("took_part <= registered +", "a sign with no term after it"),
        ("took_part <= registered registered", "expected + or - before 'registered'"),
        ("took_part <= 0.5 * registered", "cannot read"),
        ("took_part <= 2 * 3", "must be followed by a line"),
        ("1 <= 2", "names at least one line"),
        ("took_part <= registered; drop", "cannot read"),
    ],
)
def test_a_malformed_rule_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        parse_relation(text)


def _law(relations: str) -> str:
    return LAW.replace("[list_tier]", f"[protocol]\n{relations}\n[list_tier]")


def test_a_law_file_states_its_relations_with_severity_and_source() -> None:
    law = parse_law(
        _law(
            '[[protocol.relations]]\ncode = "found_balance"\n'
            'rule = "ballots_found = votes + invalid"\nseverity = "flag"\n'
            'source = "[V] S1: line 7"\n'
            '[[protocol.relations]]\ncode = "valid_balance"\nrule = "valid = votes"\n'
            'requires = ["valid"]\n'
        )
        + '\n[references]\nS1 = "the act"\n'
    )
    assert law.protocol is not None
    first, second = law.protocol.relations
    assert (first.code, first.severity, first.rule.text) == (
        "found_balance",
        "flag",
        "ballots_found = votes + invalid",
    )
    assert (second.severity, second.requires) == ("reject", ("valid",))
    assert citations(law)["protocol.relations.found_balance"] == "[V] S1: line 7"
    assert "protocol.relations.valid_balance" in uncited_settings(law)
    assert "protocol.relations.found_balance" not in uncited_settings(law)


@pytest.mark.parametrize(
    ("relations", "words"),
    [
        ('[[protocol.relations]]\ncode = "x"\nrule = "took_part <= registred"', "registred"),
        ('[[protocol.relations]]\ncode = "x"\nrule = 7', "a relation is text"),
        ('[[protocol.relations]]\ncode = "x"\nrule = "invalid >= 0"\nseverity = "warn"', "reject"),
        ('[[protocol.relations]]\ncode = "negative"\nrule = "invalid >= 0"', "every protocol"),
        ('[[protocol.relations]]\ncode = "Bad Code"\nrule = "invalid >= 0"', "pattern"),
        (
            '[[protocol.relations]]\ncode = "x"\nrule = "invalid >= 0"\n'
            '[[protocol.relations]]\ncode = "x"\nrule = "took_part >= 0"',
            "relation code x is used twice",
        ),
        (
            '[[protocol.relations]]\ncode = "x"\nrule = "invalid >= 0"\nrequires = ["invalid"]',
            "not an optional line",
        ),
        (
            '[[protocol.relations]]\ncode = "x"\nrule = "invalid >= 0"\nrequires = ["valid"]',
            "which the rule does not use",
        ),
        (
            '[[protocol.relations]]\ncode = "x"\nrule = "invalid >= 0"\nsource = "the act"',
            "must start with a tag",
        ),
        ('[[protocol.relations]]\ncode = "x"\nrule = "invalid >= 0"\nweight = 2', "not a setting"),
    ],
)
def test_a_broken_relation_names_the_setting(relations: str, words: str) -> None:
    with pytest.raises(LawError, match=words) as raised:
        parse_law(_law(relations), "my-law.toml")
    assert str(raised.value).startswith("my-law.toml: protocol")


def test_a_law_with_ballots_needs_a_protocol_form() -> None:
    with pytest.raises(LawError, match=r"needs a \[protocol\] section"):
        parse_law(LAW)
    assert parse_law(_law("relations = []")).protocol == ProtocolForm(relations=())


def test_no_relation_may_take_an_integrity_code() -> None:
    for code in INTEGRITY_CODES:
        with pytest.raises(ValueError, match="check of every protocol table"):
            ControlRelation(code=code, rule="invalid >= 0")


# The property: a rule means what Python's own arithmetic says of the same text.

TERMS = st.tuples(st.integers(-3, 3), st.sampled_from(SYMBOLS) | st.none())


def _text(terms: list[tuple[int, str | None]]) -> str:
    parts = []
    for index, (coefficient, symbol) in enumerate(terms):
        sign = "-" if coefficient < 0 else "+"
        size = abs(coefficient)
        term = str(size) if symbol is None else (symbol if size == 1 else f"{size} * {symbol}")
        parts.append((f"{sign} " if sign == "-" or index else "") + term)
    return " ".join(parts)


@given(
    st.lists(TERMS, min_size=1, max_size=4),
    st.sampled_from(["=", "<=", ">=", "<", ">"]),
    st.lists(TERMS, min_size=1, max_size=4),
    st.fixed_dictionaries({name: st.integers(-5, 50) for name in SYMBOLS}),
)
def test_a_rule_holds_exactly_when_its_arithmetic_does(
    left: list[tuple[int, str | None]],
    comparison: str,
    right: list[tuple[int, str | None]],
    values: dict[str, int],
) -> None:
    if not any(symbol for _, symbol in left + right):
        left = [(1, "invalid"), *left]
    text = f"{_text(left)} {comparison} {_text(right)}"
    rule = parse_relation(text)

    def side(terms: tuple[Term, ...]) -> int:
        return sum(t.coefficient * (values[t.symbol] if t.symbol else 1) for t in terms)

    python = text.replace("<=", " LE ").replace(">=", " GE ").replace("=", "==")
    python = python.replace(" LE ", "<=").replace(" GE ", ">=")
    expected = eval(python, {}, dict(values))  # the test's own arithmetic, not Saylau's
    assert rule.holds(side(rule.left), side(rule.right)) is expected
    named = {symbol for _, symbol in left + right if symbol}
    assert set(rule.symbols) == named
