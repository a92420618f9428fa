"""The test fixture's PostgreSQL server stops, and its folder goes, when the process that
started it is killed with SIGKILL: no teardown runs, its watcher does it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.service import postgres
from tests.service.pg_watch import alive

STARTS = """
import sys
from sqlalchemy import create_engine, text
from tests.service import postgres
with postgres.server() as base:
    engine = create_engine(f"{base}/postgres")
    with engine.connect() as connection:
        data = connection.execute(text("SHOW data_directory")).scalar_one()
    engine.dispose()
    with open(f"{data}/postmaster.pid", encoding="ascii") as found:
        print(found.readline().strip(), data, flush=True)
    sys.stdin.read()  # until killed
"""


def test_the_server_stops_when_the_test_process_is_killed() -> None:
    postgres.require_binaries()
    with subprocess.Popen(
        [sys.executable, "-c", STARTS],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        pid, data = child.stdout.readline().split()
        postmaster = int(pid)
        assert alive(postmaster)
        os.kill(child.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while (alive(postmaster) or Path(data).exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(postmaster), "the postmaster outlived the process that started it"
    assert not Path(data).parent.exists(), "the server's folder was left behind"
