"""A group commit's round trips on PostgreSQL: it opens with one query after its BEGIN
(sessions, locks) and closes with one (the rows waiting and the COMMIT); the live totals a
group changes go in as one change; a refused statement in the closing leaves no aborted
connection behind, and the statements it prepared known; and no connection goes back to
the pool inside a pipeline."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, event, func, insert, select, text

from saylau.service import audit
from saylau.service.api.common import write_as
from saylau.service.config import database_url
from saylau.service.db import canonical, dispose, engine_for, reading, writing
from saylau.service.deferred import DEFERRED, insert_rows, next_id
from saylau.service.election import loaded
from saylau.service.live import KEY, Change, batch_differences, in_one_row
from saylau.service.migrate import alembic_config
from saylau.service.models import AuditRow, ProtocolRow, TotalRow, TotalsPending, table_of
from saylau.service.trips import PREPARED, closing
from saylau.service.verification import verify_chain
from tests.service import postgres
from tests.service.test_group import creds, submit, together, verify
from tests.service.test_workflow import akmola


def _heads(query: Any, known: dict[str, str]) -> list[str]:
    """The first three words of each statement of a query the driver is sent; a prepared
    one's where it is run (`EXECUTE`), named by its text when it was prepared (`known`)."""
    found = []
    for part in str(query).split(";"):
        words = part.split()
        if words and words[0] == "PREPARE":
            known[words[1]] = " ".join(words[3:6])
        elif words and words[0] == "EXECUTE":
            found.append(known[words[1].partition("(")[0]])
        elif words:
            found.append(" ".join(words[:3]))
    return found


