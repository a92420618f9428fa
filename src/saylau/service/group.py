"""Group commit (PostgreSQL): the writes that arrive while a process is committing wait, then
go together, in one transaction with one durable commit.

Each process has one queue and `WRITERS` writer threads per database. A write joins the
queue, from the event loop (`written`, awaited: no thread waits for it) or from a thread
(`run`). The writer whose turn it is takes every write waiting (at most `MOST`, in the
order they came), asks once whose sessions their tokens are and locks once the protocols
they name (`locks`, in id order), runs each write's work in turn in one transaction, and
commits: two round trips for the group, one opening and one closing (`trips`). Only then
are the answers released, so an acknowledged write was committed. The turn passes as a
group closes: the writes that came meanwhile are the next group, which opens and runs on
the other writer while the first's COMMIT is on its way. Two groups that name the same
protocol take turns on its row (the later one's lock waits for the earlier one's COMMIT,
then reads the row as it left it). A writer holds its connection until its group has
ended, so no other thread is handed a connection still in use.

A write whose work refuses (a `ServiceError`) before it wrote or changed anything (held
against what was pending when it began) gets its refusal, and the others go on. Anything
else (a refusal after writing, a unique constraint, a deadlock, a commit that fails)
undoes the whole group, and each of its writes runs again alone, in a transaction of its
own, exactly as without grouping: a group never decides what a write alone would not.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session

from saylau.service.api.deps import Credentials, actor_of
from saylau.service.config import database_url
from saylau.service.db import WRITES, engine_for, writing
from saylau.service.deferred import DEFERRED, forget_drawn, waiting
from saylau.service.errors import ServiceError
from saylau.service.permissions import Actor
from saylau.service.steps import CAREFUL
from saylau.service.trips import closing, opening

T = TypeVar("T")

MOST = 64
"""Writes in one group at most."""

WRITERS = 2
"""Writer threads of one process: one group opens and runs while the one before it closes."""


@dataclass(eq=False)
class _Write(Generic[T]):
    creds: Credentials
    work: Callable[[Session, Actor], T]
    locks: tuple[int, ...] = ()
    answer: Future[T] = field(default_factory=Future)
    result: Any = None
    refusal: ServiceError | None = None


class _Undone(Exception):
    """A write changed something before it refused: the group cannot keep the rest."""


class RunAlone(Exception):
    """The group was undone: run this write in a transaction of its own."""


class Group:
    """The group commit of one database, in one process: one queue, `WRITERS` writers, one
    turn to open a group."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Condition()
        self._waiting: list[_Write[Any]] = []
        self._writers: list[threading.Thread] = []
        self._turn = threading.Lock()
        self._holder: int | None = None

    def run(
        self, creds: Credentials, work: Callable[[Session, Actor], T], locks: tuple[int, ...] = ()
    ) -> T:
        """Run `work` in a group, waiting for it (from a thread): its result, or its refusal
        raised; `RunAlone` when the group was undone. `locks`: the protocols it will lock,
        locked with the group's."""
        return self.queue(creds, work, locks).result()

    async def written(
        self, creds: Credentials, work: Callable[[Session, Actor], T], locks: tuple[int, ...] = ()
    ) -> T:
        """`run`, awaited (from the event loop): no thread waits for the write."""
        return await asyncio.wrap_future(self.queue(creds, work, locks))

    def queue(
        self, creds: Credentials, work: Callable[[Session, Actor], T], locks: tuple[int, ...]
    ) -> Future[T]:
        """Put `work` in the queue; its answer, once its group committed or was undone."""
        write: _Write[T] = _Write(creds, work, locks)
        with self._lock:
            self._waiting.append(write)
            self._writers = [found for found in self._writers if found.is_alive()]
            while len(self._writers) < WRITERS:
                writer = threading.Thread(target=self._write, daemon=True)
                writer.name = f"saylau group commit {len(self._writers) + 1}"
                writer.start()
                self._writers.append(writer)
            self._lock.notify()
        return write.answer

    def _write(self) -> None:
        """A writer: in its turn, takes every write waiting (at most `MOST`) and commits them
        together, again and again."""
        while True:
            self._turn.acquire()
            self._holder = threading.get_ident()
            try:
                with self._lock:
                    while not self._waiting:
                        self._lock.wait()
                    group, self._waiting = self._waiting[:MOST], self._waiting[MOST:]
                self._lead(group)
            finally:
                self._pass()

    def _pass(self) -> None:
        """The group of this thread closes (or is done): the next may open beside it."""
        if self._holder == threading.get_ident():
            self._holder = None
            self._turn.release()

    def _lead(self, group: list[_Write[Any]]) -> None:
        committed = False
        try:
            self._commit(group)
            committed = True
        except Exception:  # the group is undone: each of its writes runs again alone
            forget_drawn()
        finally:  # only now, after the COMMIT, is any write answered
            for write in group:
                if not committed:
                    write.answer.set_exception(RunAlone())
                elif write.refusal is not None:
                    write.answer.set_exception(write.refusal)
                else:
                    write.answer.set_result(write.result)

    def _commit(self, group: list[_Write[Any]]) -> None:
        # the connection is given back only after the group has ended: given back at its
        # COMMIT, another writer could be handed it while this one still uses it
        engine = engine_for(database_url(self.url), True)
        with engine.connect() as held, writing(self.url, held) as session:
            session.info[CAREFUL] = False
            session.info[DEFERRED] = []
            tokens = sorted({w.creds.token for w in group if w.creds.token})
            users = opening(session, tokens, sorted({i for w in group for i in w.locks}))
            connection = session.connection()
            ledger = _Ledger(session, connection)
            for write in group:
                ledger.begin()
                try:
                    token = write.creds.token
                    actor = actor_of(write.creds, users.get(token) if token else None)
                    write.result = write.work(session, actor)
                except ServiceError as exc:
                    if ledger.changed():
                        raise _Undone from exc
                    write.refusal = exc
            self._pass()
            closing(session)


