"""The checks of a precinct protocol: the form's control relations, and the integrity checks.

The control relations are the law's (`law.protocol.relations`, saylau.law.form): each is a
linear (in)equality over the form's lines with a severity, `reject` or `flag`. Four
integrity checks hold whatever the form, and always reject: every line and every entry's
votes is a whole number >= 0 (`negative`), every required line is recorded
(`line_missing`), a station has one protocol per contest and round (`duplicate_station`),
and it is one of the stations that report the contest (`unknown_station`).

Each check returns the violations it finds, with a code a program can match on, the
severity, and a message that names the station, contest, round, the lines, the numbers and
the relation. A relation is not evaluated on a protocol where a line it needs is not
recorded or not a whole number: the integrity check already says why. An optional line left
out of the form counts as 0 in a relation, unless the relation `requires` it. The builders of
each violation are shared with the vectorized check of a whole table, so that both speak
with one voice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

from saylau.law.form import (
    BROKEN,
    OPTIONAL_LINES,
    TERM_LABELS,
    VOTES,
    ControlRelation,
    ProtocolForm,
    Severity,
    Term,
    parse_relation,
)
from saylau.protocol.lines import (
    LINE_LABELS,
    LINES,
    REQUIRED_LINES,
    STATION,
    ContestId,
    Protocol,
    StationId,
)
from saylau.said import N_, Said

ViolationCode = str
"""An integrity code (INTEGRITY_CODES) or the code of one of the law's relations."""

INTEGRITY: Final[Mapping[str, str]] = {
    "negative": "every line and every entry's votes is a whole number >= 0",
    "line_missing": "every required line is recorded: "
    + ", ".join(REQUIRED_LINES)
    + " (and, in a table, every entry's votes)",
    "duplicate_station": "a station has one protocol per contest and round",
    "unknown_station": "the station is one of the stations that report this contest",
}
"""Each integrity check (INTEGRITY_CODES) with its one-line rule; each always rejects."""


@dataclass(frozen=True)
class ProtocolViolation:
    """A check a protocol breaks; `line` is the line or entry id concerned."""

    code: ViolationCode
    station_id: StationId
    contest_id: ContestId
    round: int
    line: str
    message: str
    severity: Severity = "reject"


@dataclass(frozen=True)
class ProtocolKey:
    """Which protocol: the station, the contest and the round."""

    station_id: StationId
    contest_id: ContestId
    round: int

    def violation(
        self, code: ViolationCode, line: str, what: str, severity: Severity = "reject"
    ) -> ProtocolViolation:
        """A violation of `code` on `line`, its message `what` prefixed and suffixed."""
        message = Said(
            N_("station %(station)s, contest %(contest)s, round %(round)s: %(what)s: %(code)s"),
            station=self.station_id,
            contest=self.contest_id,
            round=str(self.round),
            what=what,
            code=code,
        )
        return ProtocolViolation(
            code, self.station_id, self.contest_id, self.round, line, message, severity
        )


_LABELS: Final[Mapping[str, str]] = {str(line): label for line, label in LINE_LABELS.items()}


def _n(value: int) -> str:
    return f"{value:,}"


# The integrity builders, given the cells that break them.


def not_whole(key: ProtocolKey, line: str, value: object) -> ProtocolViolation:
    """`line` holds `value`, which is negative or not a whole number."""
    name = Said(N_("line %(line)s"), line=line) if line in LINES else _votes_for(line)
    if isinstance(value, int) and not isinstance(value, bool):
        what = Said(N_("%(name)s is %(value)s; it cannot be negative"), name=name, value=value)
        return key.violation("negative", line, what)
    what = Said(N_("%(name)s is %(value)s, not a whole number"), name=name, value=repr(value))
    return key.violation("negative", line, what)


def _votes_for(entry: str) -> Said:
    return Said(N_("votes for %(entry)s"), entry=entry)


def not_recorded(key: ProtocolKey, line: str) -> ProtocolViolation:
    """A required line (or, in a table, an entry's votes) is not recorded."""
    if line in LINES:
        label = Said(_LABELS[line].replace("%", "%%"))
        what = Said(N_("line %(line)s (%(label)s) is not recorded"), line=line, label=label)
        return key.violation("line_missing", line, what)
    what = Said(N_("the votes for %(entry)s are not recorded"), entry=line)
    return key.violation("line_missing", line, what)


