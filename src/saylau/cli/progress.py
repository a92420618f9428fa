"""The progress display every long command shows: on stderr, so that stdout stays clean.

A bar appears only once its work has taken SHOWN_AFTER seconds (a quick command shows
nothing), never when stderr is not a terminal, and never with `--quiet`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TaskID, TextColumn

SHOWN_AFTER: Final = 1.0
"""Seconds of work before a bar is shown."""


class _Delayed(Progress):
    """A bar that starts drawing SHOWN_AFTER seconds after it is entered, if still open."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard = threading.Lock()
        self._closed = False
        self._timer = threading.Timer(SHOWN_AFTER, self._show)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def _show(self) -> None:
        with self._guard:
            if not self._closed:
                super().start()

    def stop(self) -> None:
        with self._guard:
            self._closed = True
            self._timer.cancel()
        super().stop()


def progress_bar(*columns: ProgressColumn, quiet: bool = False) -> Progress:
    """A bar after the task's description; gone when done (see the module doc)."""
    err = Console(stderr=True)
    return _Delayed(
        TextColumn("{task.description}"),
        BarColumn(),
        *columns,
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )


def reporter(bar: Progress, task: TaskID) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that moves `task` on `bar`."""

    def report(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return report
