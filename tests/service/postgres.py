"""A real PostgreSQL server for the tests, started from the system's binaries.

The binaries are found under /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run
as root, so as root the cluster belongs to the `postgres` user the Debian package creates,
and its commands run through `runuser`. Without the binaries, the tests that need them
are skipped with the reason, and under CI=true they fail: `.ci/run` installs them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_binaries() -> Path:
    found = binaries()
    if found is None:
        reason = (
            "PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def server(options: str = "") -> Iterator[str]:
    """A PostgreSQL server on a free loopback port for the block; its base URL. `options`
    are more `-c name=value` settings (the benchmark's `--statements` loads
    pg_stat_statements)."""
    bin_dir = require_binaries()
    home = Path(tempfile.mkdtemp(prefix="saylau-pg-"))
    data = home / "data"
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_owner(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c max_connections=200 {options}"
    subprocess.run(
        _as_owner(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(home / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(home, ignore_errors=True)


def new_database(base: str) -> str:
    """A fresh, empty database on the server at `base`; its URL."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{base}/{name}"
