"""Shared protocols for the protocol room's tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from saylau.protocol.lines import Protocol

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
