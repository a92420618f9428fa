"""An allocation as JSON-ready data: seats, and the explanation beside them.

Fractions are written exactly, as strings such as "3808979/10", so nothing is rounded
on the way out; vote counts and seats stay integers.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from saylau.rules.allocation import Allocation

_ADAPTER: TypeAdapter[Allocation] = TypeAdapter(Allocation)


def allocation_to_dict(allocation: Allocation) -> dict[str, Any]:
    """`seats` maps every list to its seats; `explanation` holds the full trace and its text."""
    dumped: dict[str, Any] = _ADAPTER.dump_python(allocation, mode="json")
    seats = dumped.pop("seats")
    threshold = dumped.get("threshold")
    if threshold is not None and not threshold["coalition_steps"]:
        del threshold["coalition_steps"]  # only where a coalition's bar grows with its members
    return {
        "method": dumped.pop("method"),
        "seats_total": dumped.pop("seats_total"),
        "seats": seats,
        "explanation": {**dumped, "text": allocation.explanation.splitlines()},
    }
