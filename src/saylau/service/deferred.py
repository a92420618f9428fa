"""Rows a group commit inserts together: a write's new protocol, entry copy, audit entry
and change of the totals wait in the session, and go in one statement a table (a table
before those that refer to it, each table's rows in the order they were made), before the
next read of their tables and before the commit (`group`); a table's rows may go in merged
(`merged`: a group's changes of the live totals as one row). Outside a group they are
inserted at once.

A protocol inserted later needs its id now (the audit entry's state hash covers it): in a
group, ids are drawn from the table's own sequence `BLOCK` at a time (`next_id`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import MetaData, Table, insert, text
from sqlalchemy.orm import ORMExecuteState, Session

DEFERRED = "saylau.deferred"

BLOCK = 64
"""Ids drawn from a sequence in one query."""

_drawn: dict[tuple[str, str], list[int]] = {}
_drawn_lock = threading.Lock()


def deferring(session: Session) -> bool:
    """Whether this session's inserts wait for the group's (a group commit's session)."""
    return session.info.get(DEFERRED) is not None


def next_id(session: Session, table: Table) -> int:
    """The next id of `table` (PostgreSQL, a serial `id`), from this process's block of its
    sequence; a block is drawn when the last one is used up. Ids stay unique; an id drawn
    and not used (a write refused or undone) is a gap, as any sequence leaves."""
    key = (str(session.connection().engine.url), table.name)
    with _drawn_lock:
        found = _drawn.setdefault(key, [])
        if not found:
            rows = session.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    "FROM generate_series(1, :block)"
                ),
                {"table": table.name, "block": BLOCK},
            )
            found.extend(sorted((row[0] for row in rows), reverse=True))
        return found.pop()


def forget_drawn() -> None:
    """Let the next id come from a new block: after a group is undone, in case the
    database's sequence is no longer the one the block came from (a database restored)."""
    with _drawn_lock:
        _drawn.clear()


Rows = list[dict[str, Any]]

_MERGED: dict[str, Callable[[Rows], Rows]] = {}


def merged(table_name: str, how: Callable[[Rows], Rows]) -> None:
    """Let the rows waiting for `table_name` go in as `how` makes them of them: many changes
    as one row, where the table's meaning allows (`live.in_one_row`)."""
    _MERGED[table_name] = how


_LAST: set[str] = set()


def inserted_last(table_name: str) -> None:
    """Let the rows waiting for `table_name` (a table no other refers to) go in after every
    other table's: at COMMIT, PostgreSQL runs the deferred triggers in the order their rows
    went in, so this table's trigger runs last (`audit`: the chain's head, which every
    commit takes in turn, is then held only from there to the end of the commit)."""
    _LAST.add(table_name)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into `table` now, or with the group's others."""
    waiting: list[tuple[Table, list[dict[str, Any]]]] | None = session.info.get(DEFERRED)
    if waiting is None:
        session.execute(insert(table), rows)
    else:
        waiting.append((table, rows))


def waiting(session: Session) -> int:
    """How many inserts wait."""
    return len(session.info.get(DEFERRED) or ())


def insert_waiting(session: Session) -> None:
    """Insert every row waiting: one statement a table, each table's rows in order."""
    for table, rows in take_waiting(session):  # inline: nothing is read back
        session.execute(insert(table).inline(), rows)


def take_waiting(session: Session) -> list[tuple[Table, Rows]]:
    """Every row waiting, taken out of the session: each table's rows in the order they
    were made (merged where `merged` says), a table before those that refer to it, and the
    tables `inserted_last` after the others. The caller inserts them (`insert_waiting`, or
    a group's closing query)."""
    found = session.info.get(DEFERRED)
    if not found:
        return []
    session.info[DEFERRED] = []
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for table, rows in found:
        by_table.setdefault(table, []).extend(rows)
    order = _table_order(next(iter(by_table)).metadata)
    taken = []
    for table in sorted(by_table, key=lambda table: (table.name in _LAST, order[table])):
        how = _MERGED.get(table.name)
        taken.append((table, by_table[table] if how is None else how(by_table[table])))
    return taken


@cache
def _table_order(metadata: MetaData) -> dict[Table, int]:
    """Each table's place with every table it refers to before it (sorted once)."""
    return {table: n for n, table in enumerate(metadata.sorted_tables)}


def before_a_read(state: ORMExecuteState) -> None:
    """A read sees every row written before it (the session's `do_orm_execute` hook): the
    rows waiting go in first when the read names a table they wait for, or names none."""
    found = state.session.info.get(DEFERRED)
    if not found or not state.is_select:
        return
    read = {mapper.local_table for mapper in state.all_mappers}
    if not read or read & {table for table, _ in found}:
        insert_waiting(state.session)
