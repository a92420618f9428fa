"""`saylau serve` as a person starts it: it says where it listens and logs each request;
and the service's commands on an install without the service extra say, in one line, what
to install."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest

from tests.conftest import ROOT
from tests.service.conftest import Copy
from tests.service.server import SAYLAU

LISTENS = re.compile(
    r"^Saylau listens on (http://127\.0\.0\.1:(\d+)/) \(the public results at /, "
    r"sign in at /login; Ctrl\+C stops it\)$"
)
LOGGED = r"^\d\d:\d\d:\d\d {} {} {} \d+\.\d ms$"


def test_serve_says_where_it_listens_and_logs_each_request(
    sqlite_copy: Copy, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    server = subprocess.Popen(
        [
            str(SAYLAU),
            "serve",
            "--port",
            "0",
            "--url",
            sqlite_copy.url,
            "--secret-file",
            str(secret),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        said = server.stdout.readline().rstrip("\n")
        found = LISTENS.match(said)
        assert found, said
        address = found.group(1)
        with urllib.request.urlopen(address + "api/health", timeout=30) as answer:
            assert answer.status == 200
        for path in ("api/nothing-here", "api/%0A12:00:00%20GET%20/forged"):
            with pytest.raises(HTTPError) as refused:
                urllib.request.urlopen(address + path, timeout=30)
            assert refused.value.code == 404
            refused.value.close()
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    lines = err.splitlines()
    for path, status in (
        ("/api/health", 200),
        ("/api/nothing-here", 404),
        ("/api/%0A12:00:00%20GET%20/forged", 404),  # as sent: a newline cannot forge a line
    ):
        logged = re.compile(LOGGED.format("GET", re.escape(path), status))
        assert any(logged.match(line) for line in lines), err
    assert not any(line.startswith("12:00:00 GET /forged") for line in lines), err


COMMANDS = [
    ["serve", "--check"],
    ["db", "upgrade"],
    ["db", "snapshot", "out"],
    ["users", "add", "someone"],
    ["audit", "verify"],
    ["load", "kz-1999"],
]

WITHOUT_THE_EXTRA = """
import contextlib, io, json, sys
for name in ("fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "psycopg"):
    sys.modules[name] = None  # importing it raises ModuleNotFoundError, as if not installed
from saylau.cli import app
said = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            app(argv, prog_name="saylau")
        except SystemExit as exc:
            said.append([exc.code, err.getvalue()])
print(json.dumps(said))
"""


def test_a_service_command_without_the_service_extra_names_it_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_EXTRA, json.dumps(COMMANDS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    said = json.loads(done.stdout.splitlines()[-1])
    assert len(said) == len(COMMANDS), done.stdout + done.stderr
    for argv, (code, err) in zip(COMMANDS, said, strict=True):
        command = " ".join(argv[:2] if argv[0] in ("db", "users", "audit") else argv[:1])
        assert code == 2, (argv, err)
        assert err == (
            f"error: saylau {command} needs the service extra: pip install 'saylau[service]'\n"
        ), argv


FROZEN = """
import gc, os, sys
from fastapi.testclient import TestClient
from saylau.service.app import app_from_env, create_app
from saylau.service.config import Settings
before = gc.get_freeze_count()
with TestClient(create_app(Settings(url=sys.argv[1]))):
    alone = gc.get_freeze_count()
os.environ["SAYLAU_DATABASE_URL"] = sys.argv[1]
with TestClient(app_from_env()):
    served = gc.get_freeze_count()
print(before, alone, served > alone)
"""


def test_a_server_process_freezes_what_it_read_at_start(sqlite_copy: Copy) -> None:
    """A process of `saylau serve` (`app_from_env`) leaves what it read at start out of the
    garbage collector's scans once the election is loaded; an app made in a process of its
    caller (a test, a library user) leaves the caller's collector as it was."""
    found = subprocess.run(
        [sys.executable, "-c", FROZEN, sqlite_copy.url],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert found.stdout.split() == ["0", "0", "True"], found.stderr
