"""`saylau serve`'s server: the socket is bound and listening before the address is said,
then uvicorn serves the app on it, in one process or in several workers.

Several workers on Linux each listen on a socket of their own, bound to the same port
(`SO_REUSEPORT`): the kernel hands each new connection to one of the sockets by a hash of
its addresses, so the connections spread over the workers. On one shared socket, the
worker that wakes first takes every connection waiting, and a burst of clients may all
land on one worker while the others idle. The serving process holds every socket open, so
a worker that dies leaves the connections sent to it waiting for its replacement, which
serves every socket.

The settings reach each worker through the environment (`app.app_from_env`), since uvicorn
starts its workers afresh.

Connections are bounded: a request must arrive whole (its headers and its body) within
`REQUEST_TIMEOUT` seconds of its first byte, or of the connection's opening; a connection
idle between requests is closed after `KEEP_ALIVE` seconds; each process serves at most
`Settings.max_connections` connections and requests at once (`SAYLAU_MAX_CONNECTIONS`, by
default 500), and answers 503 beyond. Forwarded headers are never read by uvicorn itself:
the app believes them only from the proxies the settings trust (`api.deps.address`).

Beside the workers, the serving process runs the keeper (`checkpoints.Keeper`): it signs
the chain's head on its timer and prunes the login limits, outside every request.
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from saylau.errors import InputError
from saylau.service.api.live import STOPPING
from saylau.service.checkpoints import Keeper
from saylau.service.config import LIMITS, Settings

BACKLOG = 2048
"""Connections the kernel holds for the server before it accepts them (uvicorn's own)."""

GRACE = 5
"""Seconds a stopping server waits for the answers under way before it cancels them. Event
streams end within a second of the stop in one process (`Server`); a worker of several
stops them at this limit."""


REQUEST_TIMEOUT = 10.0
"""Seconds a request has to arrive whole, headers and body (a half-sent one is dropped);
`SAYLAU_REQUEST_TIMEOUT` sets another."""

KEEP_ALIVE = 5.0
"""Seconds a connection may stay idle between requests; `SAYLAU_KEEP_ALIVE` sets another."""


def seconds(name: str, default: float) -> float:
    """A number of seconds from the environment variable `name`, else `default`."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise InputError(f"{name}={text!r}: not a number of seconds from 0 to 3600")
    return value


class TimedHttp(HttpToolsProtocol):
    """uvicorn's HTTP protocol, with a deadline on reading each request: it starts when the
    connection opens or a request's first byte arrives, and ends when the request is
    whole. A client that sends its headers or body too slowly, or nothing, is dropped."""

    _deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._deadline is None:
            wait = seconds("SAYLAU_REQUEST_TIMEOUT", REQUEST_TIMEOUT)
            self._deadline = self.loop.call_later(wait, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()


MAX_CONNECTIONS = LIMITS["max_connections"][1]
"""Connections and requests under way in one process at once by default; beyond, 503."""


def uvicorn_config(workers: int) -> uvicorn.Config:
    """uvicorn's settings: the app from the environment, and the bounds on connections.
    The request timeout is read again by each connection; a bad one is refused here, as
    is any setting out of its range (`Settings`)."""
    seconds("SAYLAU_REQUEST_TIMEOUT", REQUEST_TIMEOUT)
    settings = Settings()
    return uvicorn.Config(
        "saylau.service.app:app_from_env",
        factory=True,
        workers=workers,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACE,
        http=TimedHttp,
        timeout_keep_alive=math.ceil(seconds("SAYLAU_KEEP_ALIVE", KEEP_ALIVE)),
        limit_concurrency=settings.max_connections,
        proxy_headers=False,
    )


class Server(uvicorn.Server):
    """uvicorn's server, which tells the live event streams when it begins to stop: they
    never end by themselves, and would otherwise hold Ctrl+C until their browser went."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        STOPPING.set()
        super().handle_exit(sig, frame)


class Workers(Multiprocess):
    """uvicorn's supervisor, with the workers started evenly over the listening sockets: one
    on each of a socket per worker, or all of them on one shared socket. A worker started
    later (one replacing a worker that died, or added by a signal) serves every socket."""

    def init_processes(self) -> None:
        every, count = self.sockets, self.processes_num
        try:
            for sock in every:  # uvicorn's own start of workers, socket by socket
                self.sockets, self.processes_num = [sock], count // len(every)
                super().init_processes()
        finally:
            self.sockets, self.processes_num = every, count


SPREADS = sys.platform == "linux"
"""Whether the kernel spreads a port's connections over the sockets bound to it with
`SO_REUSEPORT` (Linux does; elsewhere the option means other things, and the workers share
one socket)."""


@dataclass(frozen=True)
class Listening:
    """TCP sockets bound and listening on one port for `workers` processes: connections wait
    in their backlogs until uvicorn accepts them, so the address is true as soon as it is
    said."""

    socks: tuple[socket.socket, ...]
    workers: int = 1

    @classmethod
    def bind(cls, host: str, port: int, workers: int = 1) -> Listening:
        """Listen on `host` and `port` (0: a free port the system picks): on one socket, or
        with several `workers` (on Linux) on one socket for each, sharing the port. The port
        is first taken alone, so a port another server listens on is refused even if that
        server, too, shares its port."""
        if workers < 1:
            raise InputError(f"workers: at least 1, not {workers}")
        alone = workers == 1 or not SPREADS  # one socket for every worker
        sock = _listening(host, port, shared=False, listen=alone)
        if alone:
            return cls((sock,), workers)
        port = sock.getsockname()[1]
        sock.close()
        socks: list[socket.socket] = []
        try:
            for _ in range(workers):
                socks.append(_listening(host, port, shared=True, listen=True))
        except InputError:
            for made in socks:
                made.close()
            raise
        return cls(tuple(socks), workers)

    def close(self) -> None:
        for sock in self.socks:
            sock.close()

    @property
    def address(self) -> str:
        host, port = self.socks[0].getsockname()[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def serve(
        self,
        url: str,
        *,
        snapshots: Path | None = None,
        secure_cookies: bool = False,
        log: bool = True,
        secret_file: Path | None = None,
        trusted_proxies: tuple[str, ...] = (),
    ) -> None:
        """Serve the database at `url` until stopped (Ctrl+C, SIGTERM); with `log`, each
        request is written to stderr."""
        os.environ["SAYLAU_DATABASE_URL"] = url
        if snapshots is not None:
            os.environ["SAYLAU_SNAPSHOTS"] = str(snapshots)
        os.environ["SAYLAU_SECURE_COOKIES"] = "1" if secure_cookies else ""
        os.environ["SAYLAU_REQUEST_LOG"] = "1" if log else ""
        if secret_file is not None:
            os.environ["SAYLAU_SECRET_FILE"] = str(secret_file)
        os.environ["SAYLAU_TRUSTED_PROXIES"] = ",".join(trusted_proxies)
        keeper: Keeper | None = None
        try:
            config = uvicorn_config(self.workers)
            keeper = Keeper(Settings())
            keeper.start()
            if self.workers > 1:
                Workers(config, sockets=list(self.socks)).run()
                return
            server = Server(config)
            server.run(sockets=list(self.socks))
        finally:
            if keeper is not None:
                keeper.stop()
            self.close()
        if not server.started:
            raise InputError("the server did not start: the lines above say why")


def _listening(host: str, port: int, *, shared: bool, listen: bool) -> socket.socket:
    """A socket bound to `host` and `port`, sharing the port with the others bound with
    `shared` (`SO_REUSEPORT`), listening if `listen`, and inherited by the workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
        if listen:
            sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host} port {port}: {exc.strerror}") from None
    except OverflowError:
        sock.close()
        raise InputError(f"cannot listen on {host} port {port}: not a port (0 to 65535)") from None
    sock.set_inheritable(True)
    return sock
