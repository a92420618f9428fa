"""A protocol as the service receives it: values checked for shape, then by the law.

A submission names its lines and its votes. Its shape is checked first (a known line, an
entry on the contest's ballot, every entry of a first round, a whole number of at most
10^12): a request of the wrong shape is refused with 422 and stores nothing. Then the core
checks it against the form of the chamber's law (`check_protocol`): a protocol that breaks
a `reject` relation is kept as rejected, with its errors; a `flag` is counted and shown.
Until its second entry is in, a version's figures are shown to its first operator only
(`blind_to`).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from saylau.law.form import LINES, ProtocolForm
from saylau.limits import MAX_COUNT
from saylau.protocol.checks import ProtocolViolation, check_protocol, rejects
from saylau.protocol.lines import ContestId, Protocol, StationId
from saylau.said import N_, Said
from saylau.service.db import canonical
from saylau.service.errors import Invalid

Count = StrictInt


class Values(BaseModel):
    """A protocol's figures: its lines (`registered`, `took_part`, ...) and each entry's
    votes, by entry id. A line the form does not carry is left out."""

    model_config = ConfigDict(extra="forbid")
    lines: dict[str, Count] = Field(default_factory=dict)
    votes: dict[str, Count] = Field(default_factory=dict)


def data_of(values: Values, entries: list[str], round: int) -> dict[str, Any]:
    """The values as stored (canonical order), or a 422 naming what is wrong with them."""
    unknown = sorted(set(values.lines) - set(LINES))
    if unknown:
        raise Invalid(f"line {unknown[0]} is not a protocol line ({', '.join(LINES)})")
    strangers = sorted(set(values.votes) - set(entries))
    if strangers:
        raise Invalid(f"{strangers[0]} is not on this contest's ballot ({', '.join(entries)})")
    absent = [entry for entry in entries if entry not in values.votes]
    if round == 1 and absent:
        raise Invalid(f"the votes for {absent[0]} are missing: a first round lists every entry")
    if not values.votes:
        raise Invalid("a protocol gives the votes of at least one entry")
    for name, value in [*values.lines.items(), *values.votes.items()]:
        if abs(value) > MAX_COUNT:
            raise Invalid(f"{name} is {value:,}, beyond the limit of 10^12 for one figure")
    return {"lines": dict(values.lines), "votes": dict(values.votes)}


def text_of(data: dict[str, Any]) -> str:
    return canonical(data)


def parse(text: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(text)
    return found


def core_protocol(
    station_id: str, contest_id: str, round: int, data: dict[str, Any], version: int = 1
) -> Protocol:
    """The core's Protocol of stored values; a required line left out is None, so that the
    core reports it as `line_missing` (as protocols_from_table does)."""
    lines: dict[str, Any] = {line: data["lines"].get(line) for line in LINES}
    return Protocol(
        station_id=StationId(station_id),
        contest_id=ContestId(contest_id),
        round=round,
        votes=dict(data["votes"]),
        version=version,
        **lines,
    )


def check(protocol: Protocol, form: ProtocolForm) -> tuple[bool, list[dict[str, str]]]:
    """(rejected, errors): the core's checks of one protocol against the law's form."""
    found: tuple[ProtocolViolation, ...] = check_protocol(protocol, form)
    errors = [
        {"code": v.code, "severity": v.severity, "line": v.line, "message": v.message}
        for v in found
    ]
    return rejects(found), errors


def said_again(
    errors: list[dict[str, str]], protocol: Protocol, form: ProtocolForm
) -> list[dict[str, str]]:
    """A protocol's stored errors, each message as the core makes it again (saylau.said, so
    a page can say it in the reader's language) where checking the stored values anew gives
    the same text; a message it does not give again stays as it was stored."""
    _, fresh = check(protocol, form)
    again = {str(error["message"]): error["message"] for error in fresh}
    return [{**error, "message": again.get(error["message"], error["message"])} for error in errors]


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """Every field where two entries differ, as `lines.took_part` or `votes.otan`."""
    found = []
    for part in ("lines", "votes"):
        names = sorted(set(first[part]) | set(second[part]))
        found += [f"{part}.{n}" for n in names if first[part].get(n) != second[part].get(n)]
    return found


HIDDEN = "figures hidden until the protocol's second entry"
"""What a control relation's message says to a viewer who may not see the figures yet."""


def blind_to(entered_by: int, second_in: bool, viewer_id: int | None) -> bool:
    """Whether a protocol version's figures are hidden from the viewer: blind double entry
    shows them to no one but the version's first operator until its second entry is in
    (a verification, or a resolution), administrators and observers included."""
    return not second_in and entered_by != viewer_id


def blinded_errors(errors: list[dict[str, str]]) -> list[dict[str, str]]:
    """A version's control-relation errors without their figures: code, severity, line."""
    hidden = N_("%(code)s: figures hidden until the protocol's second entry")
    return [{**error, "message": Said(hidden, code=error["code"])} for error in errors]
