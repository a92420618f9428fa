"""Logins as an attacker tries them (issue 22, item 4), on SQLite and PostgreSQL: guesses
that would lock the real user out, parallel guesses past the limit, hashing under the
database's lock, a forged X-Forwarded-For, weak passwords and look-alike user names."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.pool import QueuePool

from saylau.service import accounts, passwords
from saylau.service.app import create_app
from saylau.service.config import Settings
from saylau.service.db import engine_for, reading, writing
from saylau.service.errors import Invalid, TooManyAttempts
from saylau.service.models import LoginLimit, UserRow
from tests.service.conftest import PASSWORD, SECRET, Api, Copy

WRONG = "not the password at all"


def client(copy: Copy, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(url=copy.url, secret=SECRET, **settings)))


def guess(web: TestClient, name: str, password: str, via: str | None = None) -> Any:
    headers = {"X-Forwarded-For": via} if via else {}
    return web.post("/api/session", json={"username": name, "password": password}, headers=headers)


def test_guesses_from_elsewhere_never_keep_the_user_out_of_their_own_address(
    db_copy: Copy,
) -> None:
    """Five wrong passwords from the attacker's address delay that address's tries of the
    account, growing; the user, from their own address, still logs in at once."""
    with client(db_copy, trusted_proxies=("testclient",)) as web:
        assert guess(web, "op1", PASSWORD, "10.0.0.1").status_code == 200  # the usual address
        for _ in range(5):
            assert guess(web, "op1", WRONG, "10.6.6.6").status_code == 401
        refused = guess(web, "op1", PASSWORD, "10.6.6.6")
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "too_many_attempts"
        said = refused.json()["error"]  # 30 seconds from the fifth, then 60, 120...
        assert re.search(r"wait (1\d|2\d|30) seconds", said), said
        assert guess(web, "op1", PASSWORD, "10.0.0.1").status_code == 200
        # from many addresses at once, the account's own limit: never its usual address
        for n in range(60):
            guess(web, "op1", WRONG, f"10.7.{n}.1")
        assert guess(web, "op1", PASSWORD, "10.7.99.1").status_code == 429
        assert guess(web, "op1", PASSWORD, "10.0.0.1").status_code == 200
        # one address guessing many names is held after four times the limit
        for n in range(20):
            guess(web, f"nobody{n}", WRONG, "10.8.8.8")
        assert guess(web, "op2", PASSWORD, "10.8.8.8").status_code == 429
        assert guess(web, "op2", PASSWORD, "10.0.0.2").status_code == 200


def test_sixty_parallel_guesses_get_no_more_tries_than_the_limit(db_copy: Copy) -> None:
    settings = Settings(url=db_copy.url, secret=SECRET)
    checked = []
    lock = threading.Lock()
    real = passwords.verify

    def counted(stored: str | None, password: str) -> bool:
        with lock:
            checked.append(password)
        return real(stored, password)

    def attempt(_: int) -> str:
        try:
            found = accounts.login(db_copy.url, "op1", WRONG, "10.1.1.1", settings)
        except TooManyAttempts:
            return "refused"
        return "wrong" if found is None else "in"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "verify", counted)
        with ThreadPoolExecutor(60) as pool:
            said = list(pool.map(attempt, range(60)))
    assert said.count("wrong") == settings.login_limit == len(checked), said
    assert said.count("refused") == 60 - settings.login_limit
    with reading(db_copy.url) as session:
        row = session.get(LoginLimit, "pair:op1@10.1.1.1")
        assert row is not None and row.tries == settings.login_limit


def test_the_password_is_hashed_outside_any_transaction(db_copy: Copy) -> None:
    """While argon2 runs, no connection is held, and another writer gets the database at
    once (on SQLite a login used to hold the write lock while it hashed)."""
    settings = Settings(url=db_copy.url, secret=SECRET)
    seen: list[tuple[int, int, bool]] = []
    real = passwords.verify

    def watched(stored: str | None, password: str) -> bool:
        held = sum(
            cast(QueuePool, engine_for(db_copy.url, writer).pool).checkedout()
            for writer in (True, False)
        )
        done = threading.Event()

        def other_writer() -> None:
            with writing(db_copy.url) as session:
                session.scalar(select(UserRow.id).limit(1))
                session.add(LoginLimit(key="probe", tries=0, last="x", until="x", known=None))
            done.set()

        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(timeout=5)
        seen.append((held, 0, done.is_set()))
        with writing(db_copy.url) as session:
            probe = session.get(LoginLimit, "probe")
            if probe is not None:
                session.delete(probe)
        return real(stored, password)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "verify", watched)
        assert accounts.login(db_copy.url, "op1", PASSWORD, "10.2.2.2", settings) is not None
        assert accounts.login(db_copy.url, "op1", WRONG, "10.2.2.2", settings) is None
    assert seen == [(0, 0, True), (0, 0, True)]


def test_x_forwarded_for_is_believed_only_from_a_named_proxy(db_copy: Copy) -> None:
    with client(db_copy) as web:  # no proxy named: the header changes nothing
        for n in range(5):
            assert guess(web, "op2", WRONG, f"192.0.2.{n}").status_code == 401
        assert guess(web, "op2", PASSWORD, "192.0.2.77").status_code == 429
    with client(db_copy, trusted_proxies=("testclient",)) as web:
        # the proxy's own entry is the rightmost: what the client wrote left of it is not
        for n in range(5):
            assert guess(web, "op1", WRONG, f"198.51.100.{n}, 10.3.3.3").status_code == 401
        assert guess(web, "op1", PASSWORD, "203.0.113.9, 10.3.3.3").status_code == 429
        assert guess(web, "op1", PASSWORD, "10.3.3.4").status_code == 200


@pytest.mark.parametrize(
    ("password", "why"),
    [
        (" " * 10, "one character repeated"),
        ("aaaaaaaaaa", "one character repeated"),
        ("password12", "common passwords"),
        ("1234567890", "common passwords"),
        ("qwertyuiop", "common passwords"),
        ("abcdefghijkl", "run of keys"),
        ("short", "at least 10"),
        ("newcomer-2026!", "user name"),
    ],
)
def test_weak_passwords_are_refused(password: str, why: str) -> None:
    with pytest.raises(Invalid, match=why):
        passwords.check_password(password, "newcomer")


def test_passwords_follow_nist_800_63b_through_the_api(api: Api) -> None:
    for weak in (" " * 10, "aaaaaaaaaa", "password12"):
        body = {"username": "newcomer", "password": weak, "role": "observer"}
        answer = api.post("/api/users", "admin", body)
        assert answer.status_code == 422, answer.text
    # no composition rules: a long phrase of small letters and spaces is good
    body = {"username": "newcomer", "password": "plain words only here", "role": "observer"}
    assert api.post("/api/users", "admin", body).status_code == 201
    logged = api.client.post(
        "/api/session", json={"username": "newcomer", "password": "plain words only here"}
    )
    assert logged.status_code == 200


@pytest.mark.parametrize(
    ("name", "like"),
    [
        ("\u0430dmin", "admin"),  # a Cyrillic a
        ("\uff41\uff44\uff4d\uff49\uff4e", "admin"),  # full-width letters: admin itself
        ("ADMIN", "admin"),
        ("adm\u0456n", "admin"),  # a Cyrillic i
        ("opl", "op1"),  # an l for the digit one
        ("\u043e\u0440-other", "op-other"),  # Cyrillic o and r
    ],
)
def test_look_alike_user_names_are_refused(api: Api, name: str, like: str) -> None:
    body = {"username": name, "password": "plain words only here", "role": "observer"}
    answer = api.post("/api/users", "admin", body)
    assert answer.status_code == 409, answer.text
    assert like in answer.json()["error"]
    with reading(api.url) as session:
        names = set(session.scalars(select(UserRow.username)))
    assert name not in names


def test_a_name_is_normalised_at_login_too(db_copy: Copy) -> None:
    with client(db_copy) as web:
        found = guess(web, "\uff41\uff44\uff4d\uff49\uff4e", PASSWORD)  # full-width admin
        assert found.status_code == 200 and found.json()["username"] == "admin"


def test_the_common_passwords_come_from_a_package() -> None:
    common = passwords.common_passwords()
    assert len(common) == 30000 and "password12" in common
    assert Path(passwords.__file__).read_text().count("zxcvbn") >= 2  # its source is named


def test_sixty_parallel_guesses_over_http_at_two_workers(db_copy: Copy) -> None:
    """The attack as it was made: 60 guesses at once at `saylau serve --workers 2`."""
    from tests.service.server import Server

    server = Server(db_copy.url, workers=2)
    server.start()
    try:

        def attempt(_: int) -> int:
            body = {"username": "op2", "password": WRONG}
            return server.request("POST", "/api/session", body)[0]

        with ThreadPoolExecutor(60) as pool:
            said = list(pool.map(attempt, range(60)))
    finally:
        server.stop()
    assert said.count(401) == 5 and said.count(429) == 55, said


@pytest.mark.parametrize("name", ["op1\x00", "\ufdfa" * 100, "\u00df" * 100, "", " ", "a" * 100])
def test_a_strange_user_name_at_login_is_a_4xx(db_copy: Copy, name: str) -> None:
    """NUL, names that NFKC or case folding make longer, empty: refused in the envelope."""
    with client(db_copy) as web:
        answer = guess(web, name, WRONG)
        assert answer.status_code in (401, 422), answer.text
        assert answer.json()["ok"] is False


def test_a_flood_of_failed_logins_does_not_hold_up_submissions(
    db_copy: Copy, kz_protocols: Any
) -> None:
    """60 failed logins, 8 at a time from as many addresses (through a trusted proxy), so
    that each is hashed, while an operator submits 10 protocols: no submission waits
    behind the hashing (on SQLite a login held the write lock while it hashed, and
    submissions waited up to 28 s)."""
    import os
    import time

    from tests.service.server import Server
    from tests.service.test_workflow import akmola

    env = {**os.environ, "SAYLAU_SECRET": "test-secret", "SAYLAU_TRUSTED_PROXIES": "127.0.0.1"}
    server = Server(db_copy.url, env=env)
    server.start()
    took: list[float] = []
    try:
        token = server.login("op1", PASSWORD)

        def flood(n: int) -> int:
            body = {"username": f"op{n % 3}", "password": WRONG}
            headers = {"X-Forwarded-For": f"10.9.{n // 200}.{n % 200}"}
            return server.request("POST", "/api/session", body, headers=headers)[0]

        with ThreadPoolExecutor(8) as pool:
            flooding = pool.map(flood, range(60))
            for n in range(10):
                began = time.monotonic()
                status, said = server.request(
                    "POST", "/api/protocols", akmola(kz_protocols, n), token
                )
                took.append(time.monotonic() - began)
                assert status == 201, said
            assert set(flooding) <= {401, 429}
    finally:
        server.stop()
    assert max(took) < 5, took
