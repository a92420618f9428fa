"""The login limits as settings, and their rows pruned (issue 22, what remained of item 4):
every limit is a whole number from the environment, refused out of its range; the counters
that decide nothing any more are deleted, the others kept. On SQLite and PostgreSQL where a
database is involved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from saylau.cli import app
from saylau.errors import InputError
from saylau.service.app import create_app
from saylau.service.config import LIMITS, Settings
from saylau.service.db import reading, writing
from saylau.service.models import LoginLimit
from saylau.service.throttle import NEVER, prune
from tests.service.conftest import PASSWORD, Copy


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def test_prune_deletes_only_the_counters_that_decide_nothing(db_copy: Copy) -> None:
    now = datetime.now(UTC)
    hours = [_at(now - timedelta(hours=h)) for h in range(3)]
    rows = {
        # key: (last, until, known), window 1 h, known 30 days
        "pair:forgotten@192.0.2.1": (hours[2], hours[2], None),
        "address:192.0.2.1": (hours[2], NEVER, None),
        "pair:recent@192.0.2.2": (hours[0], NEVER, None),
        "pair:waiting@192.0.2.3": (hours[2], _at(now + timedelta(minutes=5)), None),
        "pair:known@192.0.2.4": (hours[2], NEVER, _at(now - timedelta(days=1))),
        "pair:known-long-ago@192.0.2.5": (hours[2], NEVER, _at(now - timedelta(days=40))),
    }
    with writing(db_copy.url) as session:
        before = set(session.scalars(select(LoginLimit.key)))  # the prepared logins
        session.execute(
            insert(LoginLimit),
            [
                {"key": key, "tries": 3, "last": last, "until": until, "known": known}
                for key, (last, until, known) in rows.items()
            ],
        )
    with writing(db_copy.url) as session:
        assert prune(session, Settings(url=db_copy.url, secret=b"s")) == 3
    with reading(db_copy.url) as session:
        left = set(session.scalars(select(LoginLimit.key))) - before
    assert left == {"pair:recent@192.0.2.2", "pair:waiting@192.0.2.3", "pair:known@192.0.2.4"}


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("SAYLAU_LOGIN_LIMIT", "0", "not a whole number from 1 to 1000"),
        ("SAYLAU_LOGIN_DELAY", "thirty", "SAYLAU_LOGIN_DELAY='thirty'"),
        ("SAYLAU_LOGIN_WINDOW", "-5", "SAYLAU_LOGIN_WINDOW='-5'"),
        ("SAYLAU_LOGIN_ADDRESS_LIMIT", "1e3", "not a whole number"),
        ("SAYLAU_CHECKPOINT_ENTRIES", "0", "from 1 to"),
        ("SAYLAU_MAX_CONNECTIONS", "1", "from 2 to 100000"),
    ],
)
def test_a_limit_out_of_range_is_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InputError, match=variable) as caught:
        Settings()
    assert said in str(caught.value)


def test_the_limits_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, (variable, default, least, most) in LIMITS.items():
        monkeypatch.delenv(variable, raising=False)
        assert getattr(Settings(), name) == default
        assert least <= default <= most
    monkeypatch.setenv("SAYLAU_LOGIN_LIMIT", "7")
    monkeypatch.setenv("SAYLAU_LOGIN_WINDOW", "600")
    found = Settings()
    assert (found.login_limit, found.login_window, found.login_delay) == (7, 600, 30)
    with pytest.raises(InputError, match="shorter than login_delay"):
        Settings(login_window=10, login_delay=30)
    with pytest.raises(InputError, match="login_account_limit"):
        Settings(login_account_limit=0)


def test_saylau_serve_refuses_a_limit_out_of_range_before_it_listens(db_copy: Copy) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--url", db_copy.url], env={"SAYLAU_LOGIN_DELAY": "0"}
    )
    assert result.exit_code != 0
    assert "SAYLAU_LOGIN_DELAY='0': not a whole number from 1 to 86400" in result.output
    assert "listens" not in result.output


def test_the_address_limit_is_a_setting_of_its_own(db_copy: Copy) -> None:
    settings = Settings(url=db_copy.url, secret=b"s", login_address_limit=2)
    with TestClient(create_app(settings)) as client:

        def login(name: str, password: str = "not the password") -> Any:
            return client.post("/api/session", json={"username": name, "password": password})

        assert login("op1").status_code == 401
        assert login("op2").status_code == 401
        refused = login("observer", PASSWORD)  # a third name, from the same address
        assert refused.status_code == 429, refused.text
