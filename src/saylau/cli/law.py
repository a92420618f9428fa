"""`saylau law`: list, show and check law files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from saylau.cli.errors import one_line_errors

if TYPE_CHECKING:
    from rich.table import Table

law_app = typer.Typer(help="Law files: the bundled ones, or your own.", no_args_is_help=True)


@law_app.command("list")
@one_line_errors
def list_laws() -> None:
    """List the bundled laws.

    Example: saylau law list
    """
    from rich.console import Console
    from rich.table import Table

    from saylau.law import bundled_law_names, load_law

    table = Table("name", "chamber", "year", "seats", "tiers")
    for name in bundled_law_names():
        law = load_law(name)
        tiers = [t for t in ("list_tier", "district_tier", "indirect_tier") if getattr(law, t)]
        table.add_row(name, law.chamber, str(law.year), str(law.seats_total), ", ".join(tiers))
    Console().print(table)


@law_app.command("show")
@one_line_errors
def show_law(
    name: Annotated[str, typer.Argument(help="A bundled law name or a path to a .toml file.")],
) -> None:
    """Print a law readably: every setting, its value and its source.

    Example: saylau law show kz-1999-majilis
    """
    from rich.console import Console
    from rich.table import Table

    from saylau.law import load_law
    from saylau.law.schema import sections
    from saylau.law.section import Section

    law = load_law(name)
    console = Console()
    console.print(f"[bold]{law.name}[/bold]  ({law.id})", highlight=False)
    console.print(
        f"{law.chamber}, {law.country}, {law.year}: {law.seats_total} seats, "
        f"majority {law.majority}"
        + (f", {law.appointed_seats} appointed" if law.appointed_seats else ""),
        highlight=False,
    )
    for path, section in sections(law).items():
        values = section.model_dump(mode="json")
        for name, value in section:  # sections in a tuple have tables of their own
            if value and isinstance(value, tuple) and isinstance(value[0], Section):
                del values[name]
        console.print(_section_table(path, values, section.sources))
    if law.references:
        refs = Table("ref", "reference", title="References", title_justify="left")
        for key, text in law.references.items():
            refs.add_row(key, text)
        console.print(refs)


@law_app.command("check")
@one_line_errors
def check_law(
    path: Annotated[Path, typer.Argument(help="A law file (.toml) to validate.")],
    require_sources: Annotated[
        bool, typer.Option(help="Also require a source for every setting.")
    ] = False,
) -> None:
    """Validate a law file; with --require-sources, also that every setting cites a source.

    Example: saylau law check my-law.toml --require-sources
    """
    from saylau.law import load_law, uncited_settings

    law = load_law(path)
    missing = uncited_settings(law) if require_sources else []
    if missing:
        typer.echo(f"{path}: settings without a source: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: valid law '{law.id}' ({law.seats_total} seats)")


@law_app.command("schema")
@one_line_errors
def law_schema() -> None:
    """Print the JSON Schema of law files, for editors and other tools.

    Example: saylau law schema
    """
    from saylau.law.schema import Law

    typer.echo(json.dumps(Law.model_json_schema(mode="validation"), indent=2))


def _section_table(path: str, values: dict[str, Any], sources: dict[str, str]) -> Table:
    from rich.markup import escape
    from rich.table import Table

    table = Table("setting", "value", "source", title=escape(f"[{path}]"), title_justify="left")
    for name, value in values.items():
        if name == "sources" or isinstance(value, dict):
            continue
        table.add_row(name, _show(value), sources.get(name, ""))
    return table


def _show(value: Any) -> str:
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " then ".join(str(v) for v in value)
    return str(value)
