"""`saylau audit verify`: the audit chain checked against the data."""

from __future__ import annotations

from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors
from saylau.service.audit import verify_chain
from saylau.service.config import database_url
from saylau.service.db import dispose, reading

audit_app = typer.Typer(help="The service's audit trail.", no_args_is_help=True)

EXIT_BROKEN = 1


@audit_app.command("verify")
@one_line_errors
def verify_command(
    url: Annotated[str | None, typer.Option("--url", help="Database URL.")] = None,
) -> None:
    """Check every entry's hash and link, and every protocol against its last entry; name
    the first entry edited, deleted or reordered. Exit 0 when it verifies, 1 when not.
    The example's database is written by `saylau load kz-1999`.

    Example: saylau audit verify
    """
    found = database_url(url)
    with reading(found) as session:
        report = verify_chain(session)
    dispose(found)
    if report.verified:
        typer.echo(f"audit chain verifies: {report.entries:,} entries")
        return
    typer.echo(f"audit chain does not verify: first problem: {report.first}")
    for problem in report.problems:
        typer.echo(f"  {problem}")
    raise typer.Exit(EXIT_BROKEN)
