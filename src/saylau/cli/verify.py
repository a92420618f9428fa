"""`saylau verify`: check a results bundle against its manifest, and recompute it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.options import JsonOption, QuietOption

EXIT_DIFFERS = 1


def verify_command(
    bundle: Annotated[
        Path, typer.Argument(help="A results bundle: what `saylau run ... --out DIR` wrote.")
    ],
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Verify a results bundle: every file against its manifest, every figure recomputed.

    Exit 0 when everything verifies, 1 when something differs (the first difference is
    named first), 2 on bad input. The example's bundle is written by
    `saylau run examples/demo-election --out demo-bundle`.

    Example: saylau verify demo-bundle
    """
    from saylau.cli.process import reading_protocols
    from saylau.cli.progress import progress_bar
    from saylau.io.json_text import json_text
    from saylau.pipeline.verify import describe, verification_to_dict, verify_bundle

    reading_protocols()
    with progress_bar("count", quiet=quiet) as bar:
        task = bar.add_task(f"verifying {bundle}", total=None)

        def advance(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        verification = verify_bundle(bundle, advance)
    if as_json:
        typer.echo(json_text(verification_to_dict(verification)))
    else:
        for line in describe(verification):
            typer.echo(line)
    if not verification.verified:
        raise typer.Exit(EXIT_DIFFERS)
