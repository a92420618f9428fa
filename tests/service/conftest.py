"""The service's fixtures: a database of each kind (SQLite, PostgreSQL) with the 1999
election loaded, users of every role, and clients of the app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.law.form import LINES
from saylau.pipeline.run import load_inputs
from saylau.service.accounts import create_user
from saylau.service.app import create_app
from saylau.service.config import Settings
from saylau.service.db import dispose, writing
from saylau.service.load import commissions, load_election
from saylau.service.migrate import upgrade
from tests.service import postgres
from tests.service.browser import chromium
from tests.service.server import Server

PASSWORD = "correct horse battery"
USERS = {
    "admin": ("administrator", None),
    "op1": ("operator", "tec-akmola"),
    "op2": ("operator", "tec-akmola"),
    "op-dec": ("operator", "dec-01"),
    "op-other": ("operator", "tec-astana"),
    "super": ("supervisor", "tec-akmola"),
    "super-other": ("supervisor", "tec-astana"),
    "observer": ("observer", None),
}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres.server() as base:
        yield base


def _prepare(url: str) -> str:
    upgrade(url)
    with writing(url) as session:
        load_election(session, "kz-1999")
    with writing(url) as session:
        known = commissions(session)
        for name, (role, commission) in USERS.items():
            create_user(session, name, PASSWORD, role, commission, by="test", commissions=known)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of each kind holding kz-1999 and a user of every role."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'saylau.db'}"
    else:
        url = postgres.new_database(request.getfixturevalue("pg_server"))
    yield _prepare(url)
    dispose(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    url = _prepare(f"sqlite:///{tmp_path / 'saylau.db'}")
    yield url
    dispose(url)


@dataclass
class Api:
    """A test client of the app, with a bearer token for each user."""

    client: TestClient
    url: str
    tokens: dict[str, str]

    def as_(self, user: str | None) -> dict[str, str]:
        return {} if user is None else {"Authorization": f"Bearer {self.tokens[user]}"}

    def post(self, path: str, user: str | None, body: Any = None) -> Any:
        return self.client.post(path, json=body, headers=self.as_(user))

    def get(self, path: str, user: str | None, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.as_(user))


def make_api(url: str, tmp_path: Path) -> Api:
    app = create_app(Settings(url=url, secret=b"test-secret", snapshots=tmp_path / "snapshots"))
    client = TestClient(app)
    tokens = {}
    for name in USERS:
        answer = client.post("/api/session", json={"username": name, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        tokens[name] = answer.json()["token"]
    client.cookies.clear()
    return Api(client, url, tokens)


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    found = make_api(db_url, tmp_path)
    with found.client:
        yield found


@pytest.fixture(scope="session")
def kz_protocols() -> dict[tuple[str, int], list[dict[str, Any]]]:
    """The 1999 scenario's protocols as submissions: {(contest, round): [body, ...]}."""
    inputs, _ = load_inputs("kz-1999")
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for (contest, round), table in inputs.protocols.items():
        for row in table.to_pylist():
            found.setdefault((contest, round), []).append(submission(contest, round, row))
    return found


LINE_NAMES = LINES


def submission(contest: str, round: int, row: dict[str, Any]) -> dict[str, Any]:
    lines = {k: v for k, v in row.items() if k in LINE_NAMES and v is not None}
    votes = {
        k: v for k, v in row.items() if k not in LINE_NAMES and k != "station_id" and v is not None
    }
    return {
        "station_id": row["station_id"],
        "contest_id": contest,
        "round": round,
        "values": {"lines": lines, "votes": votes},
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`saylau serve` on a SQLite database holding kz-1999 and a user of every role."""
    url = _prepare(f"sqlite:///{tmp_path_factory.mktemp('site') / 'saylau.db'}")
    dispose(url)
    server = Server(url)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (skipped without it; fails under CI)."""
    with chromium() as found:
        yield found
