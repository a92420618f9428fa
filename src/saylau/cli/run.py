"""`saylau run`: carry a whole election through its calendar and print the results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.options import (
    DataOption,
    ElectionArgument,
    JsonOption,
    LawOption,
    QuietOption,
    SeedOption,
)


def run_command(
    election: ElectionArgument,
    as_json: JsonOption = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the results, the election and every protocol under DIR."),
    ] = None,
    seed: SeedOption = None,
    data: DataOption = None,
    stages: Annotated[
        bool, typer.Option(help="Include every stage's decisions in the JSON.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(help="Write --out DIR even if it holds other files (they are kept aside)."),
    ] = False,
    law: LawOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run an election: registration, the college vote, round 1, runoffs, new voting, final.

    Example: saylau run kz-1999
    """
    from saylau.cli.running import Ran, input_places, run_election

    if out is not None:
        from saylau.io.bundle.out_dir import check_target

        check_target(out, input_places(election, data), force=force)  # before the run

    def bundle(ran: Ran, status: Callable[[str], None]) -> None:
        if out is not None:
            from saylau.pipeline.bundle import write_bundle

            status(f"writing {out}")
            _, kept = write_bundle(
                ran.result,
                ran.inputs,
                out,
                ran=election,
                root=ran.root,
                overrides=ran.overrides,
                force=force,
            )
            if kept is not None:
                typer.echo(f"{out} held other files: they are kept in {kept}", err=True)

    result = run_election(election, seed=seed, data=data, law=law, then=bundle, quiet=quiet).result
    if as_json:
        from saylau.exports.results_json import result_to_dict
        from saylau.io.json_text import json_text

        typer.echo(json_text(result_to_dict(result, stages=stages)))
    else:
        from rich.console import Console

        from saylau.report.table import render_result

        Console(width=120).print(render_result(result))
