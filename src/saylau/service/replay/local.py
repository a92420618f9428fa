"""A temporary service for a replay to play into (`saylau replay --serve`): a fresh SQLite
database in a folder of its own, the election loaded by `saylau load`, and `saylau serve`
on a free loopback port, its secret, audit key and snapshots in the same folder. The
administrator's password `saylau load` made is read from its output and never shown. The
server stops, and the folder goes, when the block ends."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from saylau.service.replay.client import ReplayError

SAYLAU = ("-c", "from saylau.cli import main; main()")
"""The `saylau` command, run by this Python."""

STOP_WAIT = 20
"""Seconds the server has to stop before it is killed."""


@dataclass(frozen=True)
class Local:
    """A temporary service: its address, administrator (name, password) and folder."""

    url: str
    admin: tuple[str, str]
    folder: Path


def _saylau(*args: str) -> list[str]:
    return [sys.executable, *SAYLAU, *args]


@contextmanager
def temporary_service(source: str, workers: int = 1, parent: Path | None = None) -> Iterator[Local]:
    """`source` loaded into a fresh database and served on loopback, for the block; its
    folder in `parent`, else the system's temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="saylau-replay-", dir=parent))
    env = {k: v for k, v in os.environ.items() if k != "SAYLAU_SECRET"}
    env |= {
        "SAYLAU_DATABASE_URL": f"sqlite:///{folder / 'saylau.db'}",
        "SAYLAU_AUDIT_KEY": str(folder / "saylau-audit.key"),
        "SAYLAU_SECRET_FILE": str(folder / "saylau.secret"),
    }
    server: subprocess.Popen[str] | None = None
    try:
        loading = subprocess.run(
            _saylau("load", source), env=env, cwd=folder, capture_output=True, text=True
        )
        if loading.returncode != 0:
            raise ReplayError(f"saylau load {source}: {loading.stderr.strip() or loading.stdout}")
        _, _, password = loading.stdout.partition("(shown once): ")
        if not password.strip():
            raise ReplayError(f"saylau load {source} made no administrator")
        command = _saylau("serve", "--port", "0", "--no-log", "--workers", str(workers))
        command += ["--snapshots", str(folder / "snapshots")]
        server = subprocess.Popen(
            command,
            env=env,
            cwd=folder,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own group: stopping it stops its workers
        )
        assert server.stdout is not None
        said = server.stdout.readline()
        if not said.startswith("Saylau listens on "):
            raise ReplayError(f"saylau serve did not start: {said.strip() or 'no output'}")
        url = said.split()[3].rstrip("/")
        yield Local(url, ("admin", password.strip()), folder)
    finally:
        if server is not None:
            _stop(server)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    if server.stdout is not None:
        server.stdout.close()
