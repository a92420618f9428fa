"""Every page in Kazakh, Russian and English: the language from the switcher's cookie, else
Accept-Language, else English; `<html lang>` follows it, and no message of the catalogs is
left in English on a Kazakh or Russian page. The words the pages copy from elsewhere
(service/web/words.py) stay equal to their sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saylau.law.form import TERM_LABELS
from saylau.protocol.lines import LINE_LABELS
from saylau.report import i18n
from saylau.service.models import STATUSES
from saylau.service.permissions import ROLE_ACTIONS
from saylau.service.web import words
from tests.service.conftest import USERS, Api, Prepared, copied, make_api
from tests.service.test_workflow import akmola
from tests.untranslated import english_pieces


@pytest.fixture(scope="module")
def site(
    sqlite_prepared: Prepared, tmp_path_factory: pytest.TempPathFactory, kz_protocols: Any
) -> Iterator[tuple[Api, int]]:
    """The app on a copy of kz-1999, with one protocol entered (by op1) and one mismatch."""
    folder = tmp_path_factory.mktemp("languages")
    with copied(sqlite_prepared, folder) as copy:
        api = make_api(copy, folder)
        with api.client:
            body = akmola(kz_protocols, 40)
            made = api.post("/api/protocols", "op1", {**body, "client_key": "lang-1"})
            assert made.status_code == 201, made.text
            broken = akmola(kz_protocols, 41)  # found in the boxes: more than were issued
            broken["values"]["lines"]["ballots_found"] = broken["values"]["lines"]["took_part"] + 5
            rejected = api.post("/api/protocols", "op1", {**broken, "client_key": "lang-2"})
            assert rejected.json()["status"] == "rejected", rejected.text
            yield api, made.json()["id"]


def _pages(protocol: int) -> list[tuple[str, str | None, int]]:
    """Each page: its path, who looks (None: the public), and the status it answers."""
    return [
        ("/", None, 200),
        ("/dashboard/decided", None, 200),
        ("/districts/01", None, 200),
        ("/stations/01-001", None, 200),
        ("/login", None, 200),
        ("/enter?station_id=01-001&contest_id=majilis-list&round=1", "op1", 200),
        ("/queue", "op2", 200),
        (f"/protocols/{protocol}", "op2", 200),
        (f"/protocols/{protocol}", "op1", 200),
        (f"/protocols/{protocol + 1}", "op1", 200),  # rejected: its errors beside the lines
        ("/audit", "admin", 200),
        ("/admin/users", "admin", 200),
        ("/protocols/99999", "op1", 404),
        ("/audit", "op1", 403),  # refused: the role may not read it
        ("/admin/users", "op2", 403),
    ]


def _english(language: str) -> list[str]:
    """The catalogs' English words a Kazakh or Russian page must not show
    (tests/untranslated.py), less the names kept in every language."""
    return sorted(english_pieces(language) - {"Saylau", "SVG", "PNG", "saylau export"})


def _text(html: str) -> str:
    """The page's words, tags left out, and ids and the test's user names (observer, ...)
    too: they are data, not messages. The service's own refusals and a broken control relation's
    detail are messages too (saylau.said): said in the reader's language, none is left out
    here, so one without a translation fails."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"[\w-]+(?:[._:][\w-]+)+", " ", text)  # ids: protocol.submit, protocol:2
    for name in USERS:
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    return re.sub(r"\s+", " ", text)


