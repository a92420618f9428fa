"""`saylau forensics`: statistical fingerprints of the accepted station protocols."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from saylau.cli.options import (
    DRAWS,
    RESAMPLE_SEED,
    DataOption,
    ElectionArgument,
    JsonOption,
    SeedOption,
)


def forensics_command(
    election: ElectionArgument,
    contest: Annotated[
        str | None,
        typer.Option(help="The contest to study (default: the list contest)."),
    ] = None,
    round: Annotated[int, typer.Option(help="The round of the contest.")] = 1,
    entry: Annotated[
        str | None,
        typer.Option("--list", help="The list (or candidate) studied (default: the leader)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(help="Compare turnout by territory or district (default: territory)."),
    ] = None,
    draws: Annotated[int, typer.Option(help="Resamples of the integer-percentage test.")] = DRAWS,
    resample_seed: Annotated[
        int, typer.Option(help="Seed of the resamples (recorded in the output).")
    ] = RESAMPLE_SEED,
    as_json: JsonOption = False,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write forensics.json, the fingerprint (SVG, PNG, CSV), turnout_by_area.csv "
            "and stations.csv under DIR."
        ),
    ] = None,
    seed: SeedOption = None,
    data: DataOption = None,
) -> None:
    """Forensics of the accepted protocols: the turnout-share fingerprint, the
    integer-percentage test, last digits, and turnout by territory, each with what it
    measures and what it does not prove.

    Example: saylau forensics spb-2021-duma
    """
    from rich.console import Console

    from saylau.errors import InputError

    level: Literal["territory", "district"] | None
    if by is None:
        level = None
    elif by in ("territory", "district"):
        level = "territory" if by == "territory" else "district"
    else:
        raise InputError(f"--by {by!r}: write territory or district")
    from saylau.limits import MAX_DRAWS

    if draws < 2:
        raise InputError(f"--draws {draws}: at least 2 resamples are needed for a spread")
    if draws > MAX_DRAWS:
        raise InputError(f"--draws {draws:,}: more than the limit of {MAX_DRAWS:,} resamples")
    from saylau.cli.process import reading_protocols
    from saylau.exports.forensics import forensics_to_dict, write_forensics
    from saylau.pipeline.run import run_forensics
    from saylau.report.forensics_text import render_forensics

    reading_protocols()
    found = run_forensics(
        election,
        contest=contest,
        round=round,
        entry=entry,
        draws=draws,
        resample_seed=resample_seed,
        by=level,
        seed=seed,
        data=data,
    )
    if out is not None:
        # matplotlib loads only when a figure is written, not with every saylau command
        from saylau.report.forensics_figures import figure_bytes, fingerprint_figure

        figure = fingerprint_figure(found)
        figures = {f"fingerprint.{kind}": figure_bytes(figure, kind) for kind in ("svg", "png")}
        write_forensics(found, out, figures)
    if as_json:
        typer.echo(json.dumps(forensics_to_dict(found), ensure_ascii=False, indent=2))
    else:
        Console(width=120).print(render_forensics(found))
