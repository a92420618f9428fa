"""The ceiling's app (`service_ceiling.py`): the least a durable, audited submission can
cost in the service's own stack (FastAPI, uvicorn, psycopg, PostgreSQL).

Beside the service's no-op, written the same way, it has one write: `POST /api/protocols`
with the service's own body (`SubmitIn`). The handler is async (no thread pool), parses and
validates the body, and waits in this process's queue; one task takes everything waiting
(at most `MOST`) and writes it in one transaction, pipelined in one round trip: the
writers' session tokens looked up, the protocols inserted (ids drawn from the sequence a
thousand at a time), each one's audit entry chained inside the database, and, with
`CEILING_TOTALS=1`, the group's change of the district, territory and nation totals as one
upsert. Only after COMMIT is each write answered, so every acknowledgement is durable.
`POST /api/protocols/{id}/verify` (the service's `VerifyIn`) goes the same way: a group's
second entries compared with the first inside the database, the equal ones accepted, their
audit entries chained and the group's change of the counted totals upserted, all in one
round trip.

It leaves out what the service also does: the control relations, roles and scopes, entry
copies, client keys and the careful path, so its figure is an upper bound of what the
service could reach, not an alternative to it. Settings come from the environment:
`CEILING_URL` (a psycopg URL), `CEILING_PLACES` (a JSON file: station id -> [district,
territory]) and `CEILING_TOTALS`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from fastapi import FastAPI, HTTPException, Request

from saylau.service.api.schemas import Ok, SubmitIn, VerifyIn

MOST = 64
"""Writes in one transaction at most."""

SCHEMA = """
CREATE TABLE sessions (token text PRIMARY KEY, username text NOT NULL);
CREATE SEQUENCE protocol_ids INCREMENT BY 1000;
CREATE TABLE protocols (
    id integer PRIMARY KEY, station_id text NOT NULL, contest_id text NOT NULL,
    round integer NOT NULL, version integer NOT NULL, status text NOT NULL,
    data text NOT NULL, entered_by text NOT NULL, verified_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (station_id, contest_id, round, version));
CREATE TABLE audit (
    seq bigint PRIMARY KEY, prev_hash text NOT NULL, hash text NOT NULL,
    content_hash text NOT NULL, detail text NOT NULL);
CREATE TABLE audit_head (id integer PRIMARY KEY, seq bigint NOT NULL, hash text NOT NULL);
INSERT INTO audit_head VALUES (1, 0, repeat('0', 64));
CREATE TABLE totals (
    contest_id text, round integer, level text, area_id text, item text,
    value bigint NOT NULL, PRIMARY KEY (contest_id, round, level, area_id, item));
