"""`saylau run`: carry a whole election through its calendar and print the results."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn

from saylau.cli.progress import progress_bar, reporter
from saylau.io.bundle_write import check_target, write_bundle
from saylau.io.results_json import result_to_dict
from saylau.law.schema import Law
from saylau.report.table import render_result
from saylau.results import ElectionResult
from saylau.runner import laws_of, load_inputs, names
from saylau.stages.calendar import STAGES, run_calendar
from saylau.stages.inputs import ElectionInputs


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
) -> None:
    """Run an election: registration, the college vote, round 1, runoffs, new voting, final.

    Example: saylau run kz-1999
    """
    if out is not None:
        check_target(out)  # before the run, not after it
    with progress_bar(MofNCompleteColumn()) as bar:
        reading = bar.add_task(f"reading {election}", total=None)
        read = reporter(bar, reading)
        inputs, root = load_inputs(election, seed=seed, data=data, reading=read)
        bar.remove_task(reading)
        task = bar.add_task("calendar", total=len(STAGES))

        def advance(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        laws = laws_of(inputs, root)
        result = run_calendar(inputs, laws, advance)
        bar.update(task, completed=len(STAGES))
        if out is not None:
            bar.update(task, description=f"writing {out}")
            write_out(result, inputs, laws, out, ran=election, root=root)
    if as_json:
        typer.echo(json.dumps(result_to_dict(result, stages=stages), ensure_ascii=False, indent=2))
    else:
        Console(width=120).print(render_result(result))


def write_out(
    result: ElectionResult,
    inputs: ElectionInputs,
    laws: Mapping[str, Law],
    out: Path,
    *,
    ran: str,
    root: Path | None = None,
) -> None:
    """results.json, results.txt, rejected.csv, flagged.csv, the whole election directory
    with its law files, and manifest.json (saylau.io.bundle_write)."""
    write_bundle(result, inputs, laws, out, ran=ran, root=root)
