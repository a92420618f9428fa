"""A group commit's round trips to PostgreSQL, as few as its reads allow (`group`).

A group opens with the driver's BEGIN, then one query of several statements
(`_Statements`: one message, each statement prepared on its connection once): whose
sessions its tokens are, and the protocols it names locked (in id order). It closes with
one more such query: the protocols its writes changed (a verification's) updated, the rows
they left waiting inserted, and the COMMIT. Each of those is one statement
a table, whatever the group's size: its rows go as one JSON parameter, read in the
database as rows of the table in their order (`json_populate_recordset`; a statement for
each row would cost the server a statement for every row). The ORM's own flush is kept
out of the closing query (it checks each update's row count, which such a query does not
give): the protocols are updated as plain statements, which need no check, since the
group holds their rows locked. Anything else a write changed in the ORM is flushed on its
own trip first; so are a write's own reads, if any.

The statements are those `accounts.actors_for_tokens`, `steps.locked`, the ORM's update of
a protocol and `deferred.insert_waiting` make, written for the driver (each table's values
bound as the table's column types bind them, its scalar defaults filled in); a row locked
here joins the session as if the ORM had loaded it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from typing import Any

import psycopg
from sqlalchemy import ColumnDefault, Dialect, Table, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from saylau.service.accounts import token_hash
from saylau.service.db import now
from saylau.service.deferred import take_waiting
from saylau.service.models import ProtocolRow, table_of
from saylau.service.permissions import Actor
from saylau.service.steps import hold

SESSIONS = (
    "SELECT s.token_hash, u.id, u.username, u.role, u.commission_id "
    "FROM users u JOIN sessions s ON s.user_id = u.id "
    "WHERE s.token_hash = ANY(%s) AND s.expires_at >= %s AND u.active"
)
"""The users that live session tokens belong to (dead tokens, inactive users left out)."""

_COLUMNS = [column.name for column in table_of(ProtocolRow).columns]

LOCK = f"SELECT {', '.join(_COLUMNS)} FROM protocols WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
"""The protocols named, locked until commit, in id order (two groups never wait for each
other crosswise)."""


def driver(session: Session) -> psycopg.Connection[Any]:
    """The session's connection to PostgreSQL, as the driver's own."""
    found = session.connection().connection.driver_connection
    assert isinstance(found, psycopg.Connection)
    return found


def opening(session: Session, tokens: list[str], protocol_ids: list[int]) -> dict[str, Actor]:
    """Begin, then in one round trip find whose sessions `tokens` are and lock the
    protocols `protocol_ids` (held for `steps.locked`); the actors, by token."""
    if not tokens and not protocol_ids:
        return {}
    by_hash = {token_hash(token): token for token in tokens}
    statements = _Statements(driver(session), session.connection().connection.info)
    if by_hash:
        statements.add(SESSIONS, (list(by_hash), now()))
    if protocol_ids:
        statements.add(LOCK, (protocol_ids,))
    with _ended_on_failure(statements):
        found = statements.send()
    users = found[0] if by_hash else []
    if protocol_ids:
        hold(session, [ProtocolRow(**dict(zip(_COLUMNS, row, strict=True))) for row in found[-1]])
    return {by_hash[h]: Actor(i, name, role, c) for h, i, name, role, c in users}


def closing(session: Session) -> None:
    """Update the protocols the group changed, insert the rows waiting and commit, in one
    round trip. Anything else the ORM holds to write is flushed first, on its own."""
    changed = _changed_protocols(session)
    if changed is None:
        session.flush()
        changed = []
    statements = _Statements(driver(session), session.connection().connection.info)
    with _ended_on_failure(statements):
        _update(session, statements, changed)
        for table, rows in take_waiting(session):
            _insert(session, statements, table, rows)
        statements.send(end="COMMIT")
        session.commit()  # the transaction has ended: the driver sends nothing more


@contextmanager
def _ended_on_failure(statements: _Statements) -> Iterator[None]:
    """On a failure, roll the transaction back and read again which statements the
    connection has prepared. A statement refused leaves the transaction aborted, and a
    commit that failed is not rolled back by the pool: it ends here, before the connection
    is reused."""
    try:
        yield
    except BaseException:
        statements.connection.rollback()
        statements.recount()
        raise


PREPARED = "saylau.prepared"
"""Where a connection's record (`info`, kept as long as the connection) holds the names of
the statements `_Statements` prepared on it."""


class _Statements:
    """Statements sent together as one query (one message, one round trip; the server runs
    them in turn and stops at the first that fails), their values bound in the driver.

    Each is run as a statement prepared on the connection, the first time it is sent there
    (`PREPARE`, then `EXECUTE` with the values), so the server parses and plans it once a
    connection, not once a group. A statement prepared stays when its transaction is
    rolled back; after a failure the names are read again from the server (`recount`)."""

    def __init__(self, connection: psycopg.Connection[Any], info: dict[str, Any]) -> None:
        self.connection = connection
        self.prepared: set[str] = info.setdefault(PREPARED, set())
        self.texts: list[str] = []
        self.values: list[Any] = []

    def add(self, text: str, values: tuple[Any, ...]) -> None:
        """`text`, whose `%s` take `values` in turn, to run after those added before it."""
        name, numbered = _prepared(text)
        if name not in self.prepared:
            self.texts.append(f"PREPARE {name} AS {numbered}")
        self.texts.append(f"EXECUTE {name}({', '.join(['%s'] * len(values))})")
        self.values.extend(values)

    def send(self, end: str | None = None) -> list[list[tuple[Any, ...]]]:
        """Send the statements waiting, and `end` after them, and wait for them all; the
        rows each statement added returned, in order (none for one that returns none)."""
        texts = self.texts if end is None else [*self.texts, end]
        found: list[list[tuple[Any, ...]]] = []
        if texts:
            with psycopg.ClientCursor(self.connection) as cursor:
                cursor.execute("; ".join(texts), self.values)
                for text in self.texts:
                    if text.startswith("EXECUTE "):
                        found.append(cursor.fetchall() if cursor.description else [])
                    cursor.nextset()
            self.prepared.update(_named(self.texts))
        self.texts, self.values = [], []
        return found

    def recount(self) -> None:
        """The statements prepared on the connection, as the server has them (after a
        failure, some of those sent may have been prepared and others not)."""
        self.prepared.clear()
        with suppress(psycopg.Error):  # a broken connection is not reused by the pool
            found = self.connection.execute("SELECT name FROM pg_prepared_statements")
            self.prepared.update(name for (name,) in found)


@cache
def _prepared(text: str) -> tuple[str, str]:
    """The name `text` is prepared under (from its digest), and `text` with its `%s`
    numbered as a prepared statement's parameters ($1, $2, ...)."""
    name = "saylau_" + hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    parts = text.split("%s")
    numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
    return name, numbered


