"""How every command ends on a problem: one line on stderr and exit status 2.

Saylau's own errors (saylau.errors) print as they are; a database the service commands
cannot reach or a URL that names none is said in one line; so is a command whose extra
(`saylau[service]`, `saylau[pdf]`) is not installed. Nothing else is caught: a bug shows
its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Final, ParamSpec, TypeVar

import typer

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 2

EXTRAS: Final = {
    "service": (
        "fastapi",
        "starlette",
        "uvicorn",
        "sqlalchemy",
        "alembic",
        "argon2",
        "multipart",
        "psycopg",
        "httpx",
    ),
    "pdf": ("playwright",),
}
"""Which modules each extra installs (pyproject.toml's optional dependencies)."""


def one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that any error it means to raise prints `error: ...` and exits 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            said = message(exc, command.__name__.removesuffix("_command").replace("_", " "))
            if said is None:
                raise
            typer.echo(f"error: {printable(said)}", err=True)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper


def printable(text: str) -> str:
    """The message with every control or format character but the line break escaped
    (`\\x00`, `\\u202e`), so that no input can hide in, or rewrite, what the terminal shows."""
    import unicodedata

    return "".join(
        c if c == "\n" or unicodedata.category(c)[0] != "C" else c.encode("unicode_escape").decode()
        for c in text
    )


def message(exc: Exception, command: str) -> str | None:
    """The one line that says what went wrong, or None for an error Saylau did not mean."""
    from saylau.errors import SaylauError

    if isinstance(exc, SaylauError):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError):
        return missing_extra(exc, command)
    return database_trouble(exc)


def missing_extra(exc: ModuleNotFoundError, command: str) -> str | None:
    """`saylau serve needs the service extra: pip install 'saylau[service]'`, where the
    module not found belongs to an extra; None for any other missing module."""
    top = (exc.name or "").split(".")[0]
    for extra, modules in EXTRAS.items():
        if top in modules:
            return f"saylau {command} needs the {extra} extra: pip install 'saylau[{extra}]'"
    return None


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
