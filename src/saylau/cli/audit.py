"""`saylau audit verify`: the audit chain checked against the data."""

from __future__ import annotations

from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors

audit_app = typer.Typer(help="The service's audit trail.", no_args_is_help=True)

EXIT_BROKEN = 1


@audit_app.command("verify")
@one_line_errors
def audit_verify_command(
    url: Annotated[str | None, typer.Option("--url", help="Database URL.")] = None,
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            "--anchor",
            help="SEQ:HASH of an entry noted or published earlier (a snapshot's audit_head, "
            "or the head this command printed); the chain must still hold it. Repeatable.",
        ),
    ] = None,
) -> None:
    """Check every entry's hash and link, and every protocol against its last entry; name
    the first entry edited, deleted or reordered. Exit 0 when it verifies, 1 when not.
    The example's database is written by `saylau load kz-1999`.

    A chain rewritten from some entry on, every later hash recomputed, holds together on
    its own: `--anchor` holds it to a hash published before (every snapshot's
    `national.json` carries the head as `audit_head`).

    Example: saylau audit verify
    """
    from saylau.service.audit import Anchor, verify_chain
    from saylau.service.config import database_url
    from saylau.service.db import dispose, reading

    try:
        anchors = [Anchor.parse(text) for text in anchor or []]
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--anchor") from None
    found = database_url(url)
    with reading(found) as session:
        report = verify_chain(session, anchors)
    dispose(found)
    head = f"head: entry {report.head}" if report.head else "no entries yet"
    held = f"; {len(anchors)} anchors held" if anchors else ""
    if report.verified:
        typer.echo(f"audit chain verifies: {report.entries:,} entries{held}; {head}")
        return
    typer.echo(f"audit chain does not verify: first problem: {report.first}")
    for problem in report.problems:
        typer.echo(f"  {problem}")
    raise typer.Exit(EXIT_BROKEN)