def duplicated(key: ProtocolKey, rows: int) -> ProtocolViolation:
    """The station has `rows` protocols in one table of a contest and round."""
    what = Said(
        N_("station_id %(station)s is on %(rows)s rows; one protocol per station"),
        station=key.station_id,
        rows=rows,
    )
    return key.violation("duplicate_station", STATION, what)


def unknown(key: ProtocolKey) -> ProtocolViolation:
    """The station is not one of those that report this contest."""
    what = Said(
        N_("station_id %(station)s is not one of the stations that report this contest"),
        station=key.station_id,
    )
    return key.violation("unknown_station", STATION, what)


# A relation of the law, on the values of one protocol.

Values = Mapping[str, int | None]
"""A protocol's symbols (saylau.law.form.SYMBOLS): a whole number, None where the line is not
recorded, and absent where its cell is not a whole number (not evaluable)."""


def readable(relation: ControlRelation, values: Values) -> dict[str, int] | None:
    """The values the relation is evaluated on, or None when it cannot be evaluated.

    A required line, `votes` or a `requires` line that is None makes it not evaluable; any
    other optional line that is None (left out of the form) counts as 0.
    """
    found: dict[str, int] = {}
    for symbol in relation.rule.symbols:
        if symbol not in values:
            return None
        value = values[symbol]
        if value is None:
            if symbol not in OPTIONAL_LINES or symbol in relation.requires:
                return None
            value = 0
        found[symbol] = value
    return found


def side_value(terms: tuple[Term, ...], values: Mapping[str, int]) -> int:
    """The exact value of one side of a relation."""
    return sum(t.coefficient * (1 if t.symbol is None else values[t.symbol]) for t in terms)


def relation_broken(
    key: ProtocolKey, relation: ControlRelation, values: Values
) -> ProtocolViolation:
    """The violation of `relation` by a protocol with these values (they break it)."""
    found = readable(relation, values)
    if found is None:
        raise ValueError(f"relation {relation.code} cannot be evaluated on these values")
    rule = relation.rule
    present = frozenset(symbol for symbol, value in values.items() if value is not None)
    template, shown, named = _worded(rule.text, present)
    figures = {
        placeholder: found[s]
        if s in found
        else side_value(rule.left if s == LEFT else rule.right, found)
        for placeholder, s in shown
    }
    what = Said(template, **figures, **named)
    return key.violation(relation.code, rule.symbols[0], what, relation.severity)


@cache
def _worded(
    rule: str, present: frozenset[str]
) -> tuple[str, tuple[tuple[str, str], ...], Mapping[str, Said]]:
    """`_wording`, with each value shown as its placeholder and symbol, and each term's
    words made once as a `Said` (a broken relation is worded on every protocol that breaks
    it)."""
    template, shown, words = _wording(rule, present)
    named = {f"term{i}": Said(TERM_LABELS[s].replace("%", "%%")) for i, s in enumerate(words)}
    return template, tuple((f"value{i}", s) for i, s in enumerate(shown)), named


LEFT: Final = "=left"
RIGHT: Final = "=right"
"""The totals of a relation's sides, among the values its wording shows."""


