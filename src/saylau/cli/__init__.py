"""The `saylau` command: a thin layer that wires files to the rule core.

Each command's module loads the rooms it calls only when the command runs, so that
`saylau --help` loads nothing but this package and Typer (docs/architecture.md).
"""

from __future__ import annotations

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
from saylau.cli.process import without_pandas
from saylau.cli.protocols import protocols_app
from saylau.cli.replay import replay_command
from saylau.cli.report import report_command
from saylau.cli.run import run_command
from saylau.cli.serve import serve_command
from saylau.cli.users import users_app
from saylau.cli.verify import verify_command

app = typer.Typer(
    name="saylau",
    help="Run elections under mixed electoral laws, exactly as the law says.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.command("run")(one_line_errors(run_command))
app.command("verify")(one_line_errors(verify_command))
app.command("allocate")(one_line_errors(allocate_command))
app.command("compare")(one_line_errors(compare_command))
app.command("forensics")(one_line_errors(forensics_command))
app.command("report")(one_line_errors(report_command))
app.command("export")(one_line_errors(export_command))
app.add_typer(law_app, name="law")
app.add_typer(protocols_app, name="protocols")
app.add_typer(db_app, name="db")
app.command("load")(load_command)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.command("serve")(one_line_errors(serve_command))
app.command("replay")(replay_command)


def main() -> None:
    """Entry point of the `saylau` console script."""
    without_pandas()
    app()
