"""`saylau report`: the 1999 and St Petersburg 2021 pages, counterfactual labels, a large
election's page, and pages that fetch nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.analysis.counts import RunCounts
from saylau.cli import app
from saylau.pipeline.run import decide_with_laws
from saylau.report.data import ReportData
from saylau.report.html import render_page
from tests.cli.test_counterfactual import dhondt_law
from tests.report.helpers import report
from tests.report.large import STATIONS, large_election


@pytest.fixture(scope="module")
def kz_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("kz-1999")
    return out, report(out, "kz-1999")


def _text(html: str) -> str:
    """The page's words, tags left out, entities as written."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_1999_report_has_the_infobox_of_the_seed(kz_page: tuple[Path, str]) -> None:
    text = _text(kz_page[1])
    for fact in (
        "Nursultan Nazarbayev, since 1 March 1999",
        "Serikbolsyn Abdildin, since April 1996",
        "Siyazbek Mukashev, since 23 October 1992",
        "Chairman before Marat Ospanov (Otan (Fatherland))",
        "Chairman after Zharmakhan Tuyakbay (Otan (Fatherland))",
        "First round 10 October 1999",
        "Second round 24 October 1999",
        "Registered 8,411,757",
        "Turnout 62.5% (▼ 17.3 pp)",
        "1,622,895 (30.9%)",
        "590,184 (11.2%)",
        "Majority 39 seats",
    ):
        assert fact in text, fact
    assert "COUNTERFACTUAL" not in text


def test_the_1999_report_shows_the_published_table_and_the_indices(
    kz_page: tuple[Path, str],
) -> None:
    text = _text(kz_page[1])
    assert "Otan (Fatherland) 19 1,622,895 30.89 4 23 -2" in text
    assert "Against all 373,440 7.11" in text
    # the indices, against the values worked by hand in tests/io/test_results_indices.py
    assert "Gallagher least-squares index 8.68 28.31" in text
    assert "Loosemore-Hanby index 16.35 49.28" in text
    assert "Effective number of parties, by seats 3.57 4.34" in text
    assert "Wasted list votes below the threshold, % 13.51" in text


def test_the_1999_report_marks_what_rests_on_generated_data(kz_page: tuple[Path, str]) -> None:
    _out, html = kz_page
    text = _text(html)
    assert "† Figures marked † rest on generated data" in text
    assert "second-round turnout 49.20%†" in text
    assert re.search(r"Round 1 votes† % Round 2 votes† %", text)
    figures = dict(
        re.findall(r'<figure id="([^"]+)">.*?<figcaption>(.*?)</figcaption>', html, re.S)
    )
    for name in ("turnout-majilis", "stations-majilis", "rounds-majilis"):
        assert "† rests on generated data, never published" in figures[name], name
    # the list votes and the seats were published: their charts carry no mark
    for name in ("list-majilis", "tiers-majilis", "proportionality-majilis"):
        assert "†" not in figures[name], name


def test_the_1999_report_has_every_district_the_senate_and_the_rules(
    kz_page: tuple[Path, str],
) -> None:
    out, html = kz_page
    assert len(re.findall(r'<details id="majilis-\d\d">', html)) == 67
    assert len(re.findall(r'<details id="senate-', html)) == 16
    text = _text(html)
    assert "New voting majilis-15-new" in text
    assert "Hare quota V / S with V = 3,808,979" in text
    assert "elected earlier, not renewed in this election: 16" in html
    for name in (
        "seats-majilis",
        "seats-senate",
        "list-majilis",
        "tiers-majilis",
        "proportionality-majilis",
        "turnout-majilis",
        "stations-majilis",
        "rounds-majilis",
    ):
        assert (out / "figures" / f"{name}.svg").read_text(encoding="utf-8").startswith("<?xml")
        assert (out / "figures" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_page_fetches_nothing(kz_page: tuple[Path, str]) -> None:
    html = kz_page[1]
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "url(http" not in html and "@import" not in html


def test_the_st_petersburg_2021_report_renders(tmp_path: Path) -> None:
    text = _text(report(tmp_path, "spb-2021"))
    assert "Единая Россия" in text
    assert "Registered 3,882,917" in text
    assert "Districts (25)" in text
    assert "†" not in text  # nothing of it was generated


def test_the_st_petersburg_duma_report_says_it_is_a_counterfactual(tmp_path: Path) -> None:
    """Its list seats are allocated on St Petersburg's votes alone (see the README)."""
    text = _text(report(tmp_path, "spb-2021-duma").split("<body>", 1)[1])
    assert text.lstrip().startswith("COUNTERFACTUAL: not the election as held and published.")
    assert "duma list_seats.5 is 93, published 126" in text
    assert "The data hold no published seats by party to show beside" in text


def test_a_counterfactual_report_says_so_at_the_top_with_the_published_seats(
    tmp_path: Path,
) -> None:
    law = dhondt_law(str(tmp_path))
    html = report(tmp_path / "out", "kz-1999", "--law", f"majilis={law}")
    body = html.split("<body>", 1)[1]
    assert body.lstrip().startswith('<div class="counterfactual"')
    text = _text(body)
    assert text.lstrip().startswith("COUNTERFACTUAL: not the election as held and published.")
    assert "majilis is decided under kz-1999-majilis-dhondt" in text
    assert "The published seats stand beside the seats of this run" in text
    assert "<th>Published</th>" in html
    # D'Hondt gives Otan 5 list seats, not 4: 24 seats against the 23 published
    assert "Otan (Fatherland) 19 1,622,895 30.89 5 24 -1 23" in text
    assert (tmp_path / "out" / "figures" / "published-majilis.svg").exists()


def test_a_large_election_keeps_the_page_small() -> None:
    """100,000 stations: the page holds no station, so it stays the size of a small one."""
    inputs = large_election()
    result, laws = decide_with_laws(inputs)
    html, _ = render_page(ReportData(result, RunCounts(inputs, laws)))
    assert f"({STATIONS:,} stations)" in html
    assert len(html.encode()) < 1_500_000
    assert "s099999" not in html and "s000000" not in html


def test_an_unknown_district_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "kz-1999", "--out", str(tmp_path), "--district", "99"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: --district 99: no district or district contest of that id"
    )


def test_a_chosen_district_is_charted(tmp_path: Path) -> None:
    report(tmp_path, "kz-1999", "--district", "15")
    svg = (tmp_path / "figures" / "rounds-majilis.svg").read_text(encoding="utf-8")
    assert svg.count("<svg") == 1
