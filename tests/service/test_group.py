"""Group commit on PostgreSQL: writes that arrive together are committed together, and each
gets what it would get alone, its refusal included; a group that cannot keep one of its
writes is undone, and each write runs again alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from saylau.service import accounts, steps, workflow
from saylau.service import group as group_commit
from saylau.service.api.common import write_as
from saylau.service.api.deps import Credentials
from saylau.service.config import Settings
from saylau.service.db import reading, writing
from saylau.service.deferred import DEFERRED, insert_rows, waiting
from saylau.service.election import loaded
from saylau.service.errors import Conflict, Forbidden, Invalid, ServiceError
from saylau.service.group import Group, group_of
from saylau.service.live import batch_differences
from saylau.service.models import EntryCopy, ProtocolRow, StationRow, table_of
from saylau.service.permissions import Actor
from saylau.service.protocols import Values
from saylau.service.verification import verify_chain
from tests.service.conftest import PASSWORD
from tests.service.test_workflow import akmola

Work = Callable[[Session, Actor], workflow.Outcome]


def creds(url: str, name: str) -> Credentials:
    found = accounts.login(url, name, PASSWORD, "test", Settings(url=url))
    assert found is not None
    return Credentials(found.token, False)


def submit(body: dict[str, Any], round: int = 1, key: str | None = None) -> Work:
    values = Values.model_validate(body["values"])

    def work(session: Session, who: Actor) -> workflow.Outcome:
        return workflow.submit(
            session,
            loaded(session),
            who,
            station_id=body["station_id"],
            contest_id="majilis-list",
            round=round,
            values=values,
            client_key=key,
        )

    return work


def verify(protocol_id: int, body: dict[str, Any]) -> Work:
    values = Values.model_validate(body["values"])

    def work(session: Session, who: Actor) -> workflow.Outcome:
        return workflow.verify(session, loaded(session), who, protocol_id, values, None)

    return work


def together(url: str, writes: list[tuple[Credentials, Work]], monkeypatch: Any) -> list[Any]:
    """Run `writes` at once; the first commit waits until every other write waits behind it
    (the other writer waits for its turn), so they make one group. Each write's outcome or
    refusal, and the sizes of the groups in the order they took their turns (negative:
    undone)."""
    group = group_of(url)
    sizes: list[int] = []
    commit = Group._commit
    leading = threading.Event()

    def held(self: Group, writes_of_group: list[Any]) -> None:
        turn = len(sizes)
        sizes.append(len(writes_of_group))
        if not leading.is_set():
            leading.set()
            deadline = time.monotonic() + 30
            while len(self._waiting) < len(writes) - 1 and time.monotonic() < deadline:
                time.sleep(0.01)
        try:
            commit(self, writes_of_group)
        except Exception:
            sizes[turn] = -len(writes_of_group)  # undone
            raise

    monkeypatch.setattr(group, "_commit", held.__get__(group))

    def one(write: tuple[Credentials, Work]) -> Any:
        try:
            return write_as(url, *write)
        except ServiceError as exc:
            return exc

    with ThreadPoolExecutor(len(writes)) as pool:
        first = pool.submit(one, writes[0])
        assert leading.wait(30), "the first write never began to commit"
        found = [first, *(pool.submit(one, w) for w in writes[1:])]
        outcomes = [f.result() for f in found]
    monkeypatch.setattr(group, "_commit", commit.__get__(group))
    return [outcomes, sizes]


def test_a_group_gives_each_write_what_it_would_get_alone(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    op1, op2, other = (creds(pg_url, n) for n in ("op1", "op2", "op-other"))
    bodies = [akmola(kz_protocols, n) for n in range(10)]
    writes = [(op1, submit(b, key=f"g{n}")) for n, b in enumerate(bodies[:8])]
    writes += [(other, submit(bodies[8])), (op1, submit(bodies[9], round=5))]
    outcomes, sizes = together(pg_url, writes, monkeypatch)
    assert sizes == [1, 9], "the first write, then all the others in one group"
    assert [o.protocol.status for o in outcomes[:8]] == ["entered"] * 8
    assert isinstance(outcomes[8], Forbidden) and isinstance(outcomes[9], Invalid)
    with reading(pg_url) as session:
        assert session.scalar(select(func.count()).select_from(ProtocolRow)) == 8
        keys = set(session.scalars(select(EntryCopy.client_key)))
        assert keys == {f"g{n}" for n in range(8)}
        assert verify_chain(session).verified
    again = write_as(pg_url, op1, submit(bodies[3], key="g3"))
    assert again.replayed and again.protocol.id == outcomes[3].protocol.id

    checks = [
        (op2, verify(o.protocol.id, b)) for o, b in zip(outcomes[:8], bodies[:8], strict=True)
    ]
    checks.append((op1, verify(outcomes[0].protocol.id, bodies[0])))  # already accepted
    verified, sizes = together(pg_url, checks, monkeypatch)
    assert sizes == [1, 8]
    assert [o.protocol.status for o in verified[:8]] == ["accepted"] * 8
    assert isinstance(verified[8], Conflict), verified[8]
    with reading(pg_url) as session:
        assert batch_differences(session, loaded(session)) == []
        counted = select(func.count()).select_from(ProtocolRow).where(ProtocolRow.counted)
        assert session.scalar(counted) == 8
        assert verify_chain(session).verified


def test_a_group_that_cannot_keep_a_write_is_undone_and_each_runs_alone(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(12, 16)]
    writes = [(op1, submit(b, key=f"u{n}")) for n, b in enumerate(bodies)]
    writes.append((op2, submit(bodies[0], key="twice")))  # the first one's protocol again
    outcomes, sizes = together(pg_url, writes, monkeypatch)
    assert sizes == [1, -4], sizes  # the group of four was undone: a unique constraint
    assert [o.protocol.status for o in outcomes[:4]] == ["entered"] * 4
    assert isinstance(outcomes[4], Conflict) and outcomes[4].code == "protocol_exists"
    with reading(pg_url) as session:
        rows = session.scalars(select(ProtocolRow.station_id).order_by(ProtocolRow.id))
        assert sorted(rows) == sorted(b["station_id"] for b in bodies)
        assert set(session.scalars(select(EntryCopy.client_key))) == {f"u{n}" for n in range(4)}
        assert verify_chain(session).verified


def test_rows_waiting_in_a_group_go_in_before_a_read_of_their_table(
    pg_url: str, kz_protocols: Any
) -> None:
    op1 = creds(pg_url, "op1")
    made = write_as(pg_url, op1, submit(akmola(kz_protocols, 20), key="w1")).protocol
    with writing(pg_url) as session:
        session.info[DEFERRED] = []
        row = {"protocol_id": made.id, "kind": "second", "data": made.data}
        row |= {"entered_by": made.entered_by, "client_key": "w2", "created_at": made.created_at}
        insert_rows(session, table_of(EntryCopy), [row])
        assert waiting(session) == 1
        session.execute(select(StationRow.district_id).limit(1)).all()
        assert waiting(session) == 1, "a read of another table leaves the rows waiting"
        keys = set(session.scalars(select(EntryCopy.client_key)))
        assert keys == {"w1", "w2"} and waiting(session) == 0
        session.rollback()


def test_a_group_inserts_a_table_before_those_that_refer_to_it(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    """A verification made first in a group leaves its entry copy waiting before a later
    submission's protocol: the protocols still go in first, with ids from the sequence."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(30, 36)]
    entered = [write_as(pg_url, op1, submit(b)).protocol for b in bodies[:2]]
    writes = [(op1, submit(bodies[2]))]
    for made, body, new in zip(entered, bodies[:2], bodies[3:5], strict=True):
        writes += [(op2, verify(made.id, body)), (op1, submit(new, key=new["station_id"]))]
    outcomes, sizes = together(pg_url, writes, monkeypatch)
    assert sizes == [1, 4], "the group of four committed, not undone"
    assert [o.protocol.status for o in outcomes] == ["entered", "accepted"] * 2 + ["entered"]
    ids = [o.protocol.id for o in outcomes]
    assert len(set(ids)) == 5, "three new ids, each once, and the two verified"
    with reading(pg_url) as session:
        stored = {r.id: r.station_id for r in session.scalars(select(ProtocolRow))}
        for outcome in outcomes:
            assert stored[outcome.protocol.id] == outcome.protocol.station_id
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified


