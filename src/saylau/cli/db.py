"""`saylau db`: the service's database: migrate it, write the public snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors

db_app = typer.Typer(help="The service's database.", no_args_is_help=True)

URL = typer.Option("--url", help="Database URL (default: SAYLAU_DATABASE_URL, else saylau.db).")


@db_app.command("upgrade")
@one_line_errors
def db_upgrade_command(url: Annotated[str | None, URL] = None) -> None:
    """Bring the database to the newest migration (SQLite by default, PostgreSQL by URL).

    Example: saylau db upgrade
    """
    from saylau.service.config import database_url
    from saylau.service.db import dispose
    from saylau.service.migrate import upgrade

    found = database_url(url)
    before, after = upgrade(found)
    dispose(found)
    typer.echo(f"database at revision {after}" + ("" if before == after else f" (was {before})"))


@db_app.command("snapshot")
@one_line_errors
def db_snapshot_command(
    out: Annotated[Path, typer.Argument(help="Folder for the JSON snapshots.")],
    url: Annotated[str | None, URL] = None,
) -> None:
    """Write the published results as static JSON: national.json, territories/, districts/.
    The example's database is written by `saylau load kz-1999`.

    Example: saylau db snapshot public-results
    """
    from saylau.service.config import database_url
    from saylau.service.db import dispose, reading
    from saylau.service.snapshots import write_snapshots

    found = database_url(url)
    with reading(found) as session:
        written = write_snapshots(session, found, out)
    dispose(found)
    typer.echo(f"{len(written)} snapshot files written under {out}")
