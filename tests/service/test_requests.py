"""Sessions, secrets and requests as an attacker tries them (issue 22, items 5 and 6), on
SQLite and PostgreSQL where a database is involved: workers and restarts without a secret,
a log out without its CSRF token, huge and half-sent bodies, a message in the query string,
parameters out of range, and /docs under the CSP."""

from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.errors import InputError
from saylau.service import serving
from saylau.service.app import create_app
from saylau.service.config import Settings, load_secret
from saylau.service.web.render import LOGIN_COOKIE
from tests.service.conftest import PASSWORD, Api, Copy, Prepared
from tests.service.server import Server
from tests.service.test_workflow import akmola


def test_the_secret_is_made_once_owner_only_and_refused_when_others_may_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAYLAU_SECRET", raising=False)
    where = tmp_path / "secret"
    first = load_secret(where)
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    assert load_secret(where) == first and len(first) == 64
    assert list(tmp_path.iterdir()) == [where]  # no draft left behind
    where.chmod(0o644)
    with pytest.raises(InputError, match="may be read by others"):
        load_secret(where)


def _login_form(web: TestClient) -> tuple[str, str]:
    page = web.get("/login")
    nonce = page.cookies[LOGIN_COOKIE]
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    return nonce, token


def test_two_workers_and_a_restart_share_the_secret(
    db_copy: Copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two apps made without SAYLAU_SECRET, as two workers or a restart are: a login form
    of one is good at the other, and a session's CSRF token too."""
    monkeypatch.delenv("SAYLAU_SECRET", raising=False)
    monkeypatch.setenv("SAYLAU_SECRET_FILE", str(tmp_path / "secret"))
    one = TestClient(create_app(Settings(url=db_copy.url)))
    other = TestClient(create_app(Settings(url=db_copy.url)))
    with one, other:
        nonce, token = _login_form(one)
        other.cookies.set(LOGIN_COOKIE, nonce, path="/login")
        form = {"username": "admin", "password": PASSWORD, "csrf": token}
        answer = other.post("/login", data=form, follow_redirects=False)
        assert answer.status_code == 303, answer.text  # not "stale"
        logged = one.post("/api/session", json={"username": "admin", "password": PASSWORD})
        csrf = logged.json()["csrf"]
        other.cookies.clear()
        other.cookies.set("saylau_session", logged.json()["token"])
        for n in range(16):
            body = {"username": f"worker-{chr(97 + n)}", "password": "plain words only here"}
            sent = other.post(
                "/api/users", json={**body, "role": "observer"}, headers={"X-CSRF-Token": csrf}
            )
            assert sent.status_code == 201, sent.text


def test_serve_with_two_workers_and_no_secret_keeps_sessions_and_csrf(
    sqlite_prepared: Prepared, tmp_path: Path
) -> None:
    """`saylau serve --workers 2` without SAYLAU_SECRET, then a restart: every cookie
    write is taken, whichever worker answers it."""
    env = {k: v for k, v in os.environ.items() if k != "SAYLAU_SECRET"}
    env["SAYLAU_SECRET_FILE"] = str(tmp_path / "secret")
    server = Server(sqlite_prepared.copy(tmp_path / "db"), workers=2, env=env)
    server.start()
    try:
        status, answer = server.request(
            "POST", "/api/session", {"username": "admin", "password": PASSWORD}
        )
        assert status == 200, answer
        cookie, csrf = answer["token"], answer["csrf"]
        for restart in (False, True):
            if restart:
                server.stop()
                server.start()
            for n in range(8):
                name = f"w{'r' if restart else 'f'}-{chr(97 + n)}"
                status, said = server.request(
                    "POST",
                    "/api/users",
                    {"username": name, "password": "plain words only here", "role": "observer"},
                    headers={"Cookie": f"saylau_session={cookie}", "X-CSRF-Token": csrf},
                )
                assert status == 201, said
    finally:
        server.stop()


def test_log_out_always_ends_the_session_on_the_server(api: Api) -> None:
    web = api.client
    token = api.tokens["observer"]
    web.cookies.set("saylau_session", token)
    answer = web.post("/logout", data={"csrf": "not the token"}, follow_redirects=False)
    assert answer.status_code == 303
    web.cookies.clear()
    dead = web.get("/api/users", headers={"Authorization": f"Bearer {token}"})
    assert dead.status_code == 401 and "unknown or expired" in dead.json()["error"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(api: Api) -> None:
    limit = Settings().max_body
    big = b"x" * (limit + 1)
    said = api.client.post("/api/session", content=big, headers={"Content-Type": "text/plain"})
    assert said.status_code == 413 and said.json()["code"] == "too_large"
    assert f"{limit:,} bytes" in said.json()["error"]

    def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(limit // 1000 + 2):
            yield b"y" * 1000

    said = api.client.post("/api/protocols", content=chunks(), headers=api.as_("op1"))
    assert said.status_code == 413, said.text
    web = api.client.post("/login", content=big)
    assert web.status_code == 413


TIMEOUT, KEEP_ALIVE = 3.0, 2.0
"""The server's request timeout and keep-alive in the test of both, shorter than the
defaults (`serving.REQUEST_TIMEOUT`, `serving.KEEP_ALIVE`), which the settings test holds."""


def _whole_response(sock: socket.socket) -> bytes:
    """One HTTP response read to its end (its headers, then Content-Length bytes of body),
    however the server's packets split it."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def test_the_server_refuses_a_huge_body_at_once_and_drops_half_sent_requests(
    sqlite_prepared: Prepared, tmp_path: Path
) -> None:
    env = {**os.environ, "SAYLAU_SECRET": "test-secret"}
    env |= {"SAYLAU_REQUEST_TIMEOUT": str(TIMEOUT), "SAYLAU_KEEP_ALIVE": str(KEEP_ALIVE)}
    server = Server(sqlite_prepared.copy(tmp_path / "db"), env=env)
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000000\r\n\r\n"
            )
            began = time.monotonic()
            answer = sock.recv(4096)
            assert answer.startswith(b"HTTP/1.1 413"), answer
            assert time.monotonic() - began < 5
        began = time.monotonic()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # never the blank line
            assert sock.recv(4096) == b""  # closed by the server
        assert TIMEOUT - 1 < time.monotonic() - began < TIMEOUT + 5
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            began = time.monotonic()
            assert sock.recv(4096) == b""  # a connection that says nothing
        assert time.monotonic() - began < TIMEOUT + 5
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _whole_response(sock).startswith(b"HTTP/1.1 200")
            began = time.monotonic()
            assert sock.recv(4096) == b""  # idle after its answer
        assert KEEP_ALIVE - 1 < time.monotonic() - began < KEEP_ALIVE + 3
        # the forwarded address of a client that is no proxy is not believed
        for n in range(5):
            status, _ = server.request(
                "POST",
                "/api/session",
                {"username": "op2", "password": "not the password"},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
            )
            assert status == 401
        status, said = server.request(
            "POST", "/api/session", {"username": "op2", "password": PASSWORD}
        )
        assert status == 429, said
    finally:
        server.stop()


def test_uvicorn_bounds_connections_and_reads_no_forwarded_header() -> None:
    config = serving.uvicorn_config(1)
    assert config.limit_concurrency == serving.MAX_CONNECTIONS
    assert config.timeout_keep_alive == serving.KEEP_ALIVE
    assert config.proxy_headers is False
    assert config.http is serving.TimedHttp


def test_no_text_from_the_query_string_is_shown_as_a_message(api: Api, kz_protocols: Any) -> None:
    made = api.post("/api/protocols", "op1", akmola(kz_protocols))
    assert made.status_code == 201, made.text
    bait = "call this number and give your password"
    for path, user in ((f"/protocols/{made.json()['id']}", "op1"), ("/admin/users", "admin")):
        page = api.client.get(path, params={"message": bait}, headers=api.as_(user))
        assert page.status_code == 200, page.text
        assert bait not in page.text and 'role="alert"' not in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users?status=99999",
        "/admin/users?status=abc",
        "/protocols/99999999999999",
        "/protocols/-1",
        "/enter?round=99999999999999999999999",
        "/enter?round=-5&station_id=%00&contest_id=%00",
        "/districts/%00",
        "/stations/" + "9" * 500,
        "/api/protocols?limit=-1",
        "/api/audit?after=99999999999999999999999",
    ],
)
def test_every_parameter_gives_a_page_or_a_4xx(shared_api: Api, path: str) -> None:
    answer = shared_api.client.get(path, headers=shared_api.as_("admin"))
    assert 200 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    if path.startswith("/admin/users"):
        assert answer.status_code == 200


def test_docs_are_served_offline_under_the_csp(shared_api: Api) -> None:
    page = shared_api.client.get("/docs")
    assert page.status_code == 200
    assert "http" not in page.text.replace('href="/', "").split("<body>")[0].lower()
    assert "<script>" not in page.text  # no inline script: the CSP would refuse it
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert shared_api.client.get(asset).status_code == 200
    assert shared_api.client.get("/redoc").status_code == 404  # it would need a CDN


def test_docs_render_in_chromium(site: Any, browser: Any, tmp_path: Path) -> None:
    from tests.service.browser import context, shoot

    found = context(browser)
    page = found.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    page.goto(f"{site.base}/docs")
    try:
        page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    except Exception as exc:
        raise AssertionError(problems) from exc
    assert "Saylau" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10  # the endpoints are listed
    shoot(page, tmp_path, "docs")
    assert not problems, problems
    found.close()


def test_the_timeouts_are_settings_refused_when_they_are_not_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert serving.seconds("SAYLAU_REQUEST_TIMEOUT", serving.REQUEST_TIMEOUT) == 10.0
    monkeypatch.setenv("SAYLAU_KEEP_ALIVE", "2.5")
    assert serving.uvicorn_config(1).timeout_keep_alive == 3
    for bad in ("0", "-1", "soon", "1e9", "nan"):
        monkeypatch.setenv("SAYLAU_REQUEST_TIMEOUT", bad)
        with pytest.raises(InputError, match="SAYLAU_REQUEST_TIMEOUT="):
            serving.uvicorn_config(1)  # at start, before any connection
