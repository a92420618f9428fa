"""`saylau serve`: the service over HTTP (uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")
    ] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    snapshots: Annotated[
        Path | None, typer.Option(help="Folder the publish stage writes JSON snapshots to.")
    ] = None,
    secure_cookies: Annotated[
        bool, typer.Option(help="Mark cookies Secure (behind HTTPS).")
    ] = False,
    log: Annotated[
        bool, typer.Option(help="Log each request to stderr: method, path, status, time.")
    ] = True,
    check: Annotated[
        bool, typer.Option("--check", help="Check the database and the election, then exit.")
    ] = False,
    url: Annotated[str | None, typer.Option("--url", help="Database URL.")] = None,
    secret_file: Annotated[
        Path | None,
        typer.Option(
            help="The secret's file (made once, owner-only; default SAYLAU_SECRET_FILE, "
            "else saylau.secret here). SAYLAU_SECRET, if set, is used instead."
        ),
    ] = None,
    audit_key: Annotated[
        Path | None,
        typer.Option(
            help="The audit key's file, which signs every audit entry (made once, owner-only; "
            "default SAYLAU_AUDIT_KEY, else saylau-audit.key here). Keep it off the database's "
            "machine."
        ),
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="A proxy's address whose X-Forwarded-For names the client (repeatable; "
            "default SAYLAU_TRUSTED_PROXIES, else none)."
        ),
    ] = None,
) -> None:
    """Serve the API and the web pages; say the address it listens on, and log each
    request. `--check` checks that the database is migrated and its election loads, and
    exits. The example's database is written by `saylau load kz-1999`.

    Example: saylau serve --check
    """
    from saylau.errors import InputError
    from saylau.service.config import Settings, database_url, load_secret, trusted_proxies
    from saylau.service.db import dispose, reading
    from saylau.service.election import election_row, loaded
    from saylau.service.migrate import current, head
    from saylau.service.serving import Listening
    from saylau.service.signing import KEY_VARIABLE, key_path, signer

    found = database_url(url)
    at = current(found)
    if at != head():
        raise InputError(f"the database is at revision {at}, not {head()}: run `saylau db upgrade`")
    with reading(found) as session:
        row = election_row(session)
        loaded(session)
    dispose(found)
    if check:
        typer.echo(f"ready to serve {row.election_id} from {found.split('@')[-1]}")
        return
    Settings(
        url=found
    )  # every limit in its range (SAYLAU_LOGIN_*, ...), or refused before listening
    load_secret(secret_file)  # made here, once, before any worker reads it
    # the workers read the same key, named absolutely (`signing.signer`)
    os.environ[KEY_VARIABLE] = str(key_path(audit_key).absolute())
    signer()  # made here, once, and refused if others may read it, before any worker signs
    listening = Listening.bind(host, port, workers)
    typer.echo(
        f"Saylau listens on {listening.address} "
        "(the public results at /, sign in at /login; Ctrl+C stops it)"
    )
    listening.serve(
        found,
        snapshots=snapshots,
        secure_cookies=secure_cookies,
        log=log,
        secret_file=secret_file,
        trusted_proxies=tuple(trusted_proxy or ()) or trusted_proxies(),
    )