def test_ids_drawn_before_a_restore_are_forgotten_when_one_collides(
    pg_url: str, kz_protocols: Any
) -> None:
    """A database put back behind the server's back may hold the ids of its block: the group
    that meets one is undone, its write runs alone, and the next id comes from a new block."""
    op1 = creds(pg_url, "op1")
    bodies = [akmola(kz_protocols, n) for n in range(40, 43)]
    first = write_as(pg_url, op1, submit(bodies[0])).protocol
    taken = first.id + 1  # the next id of this process's block
    with writing(pg_url) as session:  # as a restore would: the id is taken, the sequence on
        stored = session.get(ProtocolRow, first.id)
        assert stored is not None
        fields = {c.name: getattr(stored, c.name) for c in table_of(ProtocolRow).columns}
        session.execute(
            table_of(ProtocolRow).insert(),
            [{**fields, "id": taken, "version": 2, "reason": "restored"}],
        )
        session.execute(text("SELECT setval(pg_get_serial_sequence('protocols', 'id'), :n)"),
                        {"n": taken + 1000})  # fmt: skip
    second = write_as(pg_url, op1, submit(bodies[1])).protocol
    assert second.status == "entered" and second.id == taken + 1001, "alone, by the sequence"
    third = write_as(pg_url, op1, submit(bodies[2])).protocol
    assert third.id > second.id, "from a new block, not the rest of the old one"
    with writing(pg_url) as session:  # the restored row has no audit entry: it goes again
        session.execute(table_of(ProtocolRow).delete().where(ProtocolRow.id == taken))
    with reading(pg_url) as session:
        assert verify_chain(session).verified


