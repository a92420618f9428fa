"""The control relations of a precinct protocol, each a named pure function.

Source: docs/kz-1999-law.md, "Administration and counting" [I]: received = issued +
cancelled (+ lost, where recorded); found in the boxes <= issued; votes for all lines +
against all + invalid = found in the boxes; issued <= voters on the list. Saylau adds that
every line is a whole number >= 0, that every required line is recorded, and that the
ballots issued outside the station are part of those issued.

Each relation returns the violations it finds, with a code a program can match on and a
message that names the station, contest, round, the lines, the numbers and the relation.
A relation whose lines are not recorded (or are not whole numbers) is not evaluated: the
`line_missing` or `negative` violation already says why. The builders of each violation
(`received_imbalance`, ...) are shared with the vectorized check of a whole table, so that
both speak with one voice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, get_args

from saylau.protocol.lines import (
    LINE_LABELS,
    LINES,
    REQUIRED_LINES,
    STATION,
    ContestId,
    Line,
    Protocol,
    StationId,
)

ViolationCode = Literal[
    "negative",
    "line_missing",
    "received_balance",
    "found_within_issued",
    "found_balance",
    "issued_within_list",
    "outside_within_issued",
    "duplicate_station",
    "unknown_station",
]

CODES: Final[tuple[ViolationCode, ...]] = get_args(ViolationCode)
"""Every violation code, in the order the checks run."""

RELATIONS: Final[Mapping[ViolationCode, str]] = {
    "negative": "every line and every entry's votes is a whole number >= 0",
    "line_missing": "every required line is recorded: "
    + ", ".join(REQUIRED_LINES)
    + " (and, in a table, every entry's votes)",
    "received_balance": (
        "ballots received = issued + cancelled (+ lost, − not accounted for on receipt, "
        "where recorded)"
    ),
    "found_within_issued": "ballots found in the boxes <= ballots issued",
    "found_balance": "votes for all entries + against all + invalid = ballots found in the boxes",
    "issued_within_list": "ballots issued <= voters on the list",
    "outside_within_issued": "ballots issued outside the station <= ballots issued",
    "duplicate_station": "a station has one protocol per contest and round",
    "unknown_station": "the station is one of the stations that report this contest",
}
"""Each code with the one-line rule it stands for (docs/kz-1999-law.md [I])."""


@dataclass(frozen=True)
class ProtocolViolation:
    """A control relation a protocol breaks; `line` is the line or entry id concerned."""

    code: ViolationCode
    station_id: StationId
    contest_id: ContestId
    round: int
    line: str
    message: str


@dataclass(frozen=True)
class ProtocolKey:
    """Which protocol: the station, the contest and the round."""

    station_id: StationId
    contest_id: ContestId
    round: int

    def violation(self, code: ViolationCode, line: str, what: str) -> ProtocolViolation:
        """A violation of `code` on `line`, its message `what` prefixed and suffixed."""
        head = f"station {self.station_id}, contest {self.contest_id}, round {self.round}"
        message = f"{head}: {what}: {code}"
        return ProtocolViolation(code, self.station_id, self.contest_id, self.round, line, message)


_LABELS: Final[Mapping[str, str]] = {str(line): label for line, label in LINE_LABELS.items()}


def _n(value: int) -> str:
    return f"{value:,}"


# The builders: one per relation, given the numbers that break it.


def not_whole(key: ProtocolKey, line: str, value: object) -> ProtocolViolation:
    """`line` holds `value`, which is negative or not a whole number."""
    name = f"line {line}" if line in LINES else f"votes for {line}"
    if isinstance(value, int) and not isinstance(value, bool):
        return key.violation("negative", line, f"{name} is {_n(value)}; it cannot be negative")
    return key.violation("negative", line, f"{name} is {value!r}, not a whole number")


def not_recorded(key: ProtocolKey, line: str) -> ProtocolViolation:
    """A required line (or, in a table, an entry's votes) is not recorded."""
    if line in LINES:
        what = f"line {line} ({_LABELS[line]}) is not recorded"
        return key.violation("line_missing", line, what)
    return key.violation("line_missing", line, f"the votes for {line} are not recorded")


def received_imbalance(
    key: ProtocolKey,
    received: int,
    took_part: int,
    cancelled: int,
    lost: int | None,
    unaccounted: int | None = None,
) -> ProtocolViolation:
    """Ballots received differ from issued + cancelled (+ lost − unaccounted)."""
    total = took_part + cancelled + (lost or 0) - (unaccounted or 0)
    parts = f"issued {_n(took_part)} + cancelled {_n(cancelled)}"
    if lost is not None:
        parts += f" + lost {_n(lost)}"
    if unaccounted is not None:
        parts += f" − unaccounted {_n(unaccounted)}"
    what = f"ballots received {_n(received)} ≠ {parts} (= {_n(total)})"
    return key.violation("received_balance", "ballots_received", what)


def found_over_issued(key: ProtocolKey, found: int, took_part: int) -> ProtocolViolation:
    """More ballots found in the boxes than were issued."""
    what = f"ballots found {_n(found)} > issued {_n(took_part)}"
    return key.violation("found_within_issued", "ballots_found", what)


def found_imbalance(
    key: ProtocolKey, votes: int, against_all: int | None, invalid: int, found: int
) -> ProtocolViolation:
    """The piles (votes, against all, invalid) do not add up to the ballots found."""
    total = votes + (against_all or 0) + invalid
    parts = f"votes for the entries {_n(votes)}"
    if against_all is not None:
        parts += f" + against all {_n(against_all)}"
    what = f"{parts} + invalid {_n(invalid)} (= {_n(total)}) ≠ ballots found {_n(found)}"
    return key.violation("found_balance", "ballots_found", what)


def issued_over_list(key: ProtocolKey, took_part: int, registered: int) -> ProtocolViolation:
    """More ballots issued than voters on the list."""
    what = f"ballots issued {_n(took_part)} > voters on the list {_n(registered)}"
    return key.violation("issued_within_list", "took_part", what)


def outside_over_issued(key: ProtocolKey, outside: int, took_part: int) -> ProtocolViolation:
    """More ballots issued outside the station than issued in all."""
    what = f"ballots issued outside the station {_n(outside)} > issued {_n(took_part)}"
    return key.violation("outside_within_issued", "took_part_outside", what)


def duplicated(key: ProtocolKey, rows: int) -> ProtocolViolation:
    """The station has `rows` protocols in one table of a contest and round."""
    what = f"station_id {key.station_id} is on {rows} rows; one protocol per station"
    return key.violation("duplicate_station", STATION, what)


def unknown(key: ProtocolKey) -> ProtocolViolation:
    """The station is not one of those that report this contest."""
    what = f"station_id {key.station_id} is not one of the stations that report this contest"
    return key.violation("unknown_station", STATION, what)


# The relations on one protocol.


def _key(protocol: Protocol) -> ProtocolKey:
    return ProtocolKey(protocol.station_id, protocol.contest_id, protocol.round)


def _whole(value: object) -> int | None:
    """`value` if it is a whole number (negative included), else None: not evaluable."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _get(protocol: Protocol, line: Line) -> int | None:
    return _whole(protocol.line(line))


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


def received_balance(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Ballots received = issued + cancelled (+ lost, − unaccounted, where recorded) [I].

    The Russian form's balance counts ballots not accounted for on receipt too [I].
    """
    received = _get(protocol, "ballots_received")
    took_part = _get(protocol, "took_part")
    cancelled = _get(protocol, "ballots_cancelled")
    lost = _get(protocol, "ballots_lost")
    unaccounted = _get(protocol, "ballots_unaccounted")
    if received is None or took_part is None or cancelled is None:
        return ()
    if protocol.ballots_lost is not None and lost is None:
        return ()
    if protocol.ballots_unaccounted is not None and unaccounted is None:
        return ()
    if received == took_part + cancelled + (lost or 0) - (unaccounted or 0):
        return ()
    key = _key(protocol)
    return (received_imbalance(key, received, took_part, cancelled, lost, unaccounted),)


def found_within_issued(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Ballots found in the boxes <= ballots issued [I]."""
    found = _get(protocol, "ballots_found")
    took_part = _get(protocol, "took_part")
    if found is None or took_part is None or found <= took_part:
        return ()
    return (found_over_issued(_key(protocol), found, took_part),)


def found_balance(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Votes for all entries + against all (where on the form) + invalid = ballots found [I]."""
    found = _get(protocol, "ballots_found")
    invalid = _get(protocol, "invalid")
    against_all = _get(protocol, "against_all")
    votes = [_whole(value) for value in protocol.votes.values()]
    if found is None or invalid is None:
        return ()
    if protocol.against_all is not None and against_all is None:
        return ()
    counted = [value for value in votes if value is not None]
    if len(counted) < len(votes):
        return ()
    if sum(counted) + (against_all or 0) + invalid == found:
        return ()
    return (found_imbalance(_key(protocol), sum(counted), against_all, invalid, found),)


def issued_within_list(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Ballots issued <= voters on the list [I]."""
    took_part = _get(protocol, "took_part")
    registered = _get(protocol, "registered")
    if took_part is None or registered is None or took_part <= registered:
        return ()
    return (issued_over_list(_key(protocol), took_part, registered),)


def outside_within_issued(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Ballots issued outside the station <= ballots issued (where recorded)."""
    outside = _get(protocol, "took_part_outside")
    took_part = _get(protocol, "took_part")
    if outside is None or took_part is None or outside <= took_part:
        return ()
    return (outside_over_issued(_key(protocol), outside, took_part),)


PROTOCOL_CHECKS: Final[tuple[Callable[[Protocol], tuple[ProtocolViolation, ...]], ...]] = (
    negative,
    line_missing,
    received_balance,
    found_within_issued,
    found_balance,
    issued_within_list,
    outside_within_issued,
)
"""The relations one protocol can break on its own, in the order of CODES."""


def check_protocol(protocol: Protocol) -> tuple[ProtocolViolation, ...]:
    """Every control relation of one protocol; an empty tuple means the protocol is accepted.

    `duplicate_station` and `unknown_station` need the other protocols or the registry;
    the table check (`saylau.protocol.table.check_table`) adds them.
    """
    return tuple(violation for check in PROTOCOL_CHECKS for violation in check(protocol))


__all__ = [
    "CODES",
    "PROTOCOL_CHECKS",
    "RELATIONS",
    "ProtocolKey",
    "ProtocolViolation",
    "ViolationCode",
    "check_protocol",
    "duplicated",
    "found_balance",
    "found_imbalance",
    "found_over_issued",
    "found_within_issued",
    "issued_over_list",
    "issued_within_list",
    "line_missing",
    "negative",
    "not_recorded",
    "not_whole",
    "outside_over_issued",
    "outside_within_issued",
    "received_balance",
    "received_imbalance",
    "unknown",
]
