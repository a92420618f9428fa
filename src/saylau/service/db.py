"""The database: one engine per URL, sessions for reading and for writing.

SQLite runs in WAL mode with foreign keys on; a writing session begins IMMEDIATE, so two
writers never deadlock, they wait their turn. PostgreSQL runs READ COMMITTED; what writers
share (the audit head and the live totals) is changed by deferred triggers at COMMIT
(migration 0002), so each holds it only while it commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from saylau.service.config import database_url
from saylau.service.deferred import before_a_read


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


WRITES = "saylau.writes"
"""A connection's count of statements other than SELECT (the group commit reads it)."""


@lru_cache(maxsize=8)
def engine_for(url: str, writer: bool = True) -> Engine:
    """The engine of `url`; for SQLite, writers and readers have engines of their own."""
    if not is_sqlite(url):
        # no ping before each use: it would cost every request a round trip; a connection
        # the server dropped fails one request, and the pool replaces it
        found = create_engine(url, pool_size=20, max_overflow=20, pool_recycle=3600)

        @event.listens_for(found, "before_cursor_execute")
        def _count(connection: Any, cursor: Any, statement: str, *rest: Any) -> None:
            if statement.lstrip()[:6].upper() != "SELECT":
                connection.info[WRITES] = connection.info.get(WRITES, 0) + 1

        return found
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # SQLAlchemy issues BEGIN itself, below
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


@lru_cache(maxsize=16)
def _factory(url: str, writer: bool) -> sessionmaker[Session]:
    found = sessionmaker(engine_for(url, writer), expire_on_commit=False)
    event.listen(found, "do_orm_execute", before_a_read)
    return found


@contextmanager
def writing(url: str | None = None, held: Connection | None = None) -> Iterator[Session]:
    """A session whose work is committed as one transaction, or not at all; on `held`, a
    connection its caller gives back to the pool (else its own, given back at commit)."""
    factory = _factory(database_url(url), True)
    session = factory() if held is None else factory(bind=held)
    try:
        with session.begin():
            yield session
    finally:
        session.close()


@contextmanager
def reading(url: str | None = None) -> Iterator[Session]:
    """A session that only reads."""
    session = _factory(database_url(url), False)()
    try:
        with session.begin():
            yield session
    finally:
        session.close()


def dispose(url: str | None = None) -> None:
    """Close every pooled connection (tests, and the end of a CLI command)."""
    from saylau.service.election import forget

    found = database_url(url)
    for writer in (True, False):
        engine_for(found, writer).dispose()
    forget(found)


def now() -> str:
    """The time as ISO 8601 in UTC, to the microsecond: how every row records when."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def canonical(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
