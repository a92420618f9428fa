"""`saylau run`: carry a whole election through its calendar and print the results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn

from saylau.cli.progress import progress_bar, reporter
from saylau.errors import InputError
from saylau.io.bundle_write import write_bundle
from saylau.io.out_dir import check_target
from saylau.io.results_json import result_to_dict
from saylau.report.table import render_result
from saylau.runner import DEFAULT_DATA, IMPORTERS, decide, load_inputs, names
from saylau.stages.calendar import STAGES


def run_command(
    election: Annotated[
        str,
        typer.Argument(
            help="A known election ("
            + ", ".join(names())
            + ") or the path of an election directory (see the README)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the results, the election and every protocol under DIR."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of a generated scenario (default: its own).")
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="Folder of an importer's real files (default: data/real)."),
    ] = None,
    stages: Annotated[
        bool, typer.Option(help="Include every stage's decisions in the JSON.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(help="Write --out DIR even if it holds other files (they are kept aside)."),
    ] = False,
    law: Annotated[
        list[str] | None,
        typer.Option(
            "--law",
            help="CHAMBER=LAW: decide a chamber under another law (a bundled name or a file); "
            "the result is labelled a counterfactual. Repeatable.",
        ),
    ] = None,
) -> None:
    """Run an election: registration, the college vote, round 1, runoffs, new voting, final.

    Example: saylau run kz-1999
    """
    if out is not None:
        check_target(out, input_places(election, data), force=force)  # before the run
    with progress_bar(MofNCompleteColumn()) as bar:
        reading = bar.add_task(f"reading {election}", total=None)
        read = reporter(bar, reading)
        inputs, root = load_inputs(election, seed=seed, data=data, reading=read)
        bar.remove_task(reading)
        task = bar.add_task("calendar", total=len(STAGES))

        def advance(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        overrides = chamber_laws(law or [])
        result = decide(inputs, root, laws=overrides, progress=advance)
        bar.update(task, completed=len(STAGES))
        if out is not None:
            bar.update(task, description=f"writing {out}")
            _, kept = write_bundle(
                result, inputs, out, ran=election, root=root, overrides=overrides, force=force
            )
            if kept is not None:
                typer.echo(f"{out} held other files: they are kept in {kept}", err=True)
    if as_json:
        typer.echo(json.dumps(result_to_dict(result, stages=stages), ensure_ascii=False, indent=2))
    else:
        Console(width=120).print(render_result(result))


def input_places(election: str, data: Path | None) -> list[Path]:
    """The folders a run reads: an election directory, or an importer's data folder."""
    if Path(election).is_dir():
        return [Path(election)]
    if election in IMPORTERS:
        return [data or DEFAULT_DATA]
    return []


def chamber_laws(options: list[str]) -> dict[str, str]:
    """`--law CHAMBER=LAW` options as a mapping; a chamber named twice is an error."""
    found: dict[str, str] = {}
    for option in options:
        chamber, sign, name = option.partition("=")
        if not sign or not chamber.strip() or not name.strip():
            raise InputError(f"--law {option!r}: write CHAMBER=LAW, e.g. majilis=my-law.toml")
        if chamber.strip() in found:
            raise InputError(f"--law names chamber {chamber.strip()} twice")
        found[chamber.strip()] = name.strip()
    return found
