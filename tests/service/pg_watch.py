"""The PostgreSQL test server's watcher: a process of its own session, started beside the
server, that outlives the test process if it dies (interrupted, or killed with SIGKILL)
and then stops the server and removes its folder.

    python pg_watch.py PID HOME STOP...

PID is the test process, HOME the server's folder, STOP the command that stops the server
at once (`pg_ctl -D DATA -m immediate -w stop`, through `runuser` as root). It reads its
standard input, a pipe whose other end only the test process holds: the end of that pipe
says the test process is gone, at once; a check of PID every tenth of a second catches a
pipe held open longer by a child of it. Killed, the watcher does nothing: that is how the
test process tells it that the server is stopped already. Imports nothing of the project.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys

POLL = 0.1


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def main(argv: list[str]) -> None:
    pid, home, stop = int(argv[1]), argv[2], argv[3:]
    while alive(pid):
        ready, _, _ = select.select([sys.stdin], [], [], POLL)
        if ready and not os.read(sys.stdin.fileno(), 1024):
            break  # the pipe's end: the test process has gone
    subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
