"""The HTML report: one self-contained page (inline SVG and CSS, no script, nothing fetched)
with the infobox, the results in the published form, the seat diagrams and charts, the
tables by territory and by district, the Senate, the rules applied and the notes.

The page holds no per-station rows: a station appears only inside the histogram, so the
page stays the same size however many stations the election has; the data exports carry
every station. `write_report` writes the page and each picture as SVG and PNG.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from saylau.errors import InputError
from saylau.report import charts, charts_turnout, districts, i18n, sections
from saylau.report.data import ReportData
from saylau.report.figures import Picture
from saylau.report.hemicycle import college_segments, hemicycle, majilis_segments
from saylau.report.lines import chamber_lines, law_line
from saylau.report.table import ordered_parties, published_table
from saylau.results import GENERATED_MARK, ChamberResult
from saylau.rules.explain import explain_lines
from saylau.version import __version__

PAGE = "report.html"
FIGURES = "figures"


@dataclass(frozen=True)
class ChamberPage:
    """What the page shows of one chamber."""

    chamber: ChamberResult
    law: str
    pictures: tuple[Picture, ...]
    context: dict[str, Any]


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("saylau.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    i18n.install(environment)
    environment.filters["svg"] = lambda picture: Markup(picture.inline_svg)
    return environment


def elected_page(data: ReportData, chamber: ChamberResult) -> ChamberPage:
    """A chamber with a popular vote: the infobox, the tables, the diagrams and charts."""
    counterfactual = bool(data.result.counterfactual)
    parties = list(ordered_parties(chamber))
    pictures: list[Picture | None] = [
        hemicycle(
            f"seats-{chamber.chamber_id}",
            f"{chamber.name}: seats",
            majilis_segments(chamber, parties, data.colours),
            chamber.seats_total,
            chamber.majority,
        )
    ]
    if counterfactual and any(p.published_total is not None for p in parties):
        pictures.append(
            hemicycle(
                f"published-{chamber.chamber_id}",
                f"{chamber.name}: seats as published",
                majilis_segments(chamber, parties, data.colours, published=True),
                chamber.seats_total,
                chamber.majority,
            )
        )
    lists = data.result.lists_of(chamber.chamber_id)
    if lists:
        pictures.append(charts.list_chart(chamber, lists[0], data.colours))
    pictures += [
        charts.tiers_chart(chamber, data.colours),
        charts.proportionality_chart(chamber, lists[0] if lists else None, data.colours),
        charts_turnout.turnout_chart(data, chamber),
        charts_turnout.histogram_chart(data, chamber),
        charts_turnout.rounds_chart(data, chamber),
    ]
    context = {
        "infobox": sections.infobox(data, chamber),
        "infobox_parties": sections.infobox_grid(data, chamber),
        "officers": sections.officers(data),
        "table": published_table(chamber, counterfactual, names=data.names_in(i18n.language())),
        "lines": chamber_lines(chamber),
        "indices": sections.indices_grid(data, chamber),
        "territories": sections.territory_grid(data, chamber),
        "districts": districts.district_blocks(data, chamber),
        "allocation": [[data.say(line) for line in explain_lines(d.allocation)] for d in lists],
    }
    drawn = tuple(p for p in pictures if p is not None)
    return ChamberPage(chamber, law_line(chamber), drawn, context)


def college_page(data: ReportData, chamber: ChamberResult) -> ChamberPage:
    """A chamber filled by electoral colleges: its composition and each seat's ballots."""
    picture = hemicycle(
        f"seats-{chamber.chamber_id}",
        f"{chamber.name}: composition",
        college_segments(chamber, data.names, data.colours),
        chamber.seats_total,
        chamber.majority,
    )
    context = {"lines": chamber_lines(chamber), "colleges": districts.college_blocks(data, chamber)}
    return ChamberPage(chamber, law_line(chamber), (picture,), context)


def render_page(data: ReportData, language: str = i18n.DEFAULT) -> tuple[str, list[Picture]]:
    """The page as HTML text in `language` (one of i18n.LANGUAGES), and every picture on it."""
    with i18n.using(language):
        return _render_page(data)


def _render_page(data: ReportData) -> tuple[str, list[Picture]]:
    result = data.result
    pages = [elected_page(data, _named(data, c)) for c in data.elected_chambers()]
    pages += [college_page(data, _named(data, c)) for c in data.college_chambers() if not c.parties]
    template = _environment().get_template("report.html.j2")
    css = _environment().get_template("report.css").render()
    html = template.render(
        result=result,
        election_name=dict(data.election.names).get(i18n.language(), result.name),
        pages=pages,
        colours=data.colours,
        css=Markup(css),
        mark=GENERATED_MARK,
        notes=sections.notes(data),
        published_beside=any(
            p.published_total is not None for c in result.chambers for p in c.parties
        ),
        version=__version__,
        lang=i18n.language(),
        say=data.say,
        chambers={c.chamber_id: c.name_in(i18n.language()) for c in data.election.chambers},
    )
    return html, [p for page in pages for p in page.pictures]


def _named(data: ReportData, chamber: ChamberResult) -> ChamberResult:
    """The chamber and its parties named in the current language where the data give
    those names (so every table, chart and diagram of it says them), else as they are."""
    language = i18n.language()
    names = data.names_in(language)
    parties = tuple(replace(p, name=names.get(p.party_id, p.name)) for p in chamber.parties)
    own = {c.chamber_id: c.name_in(language) for c in data.election.chambers}
    return replace(chamber, name=own.get(chamber.chamber_id, chamber.name), parties=parties)


def check_out(out: Path) -> None:
    """`out` can hold a report: a directory, or nothing yet."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory; --out names the directory of the report")


def write_report(data: ReportData, out: Path, language: str = i18n.DEFAULT) -> Path:
    """Write `out/report.html` (in `language`) and `out/figures/<name>.svg` and `.png`;
    return the page."""
    check_out(out)
    html, pictures = render_page(data, language)
    folder = out / FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    for picture in pictures:
        (folder / f"{picture.name}.svg").write_text(picture.svg, encoding="utf-8")
        (folder / f"{picture.name}.png").write_bytes(picture.png)
    page = out / PAGE
    page.write_text(html, encoding="utf-8")
    return page
