"""`saylau users`: accounts of the service, from the command line (the first administrator)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors

users_app = typer.Typer(help="Accounts of the service.", no_args_is_help=True)


@users_app.command("add")
@one_line_errors
def users_add_command(
    username: Annotated[str, typer.Argument(help="The new user's name.")],
    role: Annotated[
        str, typer.Option(help="administrator, operator, supervisor or observer.")
    ] = "administrator",
    commission: Annotated[
        str | None,
        typer.Option(help="tec-<territory> or dec-<district>, for operators and supervisors."),
    ] = None,
    password_file: Annotated[
        Path | None,
        typer.Option(
            help="Read the password from this file; without it one is made and printed once."
        ),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Database URL.")] = None,
) -> None:
    """Add an account. The example's database is written by `saylau load kz-1999`.

    Example: saylau users add operator-akmola --role operator --commission tec-akmola
    """
    import secrets

    from saylau.io.files import read_text
    from saylau.service.accounts import NewPassword, create_user
    from saylau.service.config import database_url
    from saylau.service.db import dispose, writing
    from saylau.service.load import commissions

    password = read_text(password_file).strip() if password_file else secrets.token_urlsafe(12)
    found = database_url(url)
    hashed = NewPassword.make(username, password)  # argon2, before the transaction
    try:
        with writing(found) as session:
            create_user(
                session,
                username,
                hashed,
                role,
                commission,
                by="cli",
                commissions=commissions(session),
            )
    finally:
        dispose(found)
    typer.echo(f"user {username} ({role}) created")
    if password_file is None:
        typer.echo(f"password (shown once): {password}")
