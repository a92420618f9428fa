"""The `saylau` command: a thin layer that wires files to the rule core.

Each command's module loads the rooms it calls only when the command runs, so that
`saylau --help` loads nothing but this package and Typer (docs/architecture.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Final

import typer

from saylau.cli.allocate import allocate_command
from saylau.cli.audit import audit_app
from saylau.cli.compare import compare_command
from saylau.cli.db import db_app
from saylau.cli.errors import one_line_errors
from saylau.cli.export import export_command
from saylau.cli.forensics import forensics_command
from saylau.cli.law import law_app
from saylau.cli.load import load_command
from saylau.cli.process import collecting_seldom, without_blas_threads, without_pandas
from saylau.cli.protocols import protocols_app
from saylau.cli.replay import replay_command
from saylau.cli.report import report_command
from saylau.cli.run import run_command
from saylau.cli.serve import serve_command
from saylau.cli.users import users_app
from saylau.cli.verify import verify_command

COMMANDS: Final[dict[str, Callable[..., None] | typer.Typer]] = {
    "run": one_line_errors(run_command),
    "verify": one_line_errors(verify_command),
    "allocate": one_line_errors(allocate_command),
    "compare": one_line_errors(compare_command),
    "forensics": one_line_errors(forensics_command),
    "report": one_line_errors(report_command),
    "export": one_line_errors(export_command),
    "law": law_app,
    "protocols": protocols_app,
    "db": db_app,
    "load": load_command,
    "users": users_app,
    "audit": audit_app,
    "serve": one_line_errors(serve_command),
    "replay": replay_command,
}
"""Every command and group of commands, by name, in the order `saylau --help` lists them."""

READING: Final = frozenset(
    {"run", "verify", "compare", "forensics", "report", "export", "protocols"}
)
"""The commands that read protocols, and set up their process for it once their modules are
loaded (saylau.cli.process.reading_protocols)."""

HELP: Final = "Run elections under mixed electoral laws, exactly as the law says."


def command_line(names: Iterable[str]) -> typer.Typer:
    """The `saylau` command with the commands named (a group even with one of them)."""
    built = typer.Typer(
        name="saylau",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )
    for name in names:
        command = COMMANDS[name]
        if isinstance(command, typer.Typer):
            built.add_typer(command, name=name)
        else:
            built.command(name)(command)
    built.callback()(_group)
    return built


def _group() -> None:
    """Run elections under mixed electoral laws, exactly as the law says."""


app = command_line(COMMANDS)


def main() -> None:
    """Entry point of the `saylau` console script. A command named first is run from a
    command line holding it alone: Typer reads every command's signature when it starts,
    which would cost a run a thirtieth of a second for fourteen commands it does not call.
    A command that reads protocols collects garbage seldom, from before its modules load
    (saylau.cli.process.collecting_seldom). NumPy's OpenBLAS starts no threads of its own
    (saylau.cli.process.without_blas_threads)."""
    without_pandas()
    without_blas_threads()
    named = sys.argv[1] if len(sys.argv) > 1 else ""
    if named in READING:
        collecting_seldom()
    (command_line([named]) if named in COMMANDS else app)()
