"""`saylau protocols`: check a protocol file before it is counted, and list a law's relations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.errors import one_line_errors
from saylau.cli.options import JsonOption, QuietOption

protocols_app = typer.Typer(help="Polling-station protocol files.", no_args_is_help=True)

EXIT_REJECTED = 1


@protocols_app.command("check")
@one_line_errors
def check_protocols(
    path: Annotated[Path, typer.Argument(help="A protocol file: .csv, .csv.gz or .parquet.")],
    law: Annotated[
        str | None,
        typer.Option(help="The law whose form the file follows (default: its chamber's law)."),
    ] = None,
    contest: Annotated[
        str | None, typer.Option(help="The contest (default: from the file name).")
    ] = None,
    round: Annotated[
        int | None, typer.Option("--round", help="The round (default: from the file name).")
    ] = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check every protocol in a file as `saylau run` would; exit 1 if any is rejected.

    A file in an election directory's protocols/ folder is checked against its chamber's
    law, its ballot and its stations; any other file needs --law.

    Example: saylau protocols check examples/demo-election/protocols/house-list.r1.csv
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from saylau.cli.process import reading_protocols
    from saylau.cli.progress import progress_bar, reporter
    from saylau.io.json_text import json_text
    from saylau.io.protocols.check import check_protocol_file

    reading_protocols()
    with progress_bar("bytes", quiet=quiet) as bar:
        task = bar.add_task(f"reading {path.name}", total=None)
        checked = check_protocol_file(
            path, law=law, contest=contest, round=round, progress=reporter(bar, task)
        )
    check = checked.check
    rows = check.table.num_rows
    rejected, flagged = check.rejected_stations, check.flagged_stations
    if as_json:
        data = {
            "file": str(path),
            "law": checked.law.id,
            "contest_id": checked.contest_id,
            "round": checked.round,
            "registry": checked.registry,
            "protocols": rows,
            "accepted": rows - check.rejected_count,
            "rejected": list(rejected),
            "flagged": list(flagged),
            "violations": [
                {
                    "station_id": v.station_id,
                    "code": v.code,
                    "severity": v.severity,
                    "line": v.line,
                    "message": v.message,
                }
                for v in check.violations
            ],
        }
        typer.echo(json_text(data))
    else:
        out = Console(width=120)
        against = "its election's registry" if checked.registry else "no registry"
        out.print(
            f"{path}: contest {checked.contest_id}, round {checked.round}, law {checked.law.id} "
            f"(stations checked against {against})\n"
            f"{rows:,} protocols: {rows - check.rejected_count:,} accepted "
            f"({len(flagged):,} flagged for review), {check.rejected_count:,} rejected"
        )
        if check.violations:
            shown = Table("station", "relation", "severity", "line", "message")
            for v in check.violations[:200]:
                shown.add_row(v.station_id, v.code, v.severity, v.line, escape(v.message))
            out.print(shown)
            if len(check.violations) > 200:
                out.print(f"... and {len(check.violations) - 200:,} more")
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


@protocols_app.command("relations")
@one_line_errors
def list_relations(
    law: Annotated[
        str | None, typer.Option(help="A bundled law name or a law file: list its relations.")
    ] = None,
) -> None:
    """List the checks every protocol meets: the integrity checks, and a law's relations.

    Example: saylau protocols relations --law kz-1999-majilis
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from saylau.law.loader import bundled_law_names, load_law
    from saylau.protocol.checks import INTEGRITY

    out = Console(width=140)
    integrity = Table("code", "severity", "rule", title="Integrity checks (every law)")
    for code, rule in INTEGRITY.items():
        integrity.add_row(code, "reject", rule)
    out.print(integrity)
    if law is None:
        out.print(
            "Each law names the control relations of its protocol form: add --law NAME "
            f"(bundled: {', '.join(bundled_law_names())})."
        )
        return
    loaded = load_law(law)
    relations = loaded.protocol.relations if loaded.protocol is not None else ()
    table = Table(
        "code", "severity", "rule", "in words", "source", title=f"Control relations of {loaded.id}"
    )
    for relation in relations:
        table.add_row(
            relation.code,
            relation.severity,
            escape(relation.rule.text),
            escape(relation.words),
            escape(relation.source or ""),
        )
    out.print(table)
    if not relations:
        out.print(f"{loaded.id} names no control relations.")
