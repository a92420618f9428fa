"""The API's contract: one error envelope (locked here), every endpoint refusing the roles
it should (the matrix), secure sessions, CSRF, rate-limited login, no user enumeration,
and schemathesis over the OpenAPI document."""

from __future__ import annotations

from typing import Any, get_args

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.core.result import Err

from saylau.service.app import create_app
from saylau.service.config import Settings
from saylau.service.permissions import DOING, ROLE_ACTIONS, Action
from tests.service.conftest import PASSWORD, USERS, Api, Copy
from tests.service.test_workflow import akmola

ENVELOPE = {"ok", "status", "code", "error"}


def test_the_error_envelope_is_locked(api: Api) -> None:
    answers = [
        (api.get("/api/protocols", None), 401, "not_authenticated"),
        (api.get("/api/users", "observer"), 403, "forbidden"),
        (api.get("/api/protocols/999999", "admin"), 404, "not_found"),
        (api.post("/api/protocols", "op1", {"station_id": 1}), 422, "invalid"),
        (api.client.get("/api/nothing-here"), 404, "not_found"),
    ]
    for answer, status, code in answers:
        body = answer.json()
        assert set(body) == ENVELOPE, body
        assert body["ok"] is False and body["status"] == status == answer.status_code
        assert body["code"] == code and body["error"] and "Traceback" not in body["error"]
    for content, said in (
        (b"[1,2", "the body is not valid JSON (at character 4): Expecting ',' delimiter"),
        (b"", "the request has no body: send the JSON object the endpoint takes"),
    ):
        answer = api.client.post(
            "/api/protocols", content=content, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 422 and answer.json()["error"] == said, answer.text
    nul = {"contest_id": "majilis-15", "round": 2, "reason": "x", "new_contest_id": "\x00"}
    for answer in (
        api.get("/api/results/stations/%00", None),
        api.post("/api/stages/new-voting", "admin", nul),
    ):  # PostgreSQL refuses NUL in text: a 4xx that says so, never a 500
        assert 400 <= answer.status_code < 500 and set(answer.json()) == ENVELOPE, answer.text
    refused = answers[1][0].json()["error"]
    assert refused == "role observer may not manage users (user.admin)", refused


def test_every_action_has_words_for_its_refusal() -> None:
    assert set(DOING) == set(get_args(Action))
    assert set(DOING) == {a for actions in ROLE_ACTIONS.values() for a in actions}


ROLES = [None, *USERS]
WRITES = {"protocol.submit", "protocol.verify"}


def _expected(role: str | None, allowed: set[str]) -> bool:
    name = "public" if role is None else USERS[role][0]
    return name in allowed


MATRIX: list[tuple[str, str, set[str]]] = [
    ("GET", "/api/noop", {"public", "administrator", "operator", "supervisor", "observer"}),
    ("GET", "/api/results", {"public", "administrator", "operator", "supervisor", "observer"}),
    (
        "GET",
        "/api/results/districts/01",
        {"public", "administrator", "operator", "supervisor", "observer"},
    ),
    (
        "GET",
        "/api/results/territories/akmola",
        {"public", "administrator", "operator", "supervisor", "observer"},
    ),
    (
        "GET",
        "/api/results/stations/01-001",
        {"public", "administrator", "operator", "supervisor", "observer"},
    ),
    ("GET", "/api/live/poll", {"public", "administrator", "operator", "supervisor", "observer"}),
    ("GET", "/api/registry", {"administrator", "operator", "supervisor", "observer"}),
    ("GET", "/api/registry/stations", {"administrator", "operator", "supervisor", "observer"}),
    ("GET", "/api/protocols", {"administrator", "operator", "supervisor", "observer"}),
    ("GET", "/api/stages", {"administrator", "operator", "supervisor", "observer"}),
    ("GET", "/api/audit", {"administrator", "supervisor", "observer"}),
    ("GET", "/api/audit/verify", {"administrator", "supervisor", "observer"}),
    ("GET", "/api/users", {"administrator"}),
    ("POST", "/api/users", {"administrator"}),
    ("POST", "/api/stages/new-voting", {"administrator"}),
    ("POST", "/api/stages/runoffs", {"administrator"}),
    ("POST", "/api/protocols", {"administrator", "operator"}),
]


@pytest.mark.parametrize(
    ("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX]
)
def test_the_role_matrix(
    sqlite_api: Api, kz_protocols: Any, method: str, path: str, allowed: set[str]
) -> None:
    bodies: dict[str, Any] = {
        "/api/users": {"username": "x", "password": "0123456789ab", "role": "observer"},
        "/api/stages/new-voting": {
            "contest_id": "majilis-15",
            "round": 2,
            "reason": "court",
            "new_contest_id": "majilis-15-new",
        },
        "/api/stages/runoffs": {"chamber": "majilis", "resolutions": []},
        "/api/protocols": akmola(kz_protocols, 7),
    }
    for n, role in enumerate(ROLES):
        if method == "GET":
            answer = sqlite_api.get(path, role)
        else:
            body = dict(bodies[path])
            if path == "/api/users":
                body["username"] = f"x{n}"
            answer = sqlite_api.post(path, role, body)
            if path == "/api/protocols" and answer.status_code == 409:
                answer.status_code = 201  # allowed; an earlier role entered it first
        ok = answer.status_code < 400
        in_scope = not (method == "POST" and path == "/api/protocols" and role == "op-other")
        assert ok == (_expected(role, allowed) and in_scope), (
            role,
            answer.status_code,
            answer.text,
        )
        if not ok:
            assert answer.status_code == (401 if role is None else 403), (role, answer.text)


@pytest.fixture
def sqlite_api(sqlite_copy: Any, tmp_path: Any) -> Any:
    from tests.service.conftest import make_api

    found = make_api(sqlite_copy, tmp_path)
    with found.client:
        yield found


def test_sessions_csrf_rate_limit_and_no_enumeration(sqlite_copy: Copy) -> None:
    settings = Settings(url=sqlite_copy.url, secret=b"s", login_limit=3)
    with TestClient(create_app(settings)) as client:
        wrong = client.post("/api/session", json={"username": "op1", "password": "wrong password"})
        nobody = client.post(
            "/api/session", json={"username": "nobody", "password": "wrong password"}
        )
        assert wrong.status_code == nobody.status_code == 401
        assert wrong.json() == nobody.json()
        good = client.post("/api/session", json={"username": "admin", "password": PASSWORD})
        cookie = good.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        body = {"username": "y1", "password": "0123456789ab", "role": "observer"}
        forged = client.post("/api/users", json=body)  # the cookie alone
        assert forged.status_code == 403 and forged.json()["code"] == "csrf"
        sent = client.post("/api/users", json=body, headers={"X-CSRF-Token": good.json()["csrf"]})
        assert sent.status_code == 201, sent.text
        client.cookies.clear()
        for _ in range(2):
            client.post("/api/session", json={"username": "op1", "password": "wrong password"})
        limited = client.post("/api/session", json={"username": "op1", "password": PASSWORD})
        assert limited.status_code == 429 and limited.json()["code"] == "too_many_attempts"


def test_schemathesis_finds_no_server_error(db_copy: Copy) -> None:
    """On SQLite, and on PostgreSQL, where every write goes through the group commit."""
    app = create_app(Settings(url=db_copy.url, secret=b"s"))
    with TestClient(app) as client:
        token = client.post(
            "/api/session", json={"username": "admin", "password": PASSWORD}
        ).json()["token"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings

    failures: list[str] = []
    for operation in schema.get_all_operations():
        if isinstance(operation, Err):
            raise operation.err()
        op = operation.ok()
        if op.path in ("/api/live/events", "/api/session", "/api/stages/publish"):
            continue

        @hsettings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=op.as_strategy())
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            where = f"{case.method} {case.path}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code} {response.text}")
            elif response.status_code >= 400 and set(response.json()) != ENVELOPE:
                failures.append(f"{where}: not the envelope: {response.text}")

        check()
    assert not failures, failures[:5]
