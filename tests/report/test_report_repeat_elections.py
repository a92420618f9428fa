"""The report lists a repeat election's rounds under the district whose voting failed: its
table of candidates and votes, the reason of each of its rounds, who it elected, and in the
rounds chart beside the district's own round (the demo's d2 fails on a 60% turnout and its
repeat election, house-d2r, elects blue; tests/stages/test_repeat_elections.py)."""

from __future__ import annotations

import pytest

from saylau.analysis.counts import RunCounts
from saylau.report import i18n
from saylau.report.charts_turnout import district_rounds
from saylau.report.data import ReportData
from saylau.report.districts import district_blocks
from saylau.report.html import render_page
from saylau.stages.calendar import run_calendar
from tests.stages.demo import demo_inputs
from tests.stages.test_repeat_elections import law, with_repeat


@pytest.fixture(scope="module")
def data() -> ReportData:
    inputs = with_repeat(demo_inputs())
    laws = {"house": law()}
    return ReportData(run_calendar(inputs, laws), RunCounts(inputs, laws), district="d2")


def test_the_district_lists_its_repeat_election(data: ReportData) -> None:
    chamber = data.result.chambers[0]
    assert [d.contest_id for d in data.district_decisions(chamber)["house-d2"]] == [
        "house-d2",
        "house-d2r",
    ]
    (block,) = [b for b in district_blocks(data, chamber) if b.anchor == "house-d2"]
    assert [g.title for g in block.grids] == ["", "Repeat election house-d2r"]
    assert block.reasons[0].startswith("round 1: turnout 1,150 of 2,050 registered (56.10%)")
    assert block.reasons[1].startswith("repeat election round 1: d2r-blue has ")
    assert block.outcome == "Ka Blue (Blue Party), elected in the repeat election"
    repeat = block.grids[1]
    assert any("Ka Blue" in cells[0] and "800" in cells for _, cells in repeat.rows)
    contest_id, rounds = district_rounds(data, chamber) or ("", [])
    assert (contest_id, [d.contest_id for d in rounds]) == ("house-d2", ["house-d2", "house-d2r"])


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ("house-d2r қайталама сайлауы", "қайталама сайлау, 1-тур", "қайталама сайлауда")),
        ("ru", ("Повторные выборы house-d2r", "повторные выборы, тур 1", "на повторных выборах")),
    ],
)
def test_the_repeat_election_is_listed_in_kazakh_and_russian(
    data: ReportData, language: str, words: tuple[str, ...]
) -> None:
    page, _ = render_page(data, language)
    for word in words:
        assert word in page
    with i18n.using(language):
        (block,) = [
            b for b in district_blocks(data, data.result.chambers[0]) if b.anchor == "house-d2"
        ]
    assert "registered" not in block.reasons[0] and "has" not in block.reasons[1]