@cache
def _wording(rule: str, present: frozenset[str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """How a broken rule reads, worked out once per rule and lines present: a template
    with a placeholder `value<i>` for each value shown and `term<i>` for each term's words
    (TERM_LABELS, said in the reader's language where a page shows it), the symbol (or side
    total) of each value in turn, and the symbol of each term's words. Each side is written
    as the law writes it, each term with its value and the side's total after it; a line
    left out of the form is omitted."""
    relation = parse_relation(rule)
    shown: list[str] = []
    words: list[str] = []
    left = _side_wording(relation.left, present, LEFT, shown, words)
    right = _side_wording(relation.right, present, RIGHT, shown, words)
    return f"{left} {BROKEN[relation.comparison]} {right}", tuple(shown), tuple(words)


def _side_wording(
    terms: tuple[Term, ...], present: frozenset[str], total: str, shown: list[str], words: list[str]
) -> str:
    """One side's template, adding the symbols of its values to `shown` and of its terms'
    words to `words`."""
    kept = [t for t in terms if t.symbol is None or t.symbol in present]
    if not kept:
        shown.append(total)
        return f"%(value{len(shown) - 1})s"
    text = ""
    for index, term in enumerate(kept):
        size = abs(term.coefficient)
        if index == 0:
            text += "−" if term.coefficient < 0 else ""
        else:
            text += " − " if term.coefficient < 0 else " + "
        if term.symbol is None:
            text += _n(size)
        else:
            times = "" if size == 1 else f"{size} × "
            text += f"{times}%(term{len(words)})s %(value{len(shown)})s"
            words.append(term.symbol)
            shown.append(term.symbol)
    if len(kept) > 1:
        text += f" (= %(value{len(shown)})s)"
        shown.append(total)
    return text


def check_relation(
    relation: ControlRelation, key: ProtocolKey, values: Values
) -> tuple[ProtocolViolation, ...]:
    """The relation on one protocol's values: its violation, or nothing."""
    found = readable(relation, values)
    if found is None:
        return ()
    rule = relation.rule
    if rule.holds(side_value(rule.left, found), side_value(rule.right, found)):
        return ()
    return (relation_broken(key, relation, values),)


# The checks of one protocol.


def _key(protocol: Protocol) -> ProtocolKey:
    return ProtocolKey(protocol.station_id, protocol.contest_id, protocol.round)


def _whole(value: object) -> int | None:
    """`value` if it is a whole number (negative included), else None: not evaluable."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def values_of(protocol: Protocol) -> dict[str, int | None]:
    """Every readable symbol of one protocol: its lines (None where not recorded), and
    `votes`; a cell that is not a whole number leaves its symbol out (see `Values`)."""
    found: dict[str, int | None] = {}
    for line in LINES:
        raw = protocol.line(line)
        if raw is None or _whole(raw) is not None:
            found[line] = raw
    votes = [_whole(value) for value in protocol.votes.values()]
    if None not in votes:
        found[VOTES] = sum(v for v in votes if v is not None)
    return found


def negative(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Every recorded line and every entry's votes is a whole number >= 0 (no bool, no float)."""
    cells: list[tuple[str, object]] = [(line, protocol.line(line)) for line in LINES]
    cells += list(protocol.votes.items())
    return tuple(not_whole(_key(protocol), line, value) for line, value in cells if _broken(value))


def _broken(value: object) -> bool:
    """Recorded, and not a whole number >= 0."""
    if value is None:
        return False
    whole = _whole(value)
    return whole is None or whole < 0


def line_missing(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Every line of REQUIRED_LINES is recorded."""
    return tuple(
        not_recorded(_key(protocol), line) for line in REQUIRED_LINES if protocol.line(line) is None
    )


INTEGRITY_CHECKS: Final[tuple[Callable[[Protocol], tuple[ProtocolViolation, ...]], ...]] = (
    negative,
    line_missing,
)
"""The integrity checks one protocol can break on its own."""


def check_protocol(protocol: Protocol, form: ProtocolForm) -> tuple[ProtocolViolation, ...]:
    """Every check of one protocol: the integrity checks, then the form's relations in order.

    An empty tuple means nothing to report. `duplicate_station` and `unknown_station` need
    the other protocols or the registry; the table check (`saylau.protocol.table`) adds them.
    """
    found = [violation for check in INTEGRITY_CHECKS for violation in check(protocol)]
    key, values = _key(protocol), values_of(protocol)
    for relation in form.relations:
        found += check_relation(relation, key, values)
    return tuple(found)


def rejects(violations: tuple[ProtocolViolation, ...]) -> bool:
    """Whether these violations keep a protocol from being counted."""
    return any(v.severity == "reject" for v in violations)


__all__ = [
    "INTEGRITY",
    "INTEGRITY_CHECKS",
    "ProtocolKey",
    "ProtocolViolation",
    "Values",
    "ViolationCode",
    "check_protocol",
    "check_relation",
    "duplicated",
    "line_missing",
    "negative",
    "not_recorded",
    "not_whole",
    "readable",
    "rejects",
    "relation_broken",
    "side_value",
    "unknown",
    "values_of",
]
