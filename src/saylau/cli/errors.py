"""Saylau's own errors reach the user as one line on stderr and exit status 2; so does a
database the service commands cannot reach or a URL that names none."""

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
        except Exception as exc:
            said = database_trouble(exc)
            if said is None:
                raise
            typer.echo(f"error: {said}", err=True)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper


def database_trouble(exc: Exception) -> str | None:
    """What went wrong with the database, said in one line; None for any other error.
    SQLAlchemy is imported only once one of its errors has been raised, so commands that
    use no database do not pay for it at start."""
    if not type(exc).__module__.startswith("sqlalchemy"):
        return None
    from sqlalchemy.exc import ArgumentError, OperationalError

    if isinstance(exc, OperationalError):
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return f"the database cannot be reached: {first}"
    if isinstance(exc, ArgumentError):
        return f"not a database URL Saylau can use: {exc}"
    return None