def test_the_protocols_a_group_names_are_locked_once_and_a_refusal_that_changed_one_undoes_it(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    """The verifications of a group lock their protocols in one query, and their changes
    wait for one flush before the commit; a later write that changes such a row and then
    refuses cannot be kept apart from them: the group is undone, each write runs alone, and
    the refused change is nowhere."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(50, 53)]
    made = [write_as(pg_url, op1, submit(b)).protocol for b in bodies]

    seen: list[str] = []

    def meddle(session: Session, who: Actor) -> workflow.Outcome:
        row = steps.locked(session, made[1].id)
        seen.append(row.status)
        row.reason = "meddled"
        raise Invalid("refused after changing a row")

    locking: list[list[int]] = []
    opening = group_commit.opening

    def spied(session: Session, tokens: list[str], ids: list[int]) -> dict[str, Actor]:
        locking.append(ids)
        return opening(session, tokens, ids)

    monkeypatch.setattr(group_commit, "opening", spied)
    first: list[Any] = [(op2, verify(made[0].id, bodies[0]), (made[0].id,))]
    writes = first + [(op2, verify(made[n].id, bodies[n]), (made[n].id,)) for n in (2, 1)]
    outcomes, sizes = together(pg_url, [*writes, (op2, meddle, (made[1].id,))], monkeypatch)
    assert sizes == [1, -3], sizes
    assert seen[0] == "accepted", "in the group: the verification's change, not yet flushed"
    assert sorted(made[1].id in ids and made[2].id in ids for ids in locking) == [False, True]
    assert [o.protocol.status for o in outcomes[:3]] == ["accepted"] * 3
    assert isinstance(outcomes[3], Invalid), outcomes[3]
    with reading(pg_url) as session:
        assert (
            session.scalar(select(ProtocolRow.reason).where(ProtocolRow.id == made[1].id)) is None
        )
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified


def test_a_group_opens_while_the_one_before_it_closes_and_waits_for_the_rows_it_holds(
    pg_url: str, kz_protocols: Any, monkeypatch: Any
) -> None:
    """Two writers of one process: the next group opens while the group before it commits.
    A protocol both name is locked by the first until its COMMIT; the second reads it only
    then, as the first left it: a verification of a protocol the first group accepted is
    refused, and nothing is counted twice."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    bodies = [akmola(kz_protocols, n) for n in range(60, 62)]
    made = [write_as(pg_url, op1, submit(b)).protocol for b in bodies]
    seen: list[str] = []
    second_opens = threading.Event()
    opening, closing = group_commit.opening, group_commit.closing

    def spied_opening(session: Session, tokens: list[str], ids: list[int]) -> dict[str, Actor]:
        if made[0].id not in ids:
            return opening(session, tokens, ids)
        if seen:  # the second group
            seen.append("second opens")
            second_opens.set()
        found = opening(session, tokens, ids)
        held = session.info[steps.LOCKED][made[0].id]
        seen.append(f"{'second' if len(seen) > 1 else 'first'} opened: {held.status}")
        return found

    def spied_closing(session: Session) -> None:
        if "first closes" not in seen:
            seen.append("first closes")
            second_opens.wait(30)  # the COMMIT waits until the next group has opened
        closing(session)

    monkeypatch.setattr(group_commit, "opening", spied_opening)
    monkeypatch.setattr(group_commit, "closing", spied_closing)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(write_as, pg_url, op2, verify(made[0].id, bodies[0]), (made[0].id,))
        deadline = time.monotonic() + 30
        while "first closes" not in seen and time.monotonic() < deadline:
            time.sleep(0.01)

        def again() -> Any:
            try:
                return write_as(pg_url, op2, verify(made[0].id, bodies[0]), (made[0].id,))
            except ServiceError as exc:
                return exc

        second = pool.submit(again)
        accepted, refused = first.result(60), second.result(60)
    assert seen == [
        "first opened: entered",
        "first closes",
        "second opens",  # beside the first's COMMIT; its lock waits for that COMMIT
        "second opened: accepted",
    ]
    assert accepted.protocol.status == "accepted"
    assert isinstance(refused, Conflict), refused
    checks = [(op2, verify(made[1].id, bodies[1]), (made[1].id,))]
    assert write_as(pg_url, *checks[0]).protocol.status == "accepted"
    with reading(pg_url) as session:
        counted = select(func.count()).select_from(ProtocolRow).where(ProtocolRow.counted)
        assert session.scalar(counted) == 2
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified
