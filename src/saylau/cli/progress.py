"""The progress display every long command shows: on stderr, so that stdout stays clean."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TaskID, TextColumn


def progress_bar(*columns: ProgressColumn) -> Progress:
    """A bar after the task's description; gone when done, silent when stderr is no terminal."""
    err = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *columns,
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def reporter(bar: Progress, task: TaskID) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that moves `task` on `bar`."""

    def report(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return report