def _untranslated(text: str, language: str) -> list[str]:
    return [m for m in _english(language) if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_page_in_kazakh_and_russian_has_no_message_left_in_english(
    site: tuple[Api, int], language: str
) -> None:
    api, protocol = site
    for path, user, status in _pages(protocol):
        headers = api.as_(user) | {"Accept-Language": f"{language},en;q=0.5"}
        answer = api.client.get(path, headers=headers)
        assert answer.status_code == status, (path, answer.text)
        fragment = path == "/dashboard/decided"  # swapped into the dashboard's <main>
        assert fragment or f'<html lang="{language}">' in answer.text, path
        text = _text(answer.text)
        assert _untranslated(text, language) == [], (path, user)


def test_a_page_is_in_english_by_default_and_in_the_language_of_the_header(
    site: tuple[Api, int],
) -> None:
    api, _ = site
    english = api.client.get("/login")
    assert '<html lang="en">' in english.text and ">Log in</button>" in english.text
    assert "Accept-Language" in english.headers["vary"]
    kazakh = api.client.get("/login", headers={"Accept-Language": "kk-KZ"})
    assert '<html lang="kk">' in kazakh.text and ">Кіру</button>" in kazakh.text
    russian = api.client.get("/login", headers={"Accept-Language": "de, ru;q=0.7"})
    assert '<html lang="ru">' in russian.text and ">Войти</button>" in russian.text


def test_the_switcher_remembers_the_language_and_goes_back(site: tuple[Api, int]) -> None:
    api, _ = site
    client = api.client
    try:
        chosen = client.get(
            "/language/ru", params={"next": "/stations/01-001?x=1"}, follow_redirects=False
        )
        assert chosen.status_code == 303 and chosen.headers["location"] == "/stations/01-001?x=1"
        assert "lang=ru" in chosen.headers["set-cookie"]
        assert "Max-Age=31536000" in chosen.headers["set-cookie"]
        page = client.get("/login", headers={"Accept-Language": "kk"})  # the cookie wins
        assert '<html lang="ru">' in page.text
        links = re.findall(r'href="(/language/[a-z]+\?next=[^"]+)"', page.text)
        assert [link.split("?")[0] for link in links] == [
            "/language/kk",
            "/language/ru",
            "/language/en",
        ]
        assert links[0] == "/language/kk?next=/login"
        assert 'lang="ru" hreflang="ru" aria-current="true">Русский</a>' in page.text
        for elsewhere in ("https://example.org/", "//example.org/", "/\\example.org"):
            away = client.get("/language/kk", params={"next": elsewhere}, follow_redirects=False)
            assert away.headers["location"] == "/", elsewhere
        unknown = client.get("/language/xx", follow_redirects=False)
        assert "set-cookie" not in unknown.headers
    finally:
        client.cookies.clear()


def test_numbers_and_times_are_written_in_the_language(site: tuple[Api, int]) -> None:
    api, _ = site
    english = api.client.get("/audit", headers=api.as_("admin"))
    kazakh = api.client.get("/audit", headers=api.as_("admin") | {"Accept-Language": "kk"})
    when = re.search(r"<td>([^<]* UTC)</td>", kazakh.text)
    assert when is not None and re.match(r"20[0-9]{2}\W?ж\. [0-9]{2} ", when.group(1)), when
    count = re.search(r"The chain of ([0-9,]+) entries", english.text)
    assert count is not None
    figure = int(count.group(1).replace(",", ""))
    with i18n.using("kk"):
        assert f"{i18n.number(figure)} жазбадан" in kazakh.text


def test_a_failed_login_says_so_in_the_language(site: tuple[Api, int]) -> None:
    api, _ = site
    client = api.client
    try:
        form = client.get("/login", headers={"Accept-Language": "ru"})
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None
        answer = client.post(
            "/login",
            data={"csrf": token.group(1), "username": "nobody", "password": "wrong-password"},
            headers={"Accept-Language": "ru"},
        )
        assert answer.status_code == 401
        assert "неверное имя пользователя или пароль" in answer.text
    finally:
        client.cookies.clear()


def test_the_words_copied_for_the_pages_equal_their_sources() -> None:
    assert tuple(LINE_LABELS.values()) == words.LINES
    assert tuple(TERM_LABELS.values()) == words.TERMS
    from saylau.service.settle import AWAITING

    assert words.AWAITING == AWAITING
    assert set(ROLE_ACTIONS) - {"public"} == set(words.ROLES)  # a refusal names the role
    assert words.STATUSES == STATUSES
    from saylau.service.accounts import LOGIN_FAILED

    assert LOGIN_FAILED in words.MESSAGES
    deps = (Path(__file__).parents[2] / "src/saylau/service/api/deps.py").read_text("utf-8")
    for message in words.MESSAGES[1:]:
        assert f'"{message}"' in deps, message


def test_names_are_in_the_readers_language_where_the_data_have_them(
    site: tuple[Api, int],
) -> None:
    api, _ = site
    kazakh = api.client.get("/", headers={"Accept-Language": "kk"}).text
    assert "«Отан» республикалық саяси партиясы" in kazakh and "Ақмола облысы" in kazakh
    assert "Otan (Fatherland)" not in kazakh
    assert "Мәжіліс" in kazakh and "Majilis" not in kazakh  # the chamber too
    assert "<h1>Қазақстандағы 1999 жылғы парламент сайлауы</h1>" in kazakh  # and the election
    russian = api.client.get("/districts/01", headers={"Accept-Language": "ru"}).text
    assert "Акмолинский округ № 1" in russian and "Акмолинская область" in russian
    english = api.client.get("/", headers={"Accept-Language": "en"}).text
    assert "Otan (Fatherland)" in english and "Отан" not in english


def test_a_broken_control_relation_is_said_in_the_language_with_its_figures(
    site: tuple[Api, int],
) -> None:
    api, protocol = site
    page = api.client.get(
        f"/protocols/{protocol + 1}", headers=api.as_("op1") | {"Accept-Language": "ru"}
    ).text
    assert "Цифры нарушают контрольное соотношение закона" in page
    said = re.search(
        r"<span>участок 01-[0-9]+, выборы majilis-list, тур 1: обнаружено бюллетеней "
        r"([0-9]+) &gt; выдано бюллетеней ([0-9]+): found_within_issued</span>",
        page,
    )
    assert said is not None, page  # the detail too, its lines named in Russian
    assert int(said.group(1)) == int(said.group(2)) + 5
    assert 'lang="en"' not in page.split("<main")[1]
    english = api.client.get(f"/protocols/{protocol + 1}", headers=api.as_("op1")).text
    assert "The figures break the law's control relation" in english.replace("&#39;", "'")
    assert re.search(
        r"<span>station 01-[0-9]+, contest majilis-list, round 1: ballots found [0-9]+ &gt; "
        r"ballots issued [0-9]+: found_within_issued</span>",
        english,
    ), english


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("kk", "оператор рөлі үшін рұқсат жоқ: аудит журналын оқу (audit.read)"),
        ("ru", "роль «оператор»: нет права читать журнал аудита (audit.read)"),
        ("en", "role operator may not read the audit trail (audit.read)"),
    ],
)
def test_a_refusal_is_said_in_the_language(site: tuple[Api, int], language: str, said: str) -> None:
    api, _ = site
    page = api.client.get("/audit", headers=api.as_("op1") | {"Accept-Language": language})
    assert page.status_code == 403
    assert f'<p class="error" role="alert">{said}</p>' in page.text.replace("&#34;", '"'), page.text