CREATE TABLE counted (LIKE totals INCLUDING ALL);
CREATE TABLE places (station_id text PRIMARY KEY, district_id text, territory_id text);
CREATE FUNCTION append_audit(details text[], contents text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE s bigint; h text; p text;
BEGIN
    SELECT seq, hash INTO s, h FROM audit_head WHERE id = 1 FOR UPDATE;
    FOR i IN 1 .. coalesce(array_length(details, 1), 0) LOOP
        s := s + 1;
        p := h;
        h := encode(sha256(convert_to(p || ':' || s || ':' || contents[i], 'UTF8')), 'hex');
        INSERT INTO audit VALUES (s, p, h, contents[i], details[i]);
    END LOOP;
    UPDATE audit_head SET seq = s, hash = h WHERE id = 1;
END $$;
"""
"""The tables, with the service's unique protocol key and its chain hash
(`sha256(prev ":" seq ":" content)`); `totals` of what is entered, `counted` of what is
accepted, and each station's district and territory (`places`)."""

VERIFY = """
WITH v AS (
    UPDATE protocols p SET verified_by = (SELECT username FROM sessions WHERE token = u.b),
        status = CASE WHEN p.data = u.d THEN 'accepted' ELSE 'mismatch' END
    FROM unnest(%s::int[], %s::text[], %s::text[]) AS u(i, d, b)
    WHERE p.id = u.i AND p.status = 'entered' AND p.entered_by <> (
        SELECT username FROM sessions WHERE token = u.b)
    RETURNING p.id, p.status, p.station_id, p.contest_id, p.round, p.data::jsonb AS data),
items AS (
    SELECT station_id, contest_id, round, 'protocols' AS item, 1::bigint AS value
    FROM v WHERE status = 'accepted'
    UNION ALL SELECT station_id, contest_id, round, 'line.' || key, value::text::bigint
    FROM v, jsonb_each(data -> 'lines') WHERE status = 'accepted'
    UNION ALL SELECT station_id, contest_id, round, 'votes.' || key, value::text::bigint
    FROM v, jsonb_each(data -> 'votes') WHERE status = 'accepted'),
counting AS (
    INSERT INTO counted
    SELECT i.contest_id, i.round, a.level, a.area, i.item, sum(i.value)
    FROM items i JOIN places USING (station_id), LATERAL (VALUES ('district', district_id),
        ('territory', territory_id), ('nation', '')) AS a(level, area)
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (contest_id, round, level, area_id, item)
    DO UPDATE SET value = counted.value + excluded.value)
SELECT id, status FROM v
"""
"""A group's second entries: each compared with the first inside the database, the equal
ones accepted and their change of the counted totals upserted, in one statement."""

Waiting = tuple[str, SubmitIn, "asyncio.Future[dict[str, Any]]"]
Checking = tuple[str, tuple[int, VerifyIn], "asyncio.Future[dict[str, Any]]"]

app = FastAPI()
_queue: list[Waiting | Checking] = []
_wake = asyncio.Event()
_ids: list[int] = [0, 0]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@app.get("/api/noop", response_model=Ok)
def noop() -> Ok:
    """The service's yardstick, as the service writes it (a sync endpoint)."""
    return Ok()


@app.get("/api/health", response_model=Ok)
def health() -> Ok:
    return Ok()


@app.post("/api/protocols", status_code=201)
async def submit(body: SubmitIn, request: Request) -> dict[str, Any]:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    _queue.append((token, body, answer))
    _wake.set()
    return await answer


@app.post("/api/protocols/{protocol_id}/verify", status_code=201)
async def verify(protocol_id: int, body: VerifyIn, request: Request) -> dict[str, Any]:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    _queue.append((token, (protocol_id, body), answer))
    _wake.set()
    return await answer


async def _next_ids(connection: psycopg.AsyncConnection[Any], count: int) -> list[int]:
    found: list[int] = []
    while len(found) < count:
        if _ids[0] >= _ids[1]:
            row = await (await connection.execute("SELECT nextval('protocol_ids')")).fetchone()
            assert row is not None
            _ids[0], _ids[1] = row[0], row[0] + 1000
        found.append(_ids[0])
        _ids[0] += 1
    return found


def _totals(group: list[Waiting], places: dict[str, list[str]]) -> list[list[Any]]:
    """The group's change of every total it touches, as upsert columns."""
    delta: dict[tuple[str, int, str, str, str], int] = {}
    for _, body, _ in group:
        district, territory = places[body.station_id]
        items = [("protocols", 1)]
        items += [(f"line.{k}", v) for k, v in body.values.lines.items()]
        items += [(f"votes.{k}", v) for k, v in body.values.votes.items()]
        for level, area in (("district", district), ("territory", territory), ("nation", "")):
            for item, value in items:
                key = (body.contest_id, body.round, level, area, item)
                delta[key] = delta.get(key, 0) + value
    keys = sorted(delta)
    return [[k[i] for k in keys] for i in range(5)] + [[delta[k] for k in keys]]


async def _write(
    connection: psycopg.AsyncConnection[Any], group: list[Waiting], places: dict[str, list[str]]
) -> list[int]:
    ids = await _next_ids(connection, len(group))
    at = time.time()
    datas = [_canonical(body.values.model_dump()) for _, body, _ in group]
    details = [
        _canonical({"station_id": b.station_id, "contest_id": b.contest_id, "round": b.round})
        for _, b, _ in group
    ]
    contents = [
        _sha(_canonical([at, "protocol.submit", f"protocol:{i}", detail, _sha(data)]))
        for i, detail, data in zip(ids, details, datas, strict=True)
    ]
    async with connection.pipeline(), connection.transaction():
        users = await connection.execute(
            "SELECT token, username FROM sessions WHERE token = ANY(%s)",
            ([token for token, _, _ in group],),
        )
        await connection.execute(
            "INSERT INTO protocols (id, station_id, contest_id, round, version, status, data,"
            " entered_by) SELECT i, s, c, r, 1, 'entered', d, (SELECT username FROM sessions"
            " WHERE token = b) FROM unnest(%s::int[],"
            " %s::text[], %s::text[], %s::int[], %s::text[], %s::text[]) AS u(i, s, c, r, d, b)",
            (
                ids,
                [b.station_id for _, b, _ in group],
                [b.contest_id for _, b, _ in group],
                [b.round for _, b, _ in group],
                datas,
                [token for token, _, _ in group],
            ),
        )
        await connection.execute("SELECT append_audit(%s::text[], %s::text[])", (details, contents))
        if places:
            await connection.execute(
                "INSERT INTO totals SELECT * FROM unnest(%s::text[], %s::int[], %s::text[],"
                " %s::text[], %s::text[], %s::bigint[]) ON CONFLICT (contest_id, round, level,"
                " area_id, item) DO UPDATE SET value = totals.value + excluded.value",
                _totals(group, places),
            )
        known = dict(await users.fetchall())
        if any(token not in known for token, _, _ in group):  # undoes the group's writes
            raise HTTPException(401, "not logged in")
    return ids


async def _check(
    connection: psycopg.AsyncConnection[Any], group: list[Checking]
) -> list[dict[str, Any]]:
    """A group's second entries in one pipelined transaction: compared, accepted and
    counted (`VERIFY`), each one's audit entry chained; their statuses."""
    at = time.time()
    ids = [pid for _, (pid, _), _ in group]
    datas = [_canonical(body.values.model_dump()) for _, (_, body), _ in group]
    details = [_canonical({"protocol_id": pid}) for pid in ids]
    contents = [
        _sha(_canonical([at, "protocol.verify", f"protocol:{i}", detail, _sha(data)]))
        for i, detail, data in zip(ids, details, datas, strict=True)
    ]
    async with connection.pipeline(), connection.transaction():
        checked = await connection.execute(VERIFY, (ids, datas, [t for t, _, _ in group]))
        await connection.execute("SELECT append_audit(%s::text[], %s::text[])", (details, contents))
        found = dict(await checked.fetchall())
        if len(found) != len(group):  # unknown, not entered, or the same user: undone
            raise HTTPException(409, "not a protocol another user may verify")
    return [{"id": pid, "status": found[pid]} for pid in ids]


async def _writer() -> None:
    connection = await psycopg.AsyncConnection.connect(os.environ["CEILING_URL"], autocommit=True)
    places: dict[str, list[str]] = {}
    if os.environ.get("CEILING_TOTALS"):
        with open(os.environ["CEILING_PLACES"], encoding="utf-8") as file:
            places = json.load(file)
    while True:
        await _wake.wait()
        _wake.clear()
        while _queue:
            taken = _queue[:MOST]
            del _queue[:MOST]
            entries: list[Waiting] = [w for w in taken if isinstance(w[1], SubmitIn)]
            checks: list[Checking] = [w for w in taken if isinstance(w[1], tuple)]
            if entries:
                await _answer(entries, _entered(connection, entries, places))
            if checks:
                await _answer(checks, _check(connection, checks))


async def _entered(
    connection: psycopg.AsyncConnection[Any], group: list[Waiting], places: dict[str, list[str]]
) -> list[dict[str, Any]]:
    return [{"id": made, "status": "entered"} for made in await _write(connection, group, places)]


async def _answer(
    group: list[Waiting] | list[Checking], written: Coroutine[Any, Any, list[dict[str, Any]]]
) -> None:
    """Write one group, then answer each of its writes, none twice."""
    try:
        answers = await written
    except Exception as exc:  # every write of the group is answered, none twice
        for _, _, answer in group:
            answer.set_exception(exc)
        return
    for (_, _, answer), found in zip(group, answers, strict=True):
        answer.set_result(found)


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    writer = asyncio.get_running_loop().create_task(_writer())
    yield
    writer.cancel()


app.router.lifespan_context = _lifespan
