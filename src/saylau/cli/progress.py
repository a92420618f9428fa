"""The progress display every long command shows: on stderr, so that stdout stays clean.

A bar appears only once its work has taken SHOWN_AFTER seconds (a quick command shows
nothing), never when stderr is not a terminal, and never with `--quiet`. Until then its
tasks are plain values and Rich is not loaded: a quick command never loads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

SHOWN_AFTER: Final = 1.0
"""Seconds of work before a bar is shown."""

Column = Literal["count", "bytes", "time left"]
"""What a bar shows after its description and the bar: done of all, bytes read, time left."""


def terminal() -> Console:
    """The console a bar is drawn on: stderr."""
    from rich.console import Console

    return Console(stderr=True)


def _drawn(columns: tuple[Column, ...], console: Console) -> Progress:
    """Rich's bar with `columns`, gone when done."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    made = {"count": MofNCompleteColumn, "bytes": DownloadColumn, "time left": TimeRemainingColumn}
    shown = [made[column]() for column in columns]
    return Progress(
        TextColumn("{task.description}"), BarColumn(), *shown, console=console, transient=True
    )


class Bar:
    """A bar that starts drawing SHOWN_AFTER seconds after it is entered, if still open and
    on a terminal; its tasks are kept as values until then."""

    def __init__(self, columns: tuple[Column, ...], quiet: bool) -> None:
        self._columns = columns
        self._quiet = quiet
        self._guard = threading.Lock()
        self._closed = False
        self._tasks: dict[int, dict[str, Any]] = {}
        self._drawn: Progress | None = None
        self._ids: dict[int, Any] = {}
        self._timer = threading.Timer(SHOWN_AFTER, self._show)
        self._timer.daemon = True

    def __enter__(self) -> Bar:
        if not self._quiet:
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._guard:
            self._closed = True
            self._timer.cancel()
            if self._drawn is not None:
                self._drawn.stop()

    def add_task(self, description: str, total: float | None = None) -> int:
        """A new task, by its number."""
        with self._guard:
            task = len(self._tasks)
            self._tasks[task] = {"description": description, "total": total, "completed": 0}
            if self._drawn is not None:
                self._ids[task] = self._drawn.add_task(**self._tasks[task])
            return task

    def update(self, task: int, **fields: Any) -> None:
        """Set a task's `description`, `completed` or `total`."""
        with self._guard:
            self._tasks[task].update(fields)
            if self._drawn is not None and task in self._ids:
                self._drawn.update(self._ids[task], **fields)

    def remove_task(self, task: int) -> None:
        """The task is done and no longer shown."""
        with self._guard:
            self._tasks.pop(task)
            if self._drawn is not None and task in self._ids:
                self._drawn.remove_task(self._ids.pop(task))

    def _show(self) -> None:
        with self._guard:
            if self._closed:
                return
            console = terminal()
            if not console.is_terminal:
                return
            drawn = _drawn(self._columns, console)
            for task, fields in self._tasks.items():
                self._ids[task] = drawn.add_task(**fields)
            drawn.start()
            self._drawn = drawn


def progress_bar(*columns: Column, quiet: bool = False) -> Bar:
    """A bar after the task's description; gone when done (see the module doc)."""
    return Bar(columns, quiet)


def reporter(bar: Bar, task: int) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that moves `task` on `bar`."""

    def report(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return report
