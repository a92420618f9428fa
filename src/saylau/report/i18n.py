"""The languages of the report and the service's pages: Kazakh, Russian and English.

Messages are gettext catalogs (domain `saylau`) in `report/locale/<lang>/LC_MESSAGES`:
a `.po` file for each language, compiled to `.mo` when the package is built
(hatch_build.py). A catalog is read from its `.mo` when that is at least as new as the
`.po`, else compiled from the `.po` in memory, so a source checkout (or a `.po` edited
after an editable install) shows the current translations. English is the language of
the source: it needs no catalog.

The language of what is being rendered is a context variable (`using`); `gettext`,
`number` and `moment` read it, so one Jinja environment serves every request.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import negotiate_locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from saylau.said import Name, Said
from saylau.said import say as said_in

LANGUAGES: Final = ("kk", "ru", "en")
"""The languages, in the order the switcher lists them."""
DEFAULT: Final = "en"
"""The language of the source text, and of a reader who asks for none we have."""
NATIVE: Final = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
"""Each language's name in itself, as the switcher shows it."""
MONTH_YEAR: Final = {"ru": "MMMM y 'г.'"}
"""A month and year as it follows "since" (с апреля 1996 г.), where the language's own
pattern (CLDR's yMMMM: апрель 1996 г.) does not fit."""
DOMAIN: Final = "saylau"
LOCALE: Final = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("saylau_language", default=DEFAULT)


def catalog_path(language: str, suffix: str = ".po") -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translations(language: str) -> stdlib_gettext.NullTranslations:
    """The catalog of a language: its `.mo` when current, else its `.po` compiled in memory
    (fuzzy entries left out, as msgfmt does); none for English."""
    if language == DEFAULT or language not in LANGUAGES:
        return stdlib_gettext.NullTranslations()
    po, mo = catalog_path(language), catalog_path(language, ".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return stdlib_gettext.GNUTranslations(compiled)
    from babel.messages.mofile import write_mo  # only without a current .mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        messages = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return stdlib_gettext.GNUTranslations(buffer)


def language() -> str:
    """The language of what is being rendered now."""
    return _current.get()


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Render in `lang` (one of LANGUAGES, else English) inside the block."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_language(lang: str) -> str:
    """Render in `lang` from here to the end of the current task (a web request's), where
    a block (`using`) cannot hold the whole of it; the language set."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)
    return _current.get()


def gettext(message: str) -> str:
    """`message` in the current language; itself where the catalog has no translation."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (the name gettext's tools look for)
    """Mark text for the catalogs where it is written; translate it where it is shown."""
    return message


def number(value: int | None) -> str:
    """A whole number as the current language writes it (1,234 / 1 234); blank for None."""
    if value is None:
        return ""
    return format_decimal(value, locale=language())


def decimal(text: str) -> str:
    """A decimal already rounded (`62.5`, from exact figures; `380,897.9` grouped as English
    writes it) with the current language's decimal sign and group separator (62,5 and
    380 897,9 in Kazakh and Russian); never through a float."""
    marks: dict[str, str | int | None] = {
        ".": get_decimal_symbol(language()),
        ",": get_group_symbol(language()),
    }
    return text.translate(str.maketrans(marks))


def day(text: str) -> str:
    """An ISO date as the current language writes it in full: `1999-10-10` as 10 October
    1999 (10 октября 1999 г.), `1996-04` as April 1996; anything else as written."""
    from babel.dates import format_date, format_skeleton

    parts = text.strip().split("-")
    if not all(part.isdigit() for part in parts) or not 2 <= len(parts) <= 3:
        return text
    try:
        when = date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        return text
    if language() == DEFAULT:
        month = format_date(when, "MMMM", locale="en")
        return f"{month} {when.year}" if len(parts) == 2 else f"{when.day} {month} {when.year}"
    if len(parts) == 2:
        pattern = MONTH_YEAR.get(language())
        if pattern:
            return format_date(when, pattern, locale=language())
        return format_skeleton("yMMMM", when, locale=language())
    return format_date(when, "long", locale=language())


def moment(value: str | datetime | None) -> str:
    """A time (a datetime, or ISO 8601 text as the service stores it) in the current
    language, in UTC, to the second; text that is not a time is shown as it is."""
    from babel.dates import format_datetime

    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        when = value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return f"{format_datetime(when, 'medium', tzinfo=UTC, locale=language())} UTC"


def preferred(accept_language: str | None) -> list[str]:
    """The languages an Accept-Language header asks for, most wanted first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The reader's language: the one they chose (the cookie), else the first of
    Accept-Language that we have, else English."""
    if cookie in LANGUAGES:
        return str(cookie)
    found = negotiate_locale(preferred(accept_language), list(LANGUAGES), sep="-")
    return found if found in LANGUAGES else DEFAULT


def say(text: str, names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Text made by the run or the service (saylau.said) in the current language: a `Said`
    by its translated template, its counts and decimals as the language writes them and the
    things it names by `names` (by kind, then id) where they have a name; other text as it
    is."""
    found = names or {}

    def named(thing: Name) -> str:
        return found.get(thing.kind, {}).get(thing.key) or str(thing)

    return said_in(text, gettext, number, decimal, named)


def install(environment: Any) -> None:
    """Give a Jinja environment (with the i18n extension) the current language's gettext,
    and the filters `n` (a number), `when` (a time) and `translate` (text made elsewhere,
    looked up in the catalog and escaped like any other value)."""
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.filters["n"] = number
    environment.filters["when"] = moment
    environment.filters["translate"] = _translated
    environment.filters["say"] = say
    environment.globals["language"] = language
    environment.globals["LANGUAGES"] = LANGUAGES
    environment.globals["NATIVE"] = NATIVE


def _translated(text: Any) -> Any:
    """The `translate` filter: a `Said` by its template, other text looked up whole."""
    if not text:
        return text
    if isinstance(text, Said):
        return say(text)
    return gettext(str(text))
