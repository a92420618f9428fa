"""`saylau serve`'s server: the socket is bound and listening before the address is said,
then uvicorn serves the app on it, in one process or in several workers.

With several workers, the serving process accepts each connection and deals it to the
workers in turn (`dealing`), so that each holds its share of the clients however few they
are; where a system cannot pass a connection between processes (Windows), the workers
share the one socket, and the worker that wakes first takes every connection waiting. A
worker that dies leaves the connections dealt to it waiting for its replacement, which
takes its channel.

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
from collections.abc import Callable
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
from saylau.service.dealing import DEALS, Dealer, channel

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
    """uvicorn's settings: the app from the environment, and the bounds on connections;
    with several workers that are dealt their connections, the loop that serves them
    (`dealing.dealt_loop`). The request timeout is read again by each connection; a bad
    one is refused here, as is any setting out of its range (`Settings`)."""
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
        loop="saylau.service.dealing:dealt_loop" if workers > 1 and DEALS else "auto",
    )


class Server(uvicorn.Server):
    """uvicorn's server, which tells the live event streams when it begins to stop: they
    never end by themselves, and would otherwise hold Ctrl+C until their browser went."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        STOPPING.set()
        super().handle_exit(sig, frame)


class Workers(Multiprocess):
    """uvicorn's supervisor, each worker started on a channel of its own, down which the
    dealer hands it its connections (`dealing`); where connections cannot be passed, every
    worker on the one listening socket. A worker that replaces another (one that died or
    did not answer, or on SIGHUP) takes its channel; one added by a signal serves every
    channel."""

    def __init__(self, config: uvicorn.Config, listening: socket.socket) -> None:
        self.dealer: Dealer | None = None
        if not DEALS:
            super().__init__(config, sockets=[listening])
            return
        ours, theirs = zip(*(channel() for _ in range(config.workers)), strict=True)
        super().__init__(config, sockets=list(theirs))
        self.dealer = Dealer(listening, list(ours))

    def init_processes(self) -> None:
        every, count = self.sockets, self.processes_num
        try:
            for sock in every:  # uvicorn's own start of workers, channel by channel
                self.sockets, self.processes_num = [sock], count // len(every)
                super().init_processes()
        finally:
            self.sockets, self.processes_num = every, count
        if self.dealer is not None:
            self.dealer.start()

    def keep_subprocess_alive(self) -> None:
        self._one_by_one(super().keep_subprocess_alive)

    def restart_all(self) -> None:
        self._one_by_one(super().restart_all)

    def _one_by_one(self, replace: Callable[[], None]) -> None:
        """uvicorn's own `replace` of workers, worker by worker, each seeing only its own
        channel, so that its replacement is started on that channel."""
        every, processes = self.sockets, self.processes
        try:
            for number, process in enumerate(processes):
                self.processes = [process]
                self.sockets = [every[number]] if number < len(every) else every
                replace()
                processes[number] = self.processes[0]
        finally:
            self.sockets, self.processes = every, processes

    def run(self) -> None:
        try:
            super().run()
        finally:
            if self.dealer is not None:
                self.dealer.stop()
                for sock in [*self.sockets, *self.dealer.channels]:
                    sock.close()


@dataclass(frozen=True)
class Listening:
    """A TCP socket bound and listening on one port for `workers` processes: connections
    wait in its backlog until they are accepted, so the address is true as soon as it is
    said."""

    socks: tuple[socket.socket, ...]
    workers: int = 1

    @classmethod
    def bind(cls, host: str, port: int, workers: int = 1) -> Listening:
        """Listen on `host` and `port` (0: a free port the system picks); a port another
        server listens on is refused."""
        if workers < 1:
            raise InputError(f"workers: at least 1, not {workers}")
        return cls((_listening(host, port),), workers)

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
                Workers(config, self.socks[0]).run()
                return
            server = Server(config)
            server.run(sockets=list(self.socks))
        finally:
            if keeper is not None:
                keeper.stop()
            self.close()
        if not server.started:
            raise InputError("the server did not start: the lines above say why")


def _listening(host: str, port: int) -> socket.socket:
    """A socket bound to `host` and `port`, listening, and inherited by the workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host} port {port}: {exc.strerror}") from None
    except OverflowError:
        sock.close()
        raise InputError(f"cannot listen on {host} port {port}: not a port (0 to 65535)") from None
    sock.set_inheritable(True)
    return sock