def _named(texts: list[str]) -> set[str]:
    return {text.split()[1] for text in texts if text.startswith("PREPARE ")}


def _changed_protocols(session: Session) -> list[ProtocolRow] | None:
    """The protocols the ORM holds changed, in id order (as its flush would write them);
    None when it holds anything else to write, or a protocol's column is of a type JSON
    does not carry (`_update`)."""
    if session.new or session.deleted or not _all_carried(table_of(ProtocolRow)):
        return None
    found = list(session.dirty)
    if not all(type(row) is ProtocolRow for row in found):
        return None
    rows = [row for row in found if isinstance(row, ProtocolRow)]
    return sorted(rows, key=lambda row: row.id)


def _update(session: Session, statements: _Statements, rows: list[ProtocolRow]) -> None:
    """Write `rows`' changed columns as plain UPDATEs, one statement for each set of columns
    changed, its rows as one JSON parameter; the session forgets them, so
    that no flush writes them again. The rows were locked by the group (`opening`), so
    each row meets its UPDATE."""
    table = table_of(ProtocolRow)
    dialect = session.get_bind().dialect
    bound = _binding(table, dialect)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        state = inspect(row)
        names = tuple(  # set since loaded, to another value than it was loaded with
            sorted(
                key
                for key, was in state.committed_state.items()
                if key in bound and getattr(row, key) != was
            )
        )
        if names:
            changed = {name: bound[name](getattr(row, name)) for name in names}
            by_columns.setdefault(names, []).append({**changed, "id": row.id})
    for row in rows:
        session.expunge(row)  # written below: no flush of the session writes them again
    for names, changes in by_columns.items():  # SET: the columns each row's values name
        statements.add(_update_statement(table, names, dialect), (_json(changes),))


