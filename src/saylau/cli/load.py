"""`saylau load`: an election's registry into the service's database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors


@one_line_errors
def load_command(
    election: Annotated[
        str, typer.Argument(help="A named election (kz-1999) or an election directory.")
    ],
    seed: Annotated[int | None, typer.Option(help="The scenario's seed.")] = None,
    admin: Annotated[
        str, typer.Option(help="The first administrator, made if none exists.")
    ] = "admin",
    url: Annotated[str | None, typer.Option("--url", help="Database URL.")] = None,
    station_voters: Annotated[
        int | None,
        typer.Option(
            help="The most voters a station's list holds where --voters-file gives no count "
            "of its own: no figure of a protocol may exceed it times the margin "
            "(plausibility); kept with the election."
        ),
    ] = None,
    voters_file: Annotated[
        Path | None,
        typer.Option(
            help="The registry of voters: a CSV of station_id and voters, each station's "
            "own count, which --margin also applies to; kept with the election."
        ),
    ] = None,
    margin: Annotated[
        float, typer.Option(help="The margin over --station-voters (1 to 10 times).")
    ] = 1.0,
    implausible: Annotated[
        str, typer.Option(help="A protocol beyond it: reject, or flag (counted, for review).")
    ] = "reject",
) -> None:
    """Load an election into the database (migrating it first). With no administrator yet,
    one is made and its password printed once.

    Example: saylau load kz-1999
    """
    import secrets

    from sqlalchemy import select

    from saylau.service.accounts import NewPassword, create_user
    from saylau.service.config import database_url
    from saylau.service.db import dispose, writing
    from saylau.service.load import commissions, load_election
    from saylau.service.migrate import upgrade
    from saylau.service.models import UserRow
    from saylau.service.plausible import Plausibility, read_voters

    found = database_url(url)
    bound = None
    if station_voters is not None or voters_file is not None:
        bound = Plausibility(station_voters, margin, implausible)  # type: ignore[arg-type]
    voters = None if voters_file is None else read_voters(voters_file)
    upgrade(found)
    with writing(found) as session:
        report = load_election(session, election, seed, bound, voters)
    password = secrets.token_urlsafe(12)
    hashed = NewPassword.make(admin, password)  # argon2, before the transaction
    made = False
    with writing(found) as session:
        if (
            session.scalar(select(UserRow.id).where(UserRow.role == "administrator").limit(1))
            is None
        ):
            made = True
            create_user(
                session,
                admin,
                hashed,
                "administrator",
                None,
                by="cli",
                commissions=commissions(session),
            )
    dispose(found)
    state = "already loaded" if report.already else "loaded"
    typer.echo(
        f"{report.election_id} {state}: {report.stations:,} stations, {report.contests} contests"
    )
    if made:
        typer.echo(f"administrator {admin} created; password (shown once): {password}")
