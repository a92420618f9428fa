"""`saylau protocols`: check a protocol file before it is counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import DownloadColumn
from rich.table import Table

from saylau.cli.errors import one_line_errors
from saylau.cli.progress import progress_bar, reporter
from saylau.io.protocol_files import read_protocols
from saylau.protocol.checks import RELATIONS
from saylau.protocol.table import check_table

protocols_app = typer.Typer(help="Polling-station protocol files.", no_args_is_help=True)

EXIT_REJECTED = 1


@protocols_app.command("check")
@one_line_errors
def check_protocols(
    path: Annotated[Path, typer.Argument(help="A protocol file: .csv, .csv.gz or .parquet.")],
    contest: Annotated[str, typer.Option(help="The contest the file belongs to.")] = "contest",
    round: Annotated[int, typer.Option("--round", help="The round (1 or 2).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check every control relation of every protocol in a file; exit 1 if any is rejected.

    Example: saylau protocols check examples/demo-election/protocols/house-list.r1.csv
    """
    with progress_bar(DownloadColumn()) as bar:
        task = bar.add_task(f"reading {path.name}", total=None)
        table = read_protocols(path, progress=reporter(bar, task))
    check = check_table(table, contest, round)
    rejected = sorted({v.station_id for v in check.violations})
    if as_json:
        data = {
            "file": str(path),
            "protocols": table.num_rows,
            "accepted": table.num_rows - len(rejected),
            "rejected": rejected,
            "violations": [
                {"station_id": v.station_id, "code": v.code, "line": v.line, "message": v.message}
                for v in check.violations
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        out = Console(width=120)
        out.print(
            f"{path}: {table.num_rows:,} protocols, {table.num_rows - len(rejected):,} accepted, "
            f"{len(rejected):,} rejected"
        )
        if check.violations:
            shown = Table("station", "relation", "line", "message")
            for v in check.violations[:200]:
                shown.add_row(v.station_id, v.code, v.line, escape(v.message))
            out.print(shown)
            if len(check.violations) > 200:
                out.print(f"... and {len(check.violations) - 200:,} more")
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


@protocols_app.command("relations")
@one_line_errors
def list_relations() -> None:
    """List the control relations every protocol is checked against.

    Example: saylau protocols relations
    """
    table = Table("code", "rule")
    for code, rule in RELATIONS.items():
        table.add_row(code, rule)
    Console().print(table)
