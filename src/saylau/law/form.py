"""The protocol form a law prescribes: its lines, and its control relations as data.

A control relation is a linear (in)equality over the lines of the form, written in the law
file as text, for example

    ballots_received = took_part + ballots_cancelled + ballots_lost - ballots_unaccounted

Each side is a sum of terms: a line, `votes` (the votes for every entry on the ballot
together), a whole number, or a whole number times one of them (`2 * invalid`). The
comparison is one of `=`, `<=`, `>=`, `<` and `>`. A relation's `severity` says what a
protocol that breaks it becomes: `reject` (not counted until corrected) or `flag` (counted,
and listed for review). A new form needs a new law file, not new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Final, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from saylau.law.section import Section, check_citation

Line = Literal[
    "registered",
    "ballots_received",
    "took_part",
    "took_part_outside",
    "ballots_cancelled",
    "ballots_lost",
    "ballots_unaccounted",
    "ballots_found",
    "invalid",
    "valid",
    "against_all",
]
"""The lines a protocol may carry, beside one line of votes per entry on the ballot."""

REQUIRED_LINES: Final[tuple[Line, ...]] = (
    "registered",
    "ballots_received",
    "took_part",
    "ballots_cancelled",
    "ballots_found",
    "invalid",
)
"""Lines every protocol carries."""

OPTIONAL_LINES: Final[tuple[Line, ...]] = (
    "took_part_outside",
    "ballots_lost",
    "ballots_unaccounted",
    "valid",
    "against_all",
)
"""Lines a form may leave out: a relation reads a line left out as 0, unless it `requires` it."""

LINES: Final[tuple[Line, ...]] = get_args(Line)

VOTES: Final = "votes"
"""The symbol for the votes of every entry on the ballot together (against all excluded)."""

SYMBOLS: Final[tuple[str, ...]] = (*LINES, VOTES)
"""Every name a relation may use."""

TERM_LABELS: Final[dict[str, str]] = {
    "registered": "voters on the list",
    "ballots_received": "ballots received",
    "took_part": "ballots issued",
    "took_part_outside": "ballots issued outside the station",
    "ballots_cancelled": "ballots cancelled",
    "ballots_lost": "ballots lost",
    "ballots_unaccounted": "ballots not accounted for on receipt",
    "ballots_found": "ballots found",
    "invalid": "invalid ballots",
    "valid": "valid ballots",
    "against_all": "against all",
    VOTES: "votes for the entries",
}
"""How a message names each symbol."""

INTEGRITY_CODES: Final = ("negative", "line_missing", "duplicate_station", "unknown_station")
"""Checks of every protocol table whatever the form: whole numbers, every required line,
one protocol per station, a known station. They always reject; no relation takes their code."""

Comparison = Literal["=", "<=", ">=", "<", ">"]
Severity = Literal["reject", "flag"]

BROKEN: Final[dict[Comparison, str]] = {"=": "≠", "<=": ">", ">=": "<", "<": "≥", ">": "≤"}
"""How a message writes the comparison a protocol breaks."""

_TOKEN = re.compile(
    r"\s*(?:(?P<number>[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<sign><=|>=|==|≤|≥|=|<|>|\+|-|−|\*|×))"
)
"""Only ASCII digits are digits: a Bengali four reads as 4 to Python and looks like 8."""
MAX_DIGITS: Final = 9
"""A factor or constant in a relation has at most 9 digits, so every sum stays exact."""
_SIGNS = {"≤": "<=", "≥": ">=", "==": "=", "−": "-", "×": "*"}


@dataclass(frozen=True)
class Term:
    """`coefficient` times a symbol, or a whole number alone when `symbol` is None."""

    coefficient: int
    symbol: str | None


@dataclass(frozen=True)
class LinearRelation:
    """left `comparison` right, each side a sum of terms, exactly as written."""

    left: tuple[Term, ...]
    comparison: Comparison
    right: tuple[Term, ...]
    text: str

    @cached_property
    def symbols(self) -> tuple[str, ...]:
        """The symbols the relation names, each once, in the order written."""
        names = [t.symbol for t in (*self.left, *self.right) if t.symbol is not None]
        return tuple(dict.fromkeys(names))

    def holds(self, left: int, right: int) -> bool:
        """Whether the sides' values keep the comparison."""
        if self.comparison == "=":
            return left == right
        if self.comparison == "<=":
            return left <= right
        if self.comparison == ">=":
            return left >= right
        if self.comparison == "<":
            return left < right
        return left > right


