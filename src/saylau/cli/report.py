"""`saylau report`: the HTML report of an election, its pictures, and a PDF or a screenshot."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.options import DataOption, ElectionArgument, LawOption, QuietOption, SeedOption

if TYPE_CHECKING:
    from saylau.report.data import ReportData


def report_command(
    election: ElectionArgument,
    out: Annotated[Path, typer.Option(help="Directory of the report (made if missing).")],
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print report.pdf with headless Chromium.")
    ] = False,
    picture: Annotated[
        Path | None,
        typer.Option(
            "--screenshot", help="Also save a PNG of the top of the page (headless Chromium)."
        ),
    ] = None,
    district: Annotated[
        str | None,
        typer.Option(help="The district whose rounds are charted (default: the first runoff)."),
    ] = None,
    language: Annotated[
        str,
        typer.Option(
            "--language", help="The language of the page: kk (Kazakh), ru (Russian) or en."
        ),
    ] = "en",
    seed: SeedOption = None,
    data: DataOption = None,
    law: LawOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the report of an election: DIR/report.html and DIR/figures/*.svg and *.png.

    The page is one self-contained file that opens offline. A run under another law
    (--law) says at the top that it is a counterfactual and shows the published seats
    beside its own.

    Example: saylau report kz-1999 --out report-kz-1999 --language kk
    """
    from saylau.analysis.counts import RunCounts  # the drawing libraries load only here
    from saylau.cli.running import input_places, run_election
    from saylau.errors import InputError
    from saylau.io.bundle.out_dir import refuse_inputs
    from saylau.pipeline.run import facts_of
    from saylau.report.data import ReportData
    from saylau.report.html import check_out, write_report
    from saylau.report.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise InputError(f"--language {language}: not one of {', '.join(LANGUAGES)}")
    refuse_inputs(out, input_places(election, data))
    check_out(out)  # before the run, not after it
    ran = run_election(election, seed=seed, data=data, law=law, quiet=quiet)
    found = ReportData(ran.result, RunCounts(ran.inputs, ran.laws), facts_of(election), district)
    if district is not None and not _knows_district(found, district):
        raise InputError(f"--district {district}: no district or district contest of that id")
    page = write_report(found, out, language)
    typer.echo(f"wrote {page} and {out / 'figures'}")
    for refused in _browser(page, pdf, picture, out):
        typer.echo(f"refused a request to {refused}", err=True)


def _knows_district(found: ReportData, district: str) -> bool:
    election = found.election
    return district in election.district_by_id or district in election.contest_by_id


def _browser(page: Path, pdf: bool, picture: Path | None, out: Path) -> list[str]:
    from saylau.report.chromium import print_pdf, screenshot

    refused = []
    if pdf:
        refused += print_pdf(page, out / "report.pdf")
        typer.echo(f"wrote {out / 'report.pdf'}")
    if picture is not None:
        refused += screenshot(page, picture)
        typer.echo(f"wrote {picture}")
    return refused
