"""The report in Kazakh and Russian: `<html lang>`, the page's words and the table of seats
translated, the parties named in the language, no message of the report's template left in
English; an unknown --language is refused before the run."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.analysis.counts import RunCounts
from saylau.cli import app
from saylau.pipeline.run import decide_with_laws, load_inputs
from saylau.report import i18n
from saylau.report.data import ReportData
from saylau.report.html import render_page
from saylau.rules.explain import explain_lines
from saylau.said import Said
from tests.untranslated import english_pieces

TEMPLATE = Path(i18n.__file__).parent / "templates" / "report.html.j2"


@pytest.fixture(scope="module")
def data() -> ReportData:
    inputs, _ = load_inputs("kz-1999")
    result, laws = decide_with_laws(inputs)
    return ReportData(result, RunCounts(inputs, laws))


@pytest.fixture(scope="module")
def english(data: ReportData) -> str:
    return render_page(data)[0]


def _words(html: str) -> str:
    html = re.sub(r"<(style|svg)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _template_messages() -> list[str]:
    """The report template's own messages, placeholders and markup cut out."""
    text = TEMPLATE.read_text(encoding="utf-8")
    found = re.findall(r"""_\((?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", text)
    pieces = []
    for double, single in found:
        for piece in re.split(r"%\([a-z_]+\)s|<[^>]+>", double or single):
            piece = piece.strip(" .:,()")
            if len(piece) >= 4 and piece not in ("SVG", "PNG", "saylau export", "Saylau"):
                pieces.append(piece)
    return pieces


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ("Мазмұны", "Қолданылған ережелер", "Партия", "Тізім бойынша орындар")),
        ("ru", ("Содержание", "Применённые правила", "Партия", "Места по спискам")),
    ],
)
def test_the_report_in_kazakh_and_russian(
    data: ReportData, english: str, language: str, words: tuple[str, ...]
) -> None:
    html, _ = render_page(data, language)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{data.election.name_in(language)}</h1>" in html
    assert data.election.name_in(language) != data.election.name
    text = _words(html)
    for word in words:
        assert word in text, word
    otan = {p.party_id: p for p in data.election.parties}["otan"].name_in(language)
    with i18n.using(language):
        votes, share = i18n.number(1622895), i18n.decimal("30.89")
    assert votes == "1\xa0622\xa0895" and share == "30,89"
    row = f"{otan} 19 {votes} {share} 4 23 -2".replace("\xa0", " ")  # as _words leaves it
    assert otan != "Otan (Fatherland)" and row in text
    shown = _words(english)
    # the run's own prose stays English and may hold the same words; every message of the
    # template that the English page shows is one fewer time on this page
    left = [m for m in _template_messages() if shown.count(m) and text.count(m) >= shown.count(m)]
    assert left == [], left


def test_the_report_is_in_english_by_default(english: str) -> None:
    assert '<html lang="en">' in english
    assert "Otan (Fatherland) 19 1,622,895" in _words(english)
    assert i18n.language() == "en"


def test_an_unknown_language_is_refused_before_the_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "kz-1999", "--out", str(tmp_path / "r"), "--language", "de"]
    )
    assert result.exit_code != 0
    assert "--language de: not one of kk, ru, en" in result.output
    assert not (tmp_path / "r").exists()


def _run_prose(page: str) -> str:
    """The prose the run writes, as the page shows it: the law lines, the lines under each
    chamber's table, each district's reasons, the rules applied and the allocation of the
    list seats, and the notes."""
    parts = re.findall(r'<p class="(?:law|note)">.*?</p>', page, flags=re.S)
    parts += re.findall(r'<ul class="reasons">.*?</ul>', page, flags=re.S)
    parts += re.findall(r'<section id="rules">.*?<ul>.*?</ul>', page, flags=re.S)
    parts += re.findall(r"<figcaption>.*?</figcaption>", page, flags=re.S)
    parts += re.findall(r"<pre>.*?</pre>", page, flags=re.S)  # the allocation of list seats
    parts += re.findall(r'<section id="notes">.*?</section>', page, flags=re.S)
    return html.unescape(_words(" ".join(parts)))


def _english_pieces(language: str) -> list[str]:
    """The English words of every message that its translation into `language` does not
    keep (tests/untranslated.py), less the names kept in every language."""
    return sorted(english_pieces(language) - {"Saylau", "SVG", "PNG", "saylau export", "sha256"})


def _data(data: ReportData) -> list[str]:
    """The text the run copies from its data into its prose where the data give it only in
    English (not as a message, saylau.said): the laws' titles, and any reason for an
    invalidation, wording of a previous turnout, note or infobox source so given."""
    chambers = data.result.chambers
    copied = [c.law.name for c in chambers if c.law is not None]
    copied += [c.turnout_before_derived or "" for c in chambers]
    copied += [i.reason for i in data.counts.inputs.invalidations]
    copied += [n.text for n in data.result.notes] + list(data.facts.sources)
    return [text for text in copied if text and not isinstance(text, Said)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_runs_prose_is_in_the_language(data: ReportData, english: str, language: str) -> None:
    """A message of the run (a law line, a chamber's line, a district's reason, a stage of
    the rules applied) without a translation fails: its English words are found."""
    html, _ = render_page(data, language)
    text = _run_prose(html)
    for copied in _data(data):
        text = text.replace(copied, " ")
    # ids, file names and quoted names the prose names as they are: data, not words
    text = re.sub(r"'[^']*'|[\w-]+(?:[._][\w-]+)+", " ", text)
    for part in sorted(data.result.generated, key=len, reverse=True):
        text = text.replace(f"{part}:", " ")
    found = [
        piece
        for piece in _english_pieces(language)
        if re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", text)
    ]
    assert found == [], found
    shown = _run_prose(english)
    assert "more than half" in shown and "second rounds" in shown  # the English has them
    assert "whole quota" in shown and "qualifies" in shown


@pytest.mark.parametrize(
    ("language", "threshold", "qualifies"),
    [
        ("en", "Threshold: >= 7% of voters who took part 5,253,864", "of voters who took part >="),
        ("kk", "Өту шегі: 5 253 864 (дауыс беруге қатысқан сайлаушылар) ішінен >= 7%", "(дауыс"),
        ("ru", "Барьер: >= 7% от 5 253 864 (избиратели, принявшие участие в голосовании)", "(изб"),
    ],
)
def test_the_threshold_names_its_base_in_words(
    data: ReportData, language: str, threshold: str, qualifies: str
) -> None:
    """The threshold line and each list's qualification say the base of the share in the
    report's language, not as the law file's id (took_part); the run's text keeps the id."""
    page = render_page(data, language)[0]
    allocation = html.unescape(_words(" ".join(re.findall(r"<pre>.*?</pre>", page, re.S))))
    assert threshold in allocation
    assert qualifies in allocation
    assert "took_part" not in allocation
    lists = [d for c in data.result.chambers for d in data.result.lists_of(c.chamber_id)]
    lines = [line for d in lists for line in explain_lines(d.allocation)]
    assert any(line.startswith("Threshold: >= 7% of took_part 5,253,864") for line in lines)
