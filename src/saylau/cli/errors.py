"""Saylau's own errors reach the user as one line on stderr and exit status 2."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from saylau.errors import SaylauError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 2


def one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that a SaylauError prints `error: ...` and exits with status 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SaylauError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper
