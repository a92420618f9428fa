"""The service's fixtures: a database of each kind (SQLite, PostgreSQL) with the 1999
election loaded, users of every role, and clients of the app."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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

AUDIT_KEY = Path(tempfile.mkdtemp(prefix="saylau-audit-key-")) / "audit.key"
os.environ["SAYLAU_AUDIT_KEY"] = str(AUDIT_KEY)
"""The audit key of this test process (and of the servers it starts): made on first use."""

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
    """One PostgreSQL server for the session (one for each xdist worker)."""
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


SECRET = b"test-secret"


@dataclass(frozen=True)
class Prepared:
    """A database prepared once for the session: migrated, holding kz-1999 and a user of
    every role, each logged in (`tokens`). Each test takes a copy of it (`copy`), so every
    test starts from the same state as if it had prepared its own."""

    kind: str
    url: str
    tokens: dict[str, str]

    @classmethod
    def make(cls, kind: str, url: str) -> Prepared:
        _prepare(url)
        client = TestClient(create_app(Settings(url=url, secret=SECRET)))
        tokens = {}
        for name in USERS:
            answer = client.post("/api/session", json={"username": name, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            tokens[name] = answer.json()["token"]
        dispose(url)
        return cls(kind, url, tokens)

    def copy(self, folder: Path) -> str:
        """A copy of the database of its own (SQLite: in `folder`); its URL."""
        if self.kind == "postgresql":
            base, _, template = self.url.rpartition("/")
            return postgres.new_database(base, template=template)
        source = Path(self.url.removeprefix("sqlite:///"))
        folder.mkdir(parents=True, exist_ok=True)
        for part in source.parent.glob(source.name + "*"):  # the file, and a WAL if left
            shutil.copyfile(part, folder / part.name.replace(source.name, "saylau.db"))
        return f"sqlite:///{folder / 'saylau.db'}"


@pytest.fixture(scope="session")
def sqlite_prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    url = f"sqlite:///{tmp_path_factory.mktemp('prepared') / 'saylau.db'}"
    return Prepared.make("sqlite", url)


@pytest.fixture(scope="session")
def postgresql_prepared(pg_server: str) -> Prepared:
    return Prepared.make("postgresql", postgres.new_database(pg_server))


@dataclass(frozen=True)
class Copy:
    """A test's own copy of a prepared database, and the prepared one's tokens."""

    url: str
    tokens: dict[str, str]


@contextmanager
def copied(prepared: Prepared, folder: Path) -> Iterator[Copy]:
    """A copy of `prepared` for the block, its connections closed at the end."""
    url = prepared.copy(folder)
    try:
        yield Copy(url, prepared.tokens)
    finally:
        dispose(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Copy]:
    """A database of each kind holding kz-1999 and a user of every role, logged in."""
    with copied(request.getfixturevalue(f"{request.param}_prepared"), tmp_path / "db") as found:
        yield found


@pytest.fixture
def sqlite_copy(sqlite_prepared: Prepared, tmp_path: Path) -> Iterator[Copy]:
    with copied(sqlite_prepared, tmp_path / "db") as found:
        yield found


@pytest.fixture
def pg_url(postgresql_prepared: Prepared, tmp_path: Path) -> Iterator[str]:
    """A PostgreSQL database holding kz-1999 and a user of every role."""
    with copied(postgresql_prepared, tmp_path) as found:
        yield found.url


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


def make_api(copy: Copy, tmp_path: Path) -> Api:
    """A client of the app on `copy`, its users logged in when it was prepared."""
    settings = Settings(url=copy.url, secret=SECRET, snapshots=tmp_path / "snapshots")
    return Api(TestClient(create_app(settings)), copy.url, copy.tokens)


@pytest.fixture
def api(db_copy: Copy, tmp_path: Path) -> Iterator[Api]:
    found = make_api(db_copy, tmp_path)
    with found.client:
        yield found


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """`api`, shared by a module's tests that change nothing: requests refused before
    anything is written, and reads."""
    folder = tmp_path_factory.mktemp("shared")
    with copied(request.getfixturevalue(f"{request.param}_prepared"), folder) as copy:
        found = make_api(copy, folder)
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
def site(sqlite_prepared: Prepared, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`saylau serve` on a SQLite database holding kz-1999 and a user of every role."""
    server = Server(sqlite_prepared.copy(tmp_path_factory.mktemp("site")))
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
