"""Rows a group commit inserts together: a write's entry copy, audit entry and change of
the totals wait in the session, and go in one statement a table, in the order they were
made, before the next read and before the commit (`group`). Outside a group they are
inserted at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import ORMExecuteState, Session

DEFERRED = "saylau.deferred"


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
    found = session.info.get(DEFERRED)
    if not found:
        return
    session.info[DEFERRED] = []
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for table, rows in found:
        by_table.setdefault(table, []).extend(rows)
    for table, rows in by_table.items():
        session.execute(insert(table), rows)


def before_a_read(state: ORMExecuteState) -> None:
    """A read sees every row written before it (the session's `do_orm_execute` hook): the
    rows waiting go in first when the read names a table they wait for, or names none."""
    found = state.session.info.get(DEFERRED)
    if not found or not state.is_select:
        return
    read = {mapper.local_table for mapper in state.all_mappers}
    if not read or read & {table for table, _ in found}:
        insert_waiting(state.session)
