"""Connections dealt to the workers in turn: the serving process accepts each one on the
port's one socket and hands it to the next worker (`Dealer`), over a channel of its own
(a Unix datagram socket pair, the connection passed as a file descriptor). Sixteen
connections to two workers are eight each, however the clients' ports fall; a hash of
each connection's addresses (`SO_REUSEPORT`) spreads a few clients unevenly, and on one
shared socket a burst of clients may all land on the worker that wakes first.

A worker serves what comes on its channels: its event loop (`dealt_loop`, given to
uvicorn as its loop) takes a channel handed to it as a listening socket and serves each
connection that arrives on it (`Dealt`). A worker that dies leaves the connections dealt
to it waiting in its channel, held by the kernel, for its replacement, which takes its
channel (`serving.Workers`).
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

DEALS = hasattr(socket, "send_fds")
"""Whether this system passes a connection from one process to another (Unix does)."""


def channel() -> tuple[socket.socket, socket.socket]:
    """A channel to one worker: the serving process's end and the worker's, inherited."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    ours.setblocking(False)
    theirs.set_inheritable(True)
    return ours, theirs


def is_channel(sock: socket.socket) -> bool:
    """Whether `sock` is a worker's end of a channel, not a socket to listen on."""
    return sock.family == socket.AF_UNIX and sock.type == socket.SOCK_DGRAM


class Dealer:
    """Accepts each connection on `listening` and deals it to the channels in turn; a
    channel that cannot take it now (its worker gone and its queue full) is passed over,
    and a connection no channel takes is closed."""

    def __init__(self, listening: socket.socket, channels: list[socket.socket]) -> None:
        self.listening, self.channels = listening, channels
        self._turns = itertools.cycle(range(len(channels)))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="saylau dealer", daemon=True)

    def start(self) -> None:
        self.listening.settimeout(0.2)  # so that `stop` is seen within that
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.listening.accept()
            except TimeoutError:
                continue
            except OSError:  # the socket closed under it, or out of descriptors a moment
                if self.listening.fileno() < 0:
                    return
                self._stop.wait(0.05)
                continue
            with connection:  # this process's copy; the worker holds its own
                self.deal(connection)

    def deal(self, connection: socket.socket) -> int | None:
        """Hand `connection` to the next channel that takes it; which one (None: none)."""
        for _ in self.channels:
            turn = next(self._turns)
            try:
                socket.send_fds(self.channels[turn], [b"c"], [connection.fileno()])
            except OSError:
                continue
            return turn
        return None


class Dealt:
    """The connections that arrive on a worker's channel, served by `protocol` as if
    accepted here; it stands where uvicorn keeps a listening server."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        channel: socket.socket,
        protocol: Callable[[], asyncio.BaseProtocol],
    ) -> None:
        self.loop, self.channel, self.protocol = loop, channel, protocol
        self.channel.setblocking(False)
        self.open = True
        self.serving: set[asyncio.Task[None]] = set()  # held, or the loop may drop them
        loop.add_reader(channel.fileno(), self._take)

    def _take(self) -> None:
        while self.open:
            try:
                _, fds, _, _ = socket.recv_fds(self.channel, 1, 16)
            except BlockingIOError:
                return
            except OSError:
                self.close()
                return
            for fd in fds:
                connection = socket.socket(fileno=fd)
                connection.setblocking(False)
                task = self.loop.create_task(self._serve(connection))
                self.serving.add(task)
                task.add_done_callback(self.serving.discard)

    async def _serve(self, connection: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(self.protocol, connection)
        except OSError:  # the client went before it was served
            connection.close()

    def close(self) -> None:
        """Take no more connections (those served go on, as uvicorn's shutdown says)."""
        if self.open:
            self.open = False
            self.loop.remove_reader(self.channel.fileno())

    async def wait_closed(self) -> None:
        return None


class Dealing(asyncio.AbstractEventLoop):
    """An event loop that serves a channel handed to it as a listening socket (`Dealt`),
    and any other socket as its base loop does."""

    async def create_server(
        self, protocol_factory: Callable[[], asyncio.BaseProtocol], *args: Any, **kwargs: Any
    ) -> Any:
        sock = kwargs.get("sock")
        if isinstance(sock, socket.socket) and is_channel(sock):
            return Dealt(self, sock, protocol_factory)
        return await super().create_server(protocol_factory, *args, **kwargs)


def dealt_loop() -> asyncio.AbstractEventLoop:
    """A new event loop for uvicorn (its `loop` setting): of uvicorn's own choice of kind
    (uvloop where installed), made to serve the channels it is handed."""
    return _dealt_kind()()


@cache
def _dealt_kind() -> type[asyncio.AbstractEventLoop]:
    from uvicorn.loops.auto import auto_loop_factory

    probe = auto_loop_factory()()
    probe.close()
    return type("DealtLoop", (Dealing, type(probe)), {})
