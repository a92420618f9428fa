"""`saylau compare`: replay an election's protocols under every combination of settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.options import DataOption, ElectionArgument, JsonOption, SeedOption


def _split(values: list[str] | None) -> list[str]:
    """Comma-separated and repeated options as one list: `--method hare,dhondt`."""
    return [part for value in values or [] for part in value.split(",") if part.strip()]


def compare_command(
    election: ElectionArgument,
    method: Annotated[
        list[str] | None,
        typer.Option(help="Allocation methods, comma-separated (default: the law's own)."),
    ] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            help="Thresholds in percent of the law's threshold base, comma-separated; 0 is "
            "none (default: the law's own)."
        ),
    ] = None,
    district_rule: Annotated[
        list[str] | None,
        typer.Option(
            "--district-rule",
            help="plurality (one round, most votes wins) and/or absolute_majority (more than "
            "half in round 1, else a runoff; vacant where no runoff was held). Default: the "
            "law's own.",
        ),
    ] = None,
    chamber: Annotated[
        str | None,
        typer.Option(help="The chamber to replay (default: the one with a list tier)."),
    ] = None,
    as_json: JsonOption = False,
    out: Annotated[
        Path | None, typer.Option(help="Write compare.csv and compare.json under DIR.")
    ] = None,
    seed: SeedOption = None,
    data: DataOption = None,
) -> None:
    """Replay the same protocols under every combination of methods, thresholds and
    district rules: seats by party, the indices, the real law's row, and which setting
    changed which seat.

    Example: saylau compare kz-1999 --method hare,dhondt,sainte-lague --threshold 0,3,5,7
    """
    from rich.console import Console

    from saylau.cli.process import reading_protocols
    from saylau.exports.compare import comparison_to_dict, write_comparison
    from saylau.pipeline.run import compare_laws
    from saylau.report.compare_table import render_comparison

    reading_protocols()
    comparison = compare_laws(
        election,
        chamber=chamber,
        methods=_split(method),
        thresholds=_split(threshold),
        district_rules=_split(district_rule),
        seed=seed,
        data=data,
    )
    if out is not None:
        write_comparison(comparison, out)
    if as_json:
        typer.echo(json.dumps(comparison_to_dict(comparison), ensure_ascii=False, indent=2))
    else:
        Console(width=160).print(render_comparison(comparison))
