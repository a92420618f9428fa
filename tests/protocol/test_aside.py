"""aside: a computation's value or error reaches the caller, in a thread for a large table
and in the caller for a small one."""

from __future__ import annotations

import threading

import pytest

from saylau.protocol.aside import ASIDE_ROWS, aside


@pytest.mark.parametrize("rows", [0, ASIDE_ROWS - 1, ASIDE_ROWS, 10 * ASIDE_ROWS])
def test_the_value_reaches_the_caller(rows: int) -> None:
    threads: list[threading.Thread] = []

    def compute() -> int:
        threads.append(threading.current_thread())
        return rows

    result = aside(compute, rows)
    assert result() == rows
    beside = threads[0] is not threading.current_thread()
    assert beside == (rows >= ASIDE_ROWS)


@pytest.mark.parametrize("rows", [1, ASIDE_ROWS])
def test_the_error_is_raised_in_the_caller_when_the_value_is_asked_for(rows: int) -> None:
    def broken() -> int:
        raise ValueError("no such station")

    result = aside(broken, rows)
    with pytest.raises(ValueError, match="no such station"):
        result()
