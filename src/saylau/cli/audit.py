"""`saylau audit verify`: the audit chain checked against its signatures and the data;
`saylau audit key`: the audit key made, and its public key shown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors

audit_app = typer.Typer(help="The service's audit trail.", no_args_is_help=True)

EXIT_BROKEN = 1

KEY_HELP = (
    "The audit key file (else SAYLAU_AUDIT_KEY, else saylau-audit.key): made once, owner-only "
    "(0600), kept outside the database."
)


@audit_app.command("verify")
@one_line_errors
def audit_verify_command(
    url: Annotated[str | None, typer.Option("--url", help="Database URL.")] = None,
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            "--anchor",
            help="SEQ:HASH or SEQ:HASH:SIGNATURE of a head noted or published earlier (a "
            "snapshot's audit_head, or the head this command printed); the chain must still "
            "hold it, and a signature must be the audit key's. Repeatable.",
        ),
    ] = None,
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="The audit key's public key (64 hex digits, as snapshots publish it), to "
            "check the signatures without the key file.",
        ),
    ] = None,
    key: Annotated[Path | None, typer.Option("--key", help=KEY_HELP)] = None,
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="Start from the last signed checkpoint that verified (the rows are still "
            "read whole); by default every entry is hashed and its signature checked.",
        ),
    ] = False,
) -> None:
    """Check every entry's hash, link and signature, the signed checkpoints, the live
    totals against the accepted protocols, and every protocol, entry copy, user, session
    and the registry against the entries that wrote them; name each that does not hold.
    Exit 0 when it verifies, 1 when not. With the audit key, the result is kept as a signed
    checkpoint and the head printed signed (SEQ:HASH:SIGNATURE).
    The example's database is written by `saylau load kz-1999`.

    A chain rewritten from some entry on, every later hash recomputed, holds together on
    its own: its entries' signatures, the signed checkpoints and `--anchor` (every
    snapshot's `national.json` carries a signed head as `audit_head`) show it.

    Example: saylau audit verify
    """
    import os

    from saylau.service.audit import Anchor
    from saylau.service.config import database_url
    from saylau.service.db import dispose, reading, writing
    from saylau.service.signing import KEY_VARIABLE, PublicKey, signer
    from saylau.service.verification import record_checkpoint, signed_head, verify_chain

    try:
        anchors = [Anchor.parse(text) for text in anchor or []]
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--anchor") from None
    try:
        published = None if public_key is None else PublicKey.parse(public_key)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--public-key") from None
    if key is not None:
        os.environ[KEY_VARIABLE] = str(key)
    holder = signer(make=False)
    found = database_url(url)
    with reading(found) as session:
        report = verify_chain(session, anchors, public_key=published, incremental=incremental)
    if holder is not None and (published is None or published == holder.public):
        with writing(found) as session:
            record_checkpoint(session, report, holder)
    dispose(found)
    head = signed_head(report, holder)
    shown = f"head: entry {head}" if head else "no entries yet"
    held = f"; {len(anchors)} anchors held" if anchors else ""
    since = f" (from the signed checkpoint at entry {report.since})" if report.since else ""
    keyed = f"; public key {report.public_key}" if report.public_key else ""
    if report.verified:
        typer.echo(
            f"audit chain verifies: {report.entries:,} entries{since}, every row held to it"
            f"{held}{keyed}; {shown}"
        )
        return
    typer.echo(f"audit chain does not verify: first problem: {report.first}")
    for problem in report.problems:
        typer.echo(f"  {problem}")
    raise typer.Exit(EXIT_BROKEN)


@audit_app.command("key")
@one_line_errors
def audit_key_command(
    key: Annotated[Path | None, typer.Option("--key", help=KEY_HELP)] = None,
) -> None:
    """Make the audit key file if there is none (owner-only, 0600; never overwritten) and
    print its public key, which snapshots publish and `saylau audit verify --public-key`
    takes.

    Example: saylau audit key --key example-audit.key
    """
    from saylau.service.signing import key_path, make_key, read_key

    path = key_path(key)
    made = make_key(path)
    found = read_key(path)
    typer.echo(f"{'made' if made else 'kept'} {path}; public key {found.public.hex}")