def test_a_group_closes_in_one_round_trip(pg_url: str, kz_protocols: Any, monkeypatch: Any) -> None:
    """Every insert of a group, every update of a protocol it verified and its COMMIT go
    to the server as one query, sent once; each table's rows in one statement; the totals
    that a group of verifications changes go in as one row."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(20, 26)]
    sent: list[list[str]] = []
    known: dict[str, str] = {}
    dispose(pg_url)  # every connection new: each statement is prepared where it is first run
    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany

    def one(cursor: psycopg.Cursor[Any], query: Any, *rest: Any, **named: Any) -> Any:
        sent.append(_heads(query, known))
        return execute(cursor, query, *rest, **named)

    def many(cursor: psycopg.Cursor[Any], query: Any, params: Any, **named: Any) -> Any:
        sent.append(["executemany: " + head for head in _heads(query, known)])
        return executemany(cursor, query, params, **named)

    monkeypatch.setattr(psycopg.Cursor, "execute", one)  # every query the driver is sent
    monkeypatch.setattr(psycopg.Cursor, "executemany", many)

    def closings() -> list[list[str]]:
        """The queries that committed; checked that nothing else wrote."""
        closed = [heads for heads in sent if "COMMIT" in heads]
        others = [h for heads in sent if "COMMIT" not in heads for h in heads]
        assert not [h for h in others if h.startswith(("INSERT", "UPDATE", "executemany"))]
        assert all(heads[-1] == "COMMIT" and heads.count("COMMIT") == 1 for heads in closed)
        return closed

    outcomes, sizes = together(pg_url, [(op1, submit(b)) for b in bodies], monkeypatch)
    assert sizes == [1, 5]
    closed = closings()
    assert len(closed) == 2, "two groups: one, then five, each closed by one query"
    assert all(heads.count("INSERT INTO protocols") == 1 for heads in closed), closed
    sent.clear()
    checks = [
        (op2, verify(o.protocol.id, b), (o.protocol.id,))
        for o, b in zip(outcomes, bodies, strict=True)
    ]
    verified, sizes = together(pg_url, checks, monkeypatch)
    assert sizes == [1, 5]
    closed = closings()
    assert len(closed) == 2, closed
    for heads in closed:
        assert heads.count("UPDATE protocols AS") == 1, "the verified protocols' updates too"
        assert heads.count("INSERT INTO totals_pending") == 1, "the group's totals in one row"
        tables = [h for h in heads if h.startswith("INSERT")]
        assert len(tables) == len(set(tables)), f"each table's rows in one statement: {heads}"
    assert [o.protocol.status for o in verified] == ["accepted"] * 6
    with reading(pg_url) as session:
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified


def test_a_group_opens_with_one_query_after_its_begin(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    """A group's reads at its opening, whose sessions its tokens are and the protocols it
    locks, go to the server as one query (after the driver's BEGIN), in no pipeline; the
    next group on the same connection runs them as prepared there, without preparing
    them again."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(40, 47)]
    outcomes, _ = together(pg_url, [(op1, submit(b)) for b in bodies], monkeypatch)
    sent: list[tuple[int, str]] = []
    piped: list[bool] = []
    execute, pipeline = psycopg.Cursor.execute, psycopg.Connection.pipeline

    def one(cursor: psycopg.Cursor[Any], query: Any, *rest: Any, **named: Any) -> Any:
        sent.append((id(cursor.connection), str(query)))
        return execute(cursor, query, *rest, **named)

    def piping(connection: psycopg.Connection[Any]) -> Any:
        piped.append(True)
        return pipeline(connection)

    monkeypatch.setattr(psycopg.Cursor, "execute", one)
    monkeypatch.setattr(psycopg.Connection, "pipeline", piping)
    dispose(pg_url)  # a new connection: its statements are prepared where first run
    checks = [
        (op2, verify(o.protocol.id, b), (o.protocol.id,))
        for o, b in zip(outcomes, bodies, strict=True)
    ]
    verified, sizes = together(pg_url, checks[:6], monkeypatch)
    assert sizes == [1, 5]
    verified.append(write_as(pg_url, *checks[6]))  # on a connection used before
    assert [o.protocol.status for o in verified] == ["accepted"] * 7
    known: dict[str, str] = {}
    openings = [
        (connection, heads, query.count("PREPARE "))
        for connection, query in sent
        for heads in [_heads(query, known)]
        if "SELECT s.token_hash, u.id," in heads
    ]
    assert len(openings) == 3, "one query a group opens with"
    for _, heads, _ in openings:
        assert heads == ["SELECT s.token_hash, u.id,", "SELECT id, station_id,"], heads
    seen: set[int] = set()
    for connection, _, preparing in openings:
        assert preparing == (0 if connection in seen else 2), "prepared once a connection"
        seen.add(connection)
    assert len(seen) < len(openings), "a connection opened a second group"
    assert piped == [], "no pipeline: its statements would each be flushed on their own"


def test_a_refusal_in_the_closing_leaves_no_aborted_connection(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    """A protocol entered twice in one group is refused only in the closing query:
    the group is undone, each write runs alone on a pooled connection, and every one of
    them works (none is left in an aborted transaction)."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(30, 33)]
    writes = [(op1, submit(b)) for b in bodies] + [(op2, submit(bodies[1]))]
    outcomes, sizes = together(pg_url, writes, monkeypatch)
    assert sizes == [1, -3]
    twice = [outcomes[1], outcomes[3]]  # alone, one after the other, in either order
    assert sorted(type(o).__name__ for o in twice) == ["Conflict", "Outcome"], twice
    assert [o.protocol.status for o in (outcomes[0], outcomes[2])] == ["entered"] * 2
    for n in range(33, 40):  # more than the writes that ran alone: every pooled connection
        assert write_as(pg_url, op1, submit(akmola(kz_protocols, n))).protocol.id
    with reading(pg_url) as session:
        assert session.scalar(select(func.count()).select_from(ProtocolRow)) == 10
        assert verify_chain(session).verified


def test_a_connection_goes_back_to_the_pool_only_once_out_of_its_pipeline(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    """A writer gives its connection back only once its closing pipeline has ended: given
    back at the COMMIT, inside the pipeline, it could be handed to the other writer while
    the first was still leaving the pipeline, two threads driving one connection."""
    given_back: list[bool] = []

    def checkin(dbapi_connection: Any, _record: Any) -> None:
        given_back.append(dbapi_connection._pipeline is None)

    engine = engine_for(database_url(pg_url), True)
    event.listen(engine, "checkin", checkin)
    try:
        op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
        bodies = [akmola(kz_protocols, n) for n in range(1, 5)]
        outcomes, sizes = together(pg_url, [(op1, submit(b)) for b in bodies], monkeypatch)
        assert sizes == [1, 3]
        checks = [
            (op2, verify(o.protocol.id, b), (o.protocol.id,))
            for o, b in zip(outcomes, bodies, strict=True)
        ]
        verified, sizes = together(pg_url, checks, monkeypatch)
        assert sizes == [1, 3]
    finally:
        event.remove(engine, "checkin", checkin)
    assert [o.protocol.status for o in verified] == ["accepted"] * 4
    assert len(given_back) >= 4 and all(given_back), given_back


names = st.sampled_from(["majilis-list", 'a "quoted" \\ name', "Ақмола", "x\ty"]) | st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20
)
change_of = st.builds(
    Change,
    names,
    st.integers(1, 2),
    st.lists(st.tuples(st.sampled_from(["district", "territory"]), names),
             min_size=1, max_size=3).map(tuple),
    st.dictionaries(st.sampled_from(["protocols", "line.1", "votes.x"]) | names,
                    st.integers(-(10**12), 10**12), min_size=1, max_size=4),
)  # fmt: skip


def _each_alone(changes: list[Change]) -> dict[tuple[Any, ...], int]:
    """Every total's change, added one item of one area of one change at a time."""
    found: dict[tuple[Any, ...], int] = {}
    for change in changes:
        for level, area in change.areas:
            for item, value in change.delta.items():
                key = (change.contest_id, change.round, level, area, item)
                found[key] = found.get(key, 0) + value
    return found


def _totals(url: str) -> dict[tuple[Any, ...], int]:
    with reading(url) as session:
        rows = session.execute(select(TotalRow))
        return {tuple(getattr(r, k) for k in KEY): r.value for (r,) in rows}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(change_of, min_size=1, max_size=6))
def test_the_commit_adds_to_each_total_what_the_changes_add(
    pg_url: str, changes: list[Change]
) -> None:
    """A transaction's changes of the totals wait as one row, and its COMMIT adds to each
    total what the changes one at a time would have added: a total they name and leave as
    it was is still there, and no other total moves (migration 0008)."""
    before = _totals(pg_url)
    with writing(pg_url) as session:
        rows = in_one_row([{"delta": change} for change in changes])
        assert len(rows) == 1
        session.execute(insert(table_of(TotalsPending)), rows)
    after = _totals(pg_url)
    added = _each_alone(changes)
    assert set(added) <= set(after), "every total named is there, a zero among them"
    moved = {key: after[key] - before.get(key, 0) for key in after}
    assert {key: value for key, value in moved.items() if value} == {
        key: value for key, value in added.items() if value
    }


def test_the_closing_writes_rows_as_the_orm_would(pg_url: str, kz_protocols: Any) -> None:
    """The rows a group leaves waiting are written by the driver as the ORM's insert would
    write them: a column left out gets its scalar default, and a boolean is bound as one."""
    made = write_as(pg_url, creds(pg_url, "op1"), submit(akmola(kz_protocols, 40))).protocol
    names = ("station_id", "contest_id", "data", "entered_by", "created_at")
    fields = {name: getattr(made, name) for name in names} | {"updated_at": made.created_at}
    fields |= {"version": 1, "status": "entered"}
    table = table_of(ProtocolRow)

    def closed(row: dict[str, Any]) -> None:
        with writing(pg_url) as session:
            session.info[DEFERRED] = []
            insert_rows(session, table, [{"id": next_id(session, table), **fields, **row}])
            closing(session)

    closed({"round": 2})
    closed({"round": 3, "counted": 1, "status": "accepted"})
    with reading(pg_url) as session:
        found = {r.round: r for r in session.scalars(select(ProtocolRow))}
    assert (found[2].counted, found[2].errors) == (False, "[]"), "the scalar defaults"
    assert found[3].counted is True, "1 bound as the boolean true, as the ORM binds it"


def test_a_closing_that_failed_leaves_the_statements_it_prepared_known(
    pg_url: str, kz_protocols: Any
) -> None:
    """A closing refused halfway has prepared some statements on its connection and not
    others, and its rollback keeps them: the next closing there runs the first as prepared
    (preparing it again would be refused) and prepares the others."""
    made = write_as(pg_url, creds(pg_url, "op1"), submit(akmola(kz_protocols, 41))).protocol
    names = ("station_id", "contest_id", "data", "entered_by", "created_at")
    fields = {name: getattr(made, name) for name in names} | {"updated_at": made.created_at}
    fields |= {"version": 1, "status": "entered", "round": 2}
    table = table_of(ProtocolRow)
    dispose(pg_url)

    def closed(held: Connection, protocol_id: int | None) -> None:
        with writing(pg_url, held) as session:
            session.info[DEFERRED] = []
            found = protocol_id or next_id(session, table)
            insert_rows(session, table, [{"id": found, **fields}])
            audit.append(session, actor="again", action="test", target="t", detail=None)
            closing(session)

    with engine_for(database_url(pg_url), True).connect() as held:
        with pytest.raises(psycopg.errors.UniqueViolation):
            closed(held, made.id)  # the protocols' insert prepared, refused; the rest not run
        assert len(held.connection.info[PREPARED]) == 1
        closed(held, None)
        assert len(held.connection.info[PREPARED]) == 2
    with reading(pg_url) as session:
        rounds = session.scalars(
            select(ProtocolRow.round).where(ProtocolRow.station_id == made.station_id)
        )
        assert sorted(rounds) == [1, 2]
        assert session.scalar(select(func.count()).where(AuditRow.actor == "again")) == 1


def test_the_closing_keeps_the_rows_order_and_their_values(pg_url: str) -> None:
    """A group's audit entries, all in one statement, are sealed in the order its writes
    made them; a value goes in exactly as given: text with quotes, backslashes, braces and
    letters of any script, and a null."""
    texts = ['a "quoted" \\ {brace}, comma', "Қазақстан — ünïcode", "'; DROP TABLE audit; --"]
    with writing(pg_url) as session:
        session.info[DEFERRED] = []
        for n, detail in enumerate([*texts, None]):
            audit.append(session, actor="order", action=f"test.{n}", target="t", detail=detail)
        closing(session)
    with reading(pg_url) as session:
        found = session.execute(
            select(AuditRow.action, AuditRow.detail)
            .where(AuditRow.actor == "order")
            .order_by(AuditRow.seq)
        ).all()
        chain = verify_chain(session)
    assert [action for action, _ in found] == ["test.0", "test.1", "test.2", "test.3"]
    assert [detail for _, detail in found] == [canonical(t) for t in [*texts, None]]
    assert chain.verified, chain.first


BY_TOTAL = (
    '[{"contest_id":"c","round":1,"level":"nation","area_id":"nation","item":"protocols",'
    '"value":2}]'
)
"""A change of the totals as migration 0002's trigger reads it: one JSON row a total."""


def _migrated(url: str, revision: str, direction: str = "upgrade") -> None:
    config = alembic_config(url)
    with engine_for(url, True).begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)


