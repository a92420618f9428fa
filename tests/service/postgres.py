"""A real PostgreSQL server for the tests, started from the system's binaries.

The binaries are found under /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run
as root, so as root the cluster belongs to the `postgres` user the Debian package creates,
and its commands run through `runuser`. Without the binaries, the tests that need them
are skipped with the reason, and under CI=true they fail: `.ci/run` installs them.

A watcher process (pg_watch.py) stands beside each server and stops it, and removes its
folder, when the process that started it is gone, even killed with SIGKILL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

WATCHER = Path(__file__).with_name("pg_watch.py")


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
    stop = _as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    watcher, held = watch(home, stop)  # from here on, the server ends with this process
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        subprocess.run(
            _as_owner([*initdb, "-E", "UTF8", "--no-sync"]), check=True, capture_output=True
        )
        options = (
            f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c max_connections=200 {options}"
        )
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log")]
        subprocess.run(_as_owner([*start, "-w", "start"]), check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(stop, check=False, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
        watcher.kill()  # killed, it does nothing more
        watcher.wait()
        os.close(held)


def watch(home: Path, stop: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    """The watcher (pg_watch.py), in a session of its own so that it outlives this process:
    when this process is gone, however it ended, it runs `stop` and removes `home`. Its
    standard input is a pipe whose writing end (returned with it) only this process holds,
    and the kernel closes when this process ends."""
    reading, writing = os.pipe()  # neither end is inherited by other children
    try:
        watcher = subprocess.Popen(
            [sys.executable, str(WATCHER), str(os.getpid()), str(home), *stop],
            stdin=reading,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        os.close(reading)
    return watcher, writing


def new_database(base: str, template: str | None = None) -> str:
    """A fresh database on the server at `base`, empty or a copy of `template` (a database
    on the same server that no one is connected to); its URL."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    copying = f' TEMPLATE "{template}"' if template else ""
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copying}'))
    engine.dispose()
    return f"{base}/{name}"