def _pending(session: Session) -> dict[int, dict[str, Any]]:
    """Every object the session's next flush writes, with its attributes as they are."""
    return {
        id(found): dict(inspect(found).dict)
        for found in (*session.new, *session.dirty, *session.deleted)
    }


LEDGER = "saylau.ledger"


class _Ledger:
    """Whether the write running in a group changed anything: a statement of its own, a row
    waiting, or an object changed. The changes of the writes before it wait for a flush;
    one that a read of this write sets off (autoflush) writes theirs, not this one's, unless
    this one changed something first."""

    def __init__(self, session: Session, connection: Connection) -> None:
        self.session, self.connection = session, connection
        session.info[LEDGER] = self  # told of each flush (`_flushing`, `_flushed`)
        self.begin()

    def _count(self) -> int:
        found: int = self.connection.info.get(WRITES, 0)
        return found

    def begin(self) -> None:
        """A write begins: what is pending and written so far is not its doing."""
        self.pending, self.own = _pending(self.session), False
        self.writes, self.excused, self.waiting = self._count(), 0, waiting(self.session)
        self.mark = self.writes

    def flushing(self, session: Session) -> None:
        self.own = self.own or _pending(session) != self.pending
        self.mark = self._count()

    def flushed(self) -> None:
        self.excused += self._count() - self.mark
        self.pending = {}

    def changed(self) -> bool:
        """Whether the write changed anything since it began."""
        return (
            self.own
            or _pending(self.session) != self.pending
            or self._count() - self.excused != self.writes
            or waiting(self.session) != self.waiting
        )


@event.listens_for(Session, "before_flush")
def _flushing(session: Session, *_: Any) -> None:
    """A session's flush begins: its group's ledger, if it has one, is told."""
    ledger: _Ledger | None = session.info.get(LEDGER)
    if ledger is not None:
        ledger.flushing(session)


@event.listens_for(Session, "after_flush_postexec")
def _flushed(session: Session, *_: Any) -> None:
    ledger: _Ledger | None = session.info.get(LEDGER)
    if ledger is not None:
        ledger.flushed()


_GROUPS: dict[str, Group] = {}
_GROUPS_LOCK = threading.Lock()


def group_of(url: str) -> Group:
    """This process's group commit for `url`."""
    with _GROUPS_LOCK:
        found = _GROUPS.get(url)
        if found is None:
            found = _GROUPS[url] = Group(url)
        return found
