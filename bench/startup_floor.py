"""The floor of `saylau --help`: a bare Typer app with Saylau's commands and empty bodies.

bench/bench_startup.py times `saylau --help` and `saylau run --help` against this app's,
as whole processes; tests/test_bench_startup.py holds its commands to Saylau's.
"""

from __future__ import annotations

import typer

COMMANDS = ("run", "verify", "allocate", "compare", "forensics", "report", "export", "load")
COMMANDS += ("serve", "replay")
GROUPS = {
    "law": ("list", "show", "check", "schema"),
    "protocols": ("check", "relations"),
    "db": ("upgrade", "snapshot"),
    "users": ("add",),
    "audit": ("verify", "key"),
}

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)


def _empty(election: str = typer.Argument("kz-1999", help="An election.")) -> None:
    """A command that does nothing."""


for name in COMMANDS:
    app.command(name)(_empty)
for group, commands in GROUPS.items():
    sub = typer.Typer(no_args_is_help=True)
    for name in commands:
        sub.command(name)(_empty)
    app.add_typer(sub, name=group)

if __name__ == "__main__":
    app()
