"""The message catalogs: the committed template holds every message the source marks, each
has a Kazakh and a Russian translation with the same placeholders, and the reader's
language is chosen from the switcher's cookie, else Accept-Language, else English."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from saylau.analysis.summary import DATE_LABELS
from saylau.report import i18n
from saylau.report.words import BASE_WORDS, DATE_WORDS, STAGE_WORDS
from saylau.rules.decision import BASE_LABELS
from saylau.stages.calendar import STAGES
from tests.conftest import ROOT

LOCALE = ROOT / "src" / "saylau" / "report" / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def _marked() -> set[str]:
    """Every message the source marks, extracted as `pybabel extract -F babel.cfg` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(ROOT / "src", method_map, options_map)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def _catalog(path: Path, locale: str | None = None) -> dict[str, tuple[list[str], set[str]]]:
    """Each message (a plural one by its singular): its translations (one per plural form)
    and flags."""
    with path.open("rb") as source:
        read = read_po(source, locale=locale)
    found = {}
    for m in read:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        forms = [m.string] if isinstance(m.string, str) else list(m.string)
        found[key] = ([str(f or "") for f in forms], set(m.flags))
    return found


def test_the_committed_template_holds_every_marked_message_and_no_other() -> None:
    committed = set(_catalog(LOCALE / "saylau.pot"))
    marked = _marked()
    assert marked - committed == set(), (
        "messages missing from saylau.pot: run pybabel extract (docs/service.md, Languages)"
    )
    assert committed - marked == set(), "saylau.pot holds messages the source no longer marks"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_has_a_translation_with_the_same_placeholders(language: str) -> None:
    template = _catalog(LOCALE / "saylau.pot")
    translated = _catalog(i18n.catalog_path(language), language)
    for message in template:
        assert message in translated, f"{language}: {message!r} is missing (pybabel update)"
        forms, flags = translated[message]
        assert "fuzzy" not in flags, f"{language}: {message!r} is marked fuzzy"
        for text in forms:
            assert text.strip(), f"{language}: {message!r} has no translation"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(message)), (
                f"{language}: {message!r}: the placeholders differ"
            )


def test_a_plural_has_each_form_of_the_language() -> None:
    with i18n.using("ru"):
        written = [
            i18n.ngettext("%(num)s seat", "%(num)s seats", n) % {"num": n} for n in (1, 3, 5, 21)
        ]
    assert written == ["1 место", "3 места", "5 мест", "21 место"]


def test_the_words_of_the_rules_are_marked_for_the_catalogs() -> None:
    assert set(BASE_LABELS.values()) == set(BASE_WORDS)
    assert {label.capitalize() for label in DATE_LABELS.values()} == set(DATE_WORDS)
    assert {*STAGES, "all"} == set(STAGE_WORDS)  # the rules applied name each stage


def test_dates_and_decimals_are_written_in_the_language() -> None:
    assert (i18n.day("1999-10-10"), i18n.day("1996-04")) == ("10 October 1999", "April 1996")
    with i18n.using("ru"):
        assert i18n.day("1999-10-10").startswith("10 октября 1999")
        assert i18n.decimal("62.5") == "62,5"
    with i18n.using("kk"):
        assert i18n.day("1999-10-10").endswith("ж. 10 қазан")
    assert i18n.day("not a date") == "not a date" and i18n.decimal("62.5") == "62.5"


def test_text_is_translated_in_the_current_language_only() -> None:
    assert i18n.gettext("Log in") == "Log in"
    with i18n.using("kk"):
        assert i18n.gettext("Log in") == "Кіру"
        assert i18n.number(1234567) == "1\xa0234\xa0567"
        with i18n.using("ru"):
            assert i18n.gettext("Log in") == "Войти"
        assert i18n.language() == "kk"
        assert i18n.gettext("no such message") == "no such message"
    assert i18n.number(1234567) == "1,234,567"
    with i18n.using("xx"):
        assert i18n.language() == "en"


def test_a_time_is_written_in_the_language() -> None:
    with i18n.using("ru"):
        written = i18n.moment("2026-12-06T22:05:00+00:00")
        assert written.startswith("6 дек. 2026") and written.endswith(" 22:05:00 UTC"), written
    assert i18n.moment("2026-12-06T22:05:00").startswith("Dec 6, 2026, 10:05:00")
    assert i18n.moment("not a time") == "not a time"


@pytest.mark.parametrize(
    ("cookie", "header", "chosen"),
    [
        ("ru", "kk-KZ,kk;q=0.9", "ru"),  # the switcher wins
        ("xx", "kk-KZ,kk;q=0.9", "kk"),  # a cookie we cannot honour is left aside
        (None, "de-DE,ru;q=0.8,en;q=0.5", "ru"),
        (None, "en;q=0.4, kk;q=0.9", "kk"),  # by quality, not by order
        (None, "ru;q=0, en", "en"),  # q=0: not wanted
        (None, "fr, de", "en"),
        (None, None, "en"),
        (None, "ru-RU", "ru"),
    ],
)
def test_the_language_comes_from_the_cookie_then_accept_language(
    cookie: str | None, header: str | None, chosen: str
) -> None:
    assert i18n.choose(cookie, header) == chosen


def test_a_stale_compiled_catalog_gives_way_to_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .mo older than its .po (a .po edited after an install) is not read: the .po is
    compiled in memory, so a page never shows yesterday's translation."""
    folder = tmp_path / "kk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "saylau.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Log in"\nmsgstr "Жаңа"\n', encoding="utf-8")
    mo = folder / "saylau.mo"
    mo.write_bytes(b"not a catalog")
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    i18n.translations.cache_clear()
    try:
        with i18n.using("kk"):
            assert i18n.gettext("Log in") == "Жаңа"
    finally:
        i18n.translations.cache_clear()
