"""A columnar computation started beside the calling thread, on a large table only.

pyarrow lets go of the interpreter while it computes, so a hash of a million station ids
can run on one core while the calling thread checks other columns on the other. A small
table is computed in the calling thread when its value is asked for: a thread's start and
hand-over would cost more than they save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final, TypeVar

T = TypeVar("T")

ASIDE_ROWS: Final = 65_536
"""Fewer rows than this are computed in the calling thread, when asked for."""


def aside(compute: Callable[[], T], rows: int) -> Callable[[], T]:
    """`compute` started in a thread of its own for ASIDE_ROWS rows or more; the function
    returned waits for its value and gives it, or raises its error, in the caller."""
    if rows < ASIDE_ROWS:
        return compute
    found: dict[str, Any] = {}

    def run() -> None:
        try:
            found["value"] = compute()
        except BaseException as exc:  # raised in the caller, by the function returned
            found["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if "error" in found:
            raise found["error"]
        value: T = found["value"]
        return value

    return result


__all__ = ["ASIDE_ROWS", "aside"]