def _commit_pending(url: str, delta: str) -> None:
    with writing(url) as session:
        session.execute(insert(table_of(TotalsPending)), [{"delta": delta}])


def _settings(url: str) -> tuple[list[str] | None, list[str] | None]:
    """The totals trigger's own settings, and the totals table's storage settings."""
    with reading(url) as session:
        trigger = session.scalar(
            text("SELECT proconfig FROM pg_proc WHERE proname = 'saylau_seal_totals'")
        )
        table = session.scalar(text("SELECT reloptions FROM pg_class WHERE relname = 'totals'"))
        return trigger, table


def test_migration_0008_reads_changes_and_goes_back(pg_server: str) -> None:
    """Up to 0008 the COMMIT reads the changes themselves, its query never compiled, and
    the totals keep room for updates; back to 0007, one row a total again, as migration
    0002 wrote it."""
    url = postgres.new_database(pg_server)
    try:
        _migrated(url, "0007")
        _commit_pending(url, BY_TOTAL)
        _migrated(url, "0008")
        assert _settings(url) == (["jit=off"], ["fillfactor=50"])
        change = Change("c", 1, (("nation", "nation"), ("territory", "t")), {"protocols": 1})
        _commit_pending(url, in_one_row([{"delta": change}])[0]["delta"])
        _migrated(url, "0007", "downgrade")
        assert _settings(url) == (None, None)
        _commit_pending(url, BY_TOTAL)
        assert _totals(url) == {
            ("c", 1, "nation", "nation", "protocols"): 5,
            ("c", 1, "territory", "t", "protocols"): 1,
        }
    finally:
        dispose(url)
