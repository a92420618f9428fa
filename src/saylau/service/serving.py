"""`saylau serve`'s server: the socket is bound and listening before the address is said,
then uvicorn serves the app on it, in one process or in several workers.

The settings reach each worker through the environment (`app.app_from_env`), since uvicorn
starts its workers afresh.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import uvicorn
from uvicorn.supervisors import Multiprocess

from saylau.errors import InputError
from saylau.service.api.live import STOPPING

BACKLOG = 2048
"""Connections the kernel holds for the server before it accepts them (uvicorn's own)."""

GRACE = 5
"""Seconds a stopping server waits for the answers under way before it cancels them. Event
streams end within a second of the stop in one process (`Server`); a worker of several
stops them at this limit."""


class Server(uvicorn.Server):
    """uvicorn's server, which tells the live event streams when it begins to stop: they
    never end by themselves, and would otherwise hold Ctrl+C until their browser went."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        STOPPING.set()
        super().handle_exit(sig, frame)


@dataclass(frozen=True)
class Listening:
    """A TCP socket bound and listening: connections wait in its backlog until uvicorn
    accepts them, so the address is true as soon as it is said."""

    sock: socket.socket

    @classmethod
    def bind(cls, host: str, port: int) -> Listening:
        """Listen on `host` and `port` (0: a free port the system picks)."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen(BACKLOG)
        except OSError as exc:
            sock.close()
            raise InputError(f"cannot listen on {host} port {port}: {exc.strerror}") from None
        sock.set_inheritable(True)
        return cls(sock)

    @property
    def address(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def serve(
        self,
        url: str,
        *,
        workers: int = 1,
        snapshots: Path | None = None,
        secure_cookies: bool = False,
        log: bool = True,
    ) -> None:
        """Serve the database at `url` until stopped (Ctrl+C, SIGTERM); with `log`, each
        request is written to stderr."""
        os.environ["SAYLAU_DATABASE_URL"] = url
        if snapshots is not None:
            os.environ["SAYLAU_SNAPSHOTS"] = str(snapshots)
        os.environ["SAYLAU_SECURE_COOKIES"] = "1" if secure_cookies else ""
        os.environ["SAYLAU_REQUEST_LOG"] = "1" if log else ""
        config = uvicorn.Config(
            "saylau.service.app:app_from_env",
            factory=True,
            workers=workers,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=GRACE,
        )
        try:
            if workers > 1:
                Multiprocess(config, sockets=[self.sock]).run()
                return
            server = Server(config)
            server.run(sockets=[self.sock])
        finally:
            self.sock.close()
        if not server.started:
            raise InputError("the server did not start: the lines above say why")