def parse_relation(text: str) -> LinearRelation:
    """Read a relation such as `ballots_found = votes + invalid`; errors say what is wrong."""
    tokens = _tokens(text)
    comparisons = [i for i, (kind, sign) in enumerate(tokens) if kind == "sign" and sign in BROKEN]
    if len(comparisons) != 1:
        raise ValueError(
            f"{text!r}: a relation has exactly one comparison (=, <=, >=, <, >), "
            f"found {len(comparisons)}"
        )
    at = comparisons[0]
    comparison: Comparison = tokens[at][1]  # type: ignore[assignment]
    left = _side(tokens[:at], text)
    right = _side(tokens[at + 1 :], text)
    relation = LinearRelation(left, comparison, right, " ".join(text.split()))
    if not relation.symbols:
        raise ValueError(f"{text!r}: a relation names at least one line")
    return relation


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            bad = stripped[position:].strip()[:20]
            raise ValueError(f"{text!r}: cannot read {bad!r}; write lines, +, -, * and numbers")
        kind = match.lastgroup or ""
        value = match.group(kind)
        found.append((kind, _SIGNS.get(value, value)))
        position = match.end()
    return found


def _side(tokens: list[tuple[str, str]], text: str) -> tuple[Term, ...]:
    """side := ['-'] term (('+' | '-') term)*; term := number ['*' name] | name."""
    if not tokens:
        raise ValueError(f"{text!r}: each side of the comparison needs a term")
    terms: list[Term] = []
    i, sign = 0, 1
    if tokens[0] == ("sign", "-"):
        sign, i = -1, 1
    while True:
        term, i = _term(tokens, i, text)
        terms.append(Term(sign * term.coefficient, term.symbol))
        if i == len(tokens):
            return tuple(terms)
        kind, value = tokens[i]
        if kind != "sign" or value not in "+-":
            raise ValueError(f"{text!r}: expected + or - before {value!r}")
        sign, i = (1 if value == "+" else -1), i + 1


def _term(tokens: list[tuple[str, str]], i: int, text: str) -> tuple[Term, int]:
    if i >= len(tokens):
        raise ValueError(f"{text!r}: a sign with no term after it")
    kind, value = tokens[i]
    if kind == "name":
        return Term(1, _symbol(value, text)), i + 1
    if kind != "number":
        raise ValueError(f"{text!r}: expected a line or a number, found {value!r}")
    if len(value.lstrip("0")) > MAX_DIGITS:
        raise ValueError(f"{text!r}: {value} has more than {MAX_DIGITS} digits")
    number = int(value)
    if i + 1 < len(tokens) and tokens[i + 1] == ("sign", "*"):
        if i + 2 >= len(tokens) or tokens[i + 2][0] != "name":
            raise ValueError(f"{text!r}: '*' must be followed by a line")
        return Term(number, _symbol(tokens[i + 2][1], text)), i + 3
    return Term(number, None), i + 1


def _symbol(name: str, text: str) -> str:
    if name not in SYMBOLS:
        raise ValueError(
            f"{text!r}: {name!r} is not a line of the protocol (lines: {', '.join(SYMBOLS)})"
        )
    return name


def _read_relation(value: Any) -> LinearRelation:
    if isinstance(value, LinearRelation):
        return value
    if not isinstance(value, str):
        raise ValueError(
            f"a relation is text such as 'ballots_found = votes + invalid', not {value!r}"
        )
    return parse_relation(value)


Rule = Annotated[
    LinearRelation,
    BeforeValidator(_read_relation),
    PlainSerializer(lambda relation: relation.text, return_type=str),
    WithJsonSchema(
        {"type": "string", "description": "a linear (in)equality over protocol lines and votes"}
    ),
]


class ControlRelation(BaseModel):
    """One control relation of the form: its code, rule, severity and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    rule: Rule
    severity: Severity = "reject"
    requires: tuple[Line, ...] = ()
    """Optional lines without which the relation is not evaluated (a line left out is not 0)."""
    label: str | None = None
    """The rule in words, for people; by default the rule as written."""
    source: str | None = None

    @field_validator("code")
    @classmethod
    def _not_an_integrity_code(cls, code: str) -> str:
        if code in INTEGRITY_CODES:
            raise ValueError(f"'{code}' is a check of every protocol table; choose another code")
        return code

    @field_validator("source")
    @classmethod
    def _cited(cls, source: str | None) -> str | None:
        if source is not None:
            check_citation("relation", source)
        return source

    @model_validator(mode="after")
    def _requires_optional_lines(self) -> Self:
        for line in self.requires:
            if line not in OPTIONAL_LINES:
                raise ValueError(f"requires names {line}, which is not an optional line")
            if line not in self.rule.symbols:
                raise ValueError(f"requires names {line}, which the rule does not use")
        return self

    @property
    def words(self) -> str:
        """The rule for people: the label, or the rule as written."""
        return self.label or self.rule.text


class ProtocolForm(Section):
    """The protocol form of a law's ballots: the control relations every protocol must keep."""

    relations: tuple[ControlRelation, ...]

    @field_validator("relations")
    @classmethod
    def _codes_unique(cls, relations: tuple[ControlRelation, ...]) -> tuple[ControlRelation, ...]:
        codes = [r.code for r in relations]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"relation code {', '.join(twice)} is used twice")
        return relations

    def relation(self, code: str) -> ControlRelation:
        """The relation of a code."""
        for relation in self.relations:
            if relation.code == code:
                return relation
        raise KeyError(code)