def _json(rows: list[dict[str, Any]]) -> str:
    """Rows as one JSON list of objects, for `json_populate_recordset`."""
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _rows_of(table: Table, dialect: Dialect) -> str:
    """The rows of one JSON parameter, each read as a row of `table` (its columns' types;
    a column a row leaves out is null), numbered in their order (`ordinality`)."""
    quoted = dialect.identifier_preparer.quote(table.name)
    return f"json_populate_recordset(NULL::{quoted}, %s) WITH ORDINALITY AS u"


@cache
def _update_statement(table: Table, names: tuple[str, ...], dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    setting = ", ".join(f"{quote(name)} = u.{quote(name)}" for name in names)
    return (
        f"UPDATE {quote(table.name)} AS t SET {setting} "
        f"FROM {_rows_of(table, dialect)} WHERE t.id = u.id"
    )


@cache
def _binding(table: Table, dialect: Dialect) -> dict[str, Callable[[Any], Any]]:
    """How each column of `table` binds a value for the driver: as its type does (a
    boolean checked and made one), else as it is."""
    found: dict[str, Callable[[Any], Any]] = {}
    for column in table.columns:
        process = column.type.bind_processor(dialect)
        found[column.name] = _as_is if process is None else process
    return found


def _as_is(value: Any) -> Any:
    return value


def _insert(
    session: Session, statements: _Statements, table: Table, rows: list[dict[str, Any]]
) -> None:
    """Insert `rows` into `table` in one statement, in their order, as SQLAlchemy's inline
    insert does: each value bound as its column binds it, a missing column with a scalar
    default given it. Rows that do not all name the same columns of the table, that leave
    out a column with another kind of default, or into a table with a column of a type JSON
    does not carry, go through SQLAlchemy's insert itself."""
    names = tuple(rows[0])
    how = _inserting(table, names, session.get_bind().dialect)
    if how is None or any(row.keys() != rows[0].keys() for row in rows):
        statements.send()  # those before it first, in their order
        session.execute(insert(table).inline(), rows)
        return
    statement, binding, defaults = how
    made = [{name: bind(row[name]) for name, bind in binding.items()} | defaults for row in rows]
    statements.add(statement, (_json(made),))


CARRIED = (bool, int, str, type(None))
"""What a JSON value carries exactly into a column of these tables: no float, no date."""


@cache
def _inserting(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[str, dict[str, Callable[[Any], Any]], dict[str, Any]] | None:
    """The driver's INSERT of `names` into `table` (the rows one JSON parameter, inserted
    in their order), each name's binding, and the values of the columns with a scalar
    default that `names` leave out; None when a name is not a column, a column left out has
    a default other than a scalar, or a column is not of a type JSON carries."""
    bound = _binding(table, dialect)
    if any(name not in bound for name in names):
        return None
    if not _all_carried(table):
        return None
    defaulted: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in names or default is None:
            continue
        if not (isinstance(default, ColumnDefault) and default.is_scalar):
            return None
        defaulted[column.name] = bound[column.name](default.arg)
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in (*names, *defaulted))
    values = ", ".join(f"u.{quote(name)}" for name in (*names, *defaulted))
    statement = (
        f"INSERT INTO {quote(table.name)} ({columns}) SELECT {values} "
        f"FROM {_rows_of(table, dialect)} ORDER BY u.ordinality"
    )
    return statement, {name: bound[name] for name in names}, defaulted


@cache
def _all_carried(table: Table) -> bool:
    """Whether every column of `table` is of a type JSON carries exactly (`CARRIED`)."""
    return all(_carried(column.type) for column in table.columns)


def _carried(kind: TypeEngine[Any]) -> bool:
    try:
        return kind.python_type in CARRIED
    except NotImplementedError:
        return False
