"""Shared protocols and forms for the protocol room's tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from saylau.law.form import ProtocolForm
from saylau.law.loader import load_law
from saylau.protocol.lines import Protocol


def form_of(law: str) -> ProtocolForm:
    """The protocol form of a bundled law."""
    form = load_law(law).protocol
    assert form is not None
    return form


KZ_FORM = form_of("kz-1999-majilis")
"""The 1999 Kazakh form: found <= issued rejects (docs/kz-1999-law.md)."""
RU_FORM = form_of("ru-2021-duma")
"""The Russian form: found <= issued only flags; not accounted for on receipt in the balance."""

GOOD = Protocol(
    station_id="0412",
    contest_id="list",
    round=1,
    registered=1_000,
    ballots_received=1_200,
    took_part=900,
    ballots_cancelled=290,
    ballots_found=900,
    invalid=20,
    votes={"otan": 600, "communist": 230},
    against_all=50,
    took_part_outside=30,
    ballots_lost=10,
)
"""A protocol that keeps every relation: 900 + 290 + 10 = 1,200; 600 + 230 + 50 + 20 = 900."""


def broken(protocol: Protocol = GOOD, **changes: Any) -> Protocol:
    """`protocol` with `changes`, which may break its types (None lines, floats) on purpose."""
    return replace(protocol, **changes)
