"""`saylau export`: a run's results in standard formats (NIST JSON, CSV, Parquet, wikitext)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Final

import typer

from saylau.cli.options import DataOption, ElectionArgument, LawOption, QuietOption, SeedOption

FORMATS: Final = ("nist", "csv", "parquet", "wikitext")
NIST_FILE: Final = "results.nist.json"
WIKI_FILE: Final = "results.wiki"


def export_command(
    election: ElectionArgument,
    out: Annotated[Path, typer.Option(help="Directory of the exports (made if missing).")],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            help="nist, csv, parquet or wikitext; repeatable (default: all of them).",
        ),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(help="NIST without the polling stations (districts the finest level)."),
    ] = False,
    generated_at: Annotated[
        str | None,
        typer.Option(
            "--generated-at",
            help="The NIST report's GeneratedDate, ISO 8601 (default: now, UTC).",
        ),
    ] = None,
    seed: SeedOption = None,
    data: DataOption = None,
    law: LawOption = None,
    quiet: QuietOption = False,
) -> None:
    """Export an election's results: NIST SP 1500-100 v2 JSON, CSV and Parquet long tables
    (station, district, territory, nation; and the seats), and wikitext.

    Example: saylau export kz-1999 --out exports-kz-1999 --format nist --format wikitext
    """
    from saylau.analysis.counts import RunCounts  # the export libraries load only here
    from saylau.cli.running import input_places, run_election
    from saylau.errors import InputError
    from saylau.exports.long_tables import long_tables, seats_table, write_tables
    from saylau.exports.nist.document import nist_report
    from saylau.exports.wikitext import wikitext
    from saylau.io.bundle.out_dir import refuse_inputs
    from saylau.pipeline.run import facts_of

    wanted = list(dict.fromkeys(formats or FORMATS))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise InputError(f"--format {unknown[0]}: not one of {', '.join(FORMATS)}")
    when = _moment(generated_at)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory; --out names the directory of the exports")
    refuse_inputs(out, input_places(election, data))
    ran = run_election(election, seed=seed, data=data, law=law, quiet=quiet)
    counts = RunCounts(ran.inputs, ran.laws)
    facts = facts_of(election)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "nist" in wanted:
        doc = nist_report(ran.result, counts, facts, generated=when, stations=not summary)
        written.append(out / NIST_FILE)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        written[-1].write_text(text, encoding="utf-8")
    tables = [f for f in wanted if f in ("csv", "parquet")]
    if tables:
        found = {f"results_{level}": t for level, t in long_tables(ran.result, counts).items()}
        found["seats"] = seats_table(ran.result)
        written += write_tables(found, out, tables)
    if "wikitext" in wanted:
        written.append(out / WIKI_FILE)
        text = wikitext(ran.result, ran.inputs.election, facts)
        written[-1].write_text(text, encoding="utf-8")
    for path in written:
        typer.echo(f"wrote {path}")


def _moment(text: str | None) -> datetime:
    from saylau.errors import InputError

    if text is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--generated-at {text!r}: not an ISO 8601 date and time") from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)
