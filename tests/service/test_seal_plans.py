"""On PostgreSQL the seal triggers' deletes from `audit_pending` and `totals_pending` keep
to the primary key's index, even once a VACUUM has left a pending table empty and cut to no
pages: the planner then judges a scan of the whole table cheaper, and the trigger would
scan every dead row left since, while it holds the audit chain's head (migration 0010)."""

from __future__ import annotations

import time
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from saylau.service.api.common import write_as
from saylau.service.db import dispose
from tests.service.test_group import creds, submit, verify
from tests.service.test_group_trips import _migrated
from tests.service.test_workflow import akmola

SEALS = ("saylau_seal_audit", "saylau_seal_totals")

PENDING = ("audit_pending", "totals_pending")


def _driver(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def _emptied(driver: str) -> None:
    """Both pending tables vacuumed: empty, no pages, planned as such."""
    with psycopg.connect(driver, autocommit=True) as db:
        for table in PENDING:
            db.execute(f"VACUUM (ANALYZE) {table}")
        pages = db.execute(
            "SELECT relname, relpages, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [list(PENDING)],
        ).fetchall()
    assert sorted(pages) == [(t, 0, 0) for t in sorted(PENDING)]


def _scans(driver: str) -> dict[str, tuple[int, int]]:
    """Each pending table's sequential and index scans so far."""
    with psycopg.connect(driver, autocommit=True) as db:
        found = db.execute(
            "SELECT relname, seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s)",
            [list(PENDING)],
        ).fetchall()
    return {name: (seq, index) for name, seq, index in found}


def _counted(url: str, before: dict[str, tuple[int, int]], least: int) -> Any:
    """The scans once the service's connections have closed, and so reported their counts,
    and at least `least` more scans of each table show."""
    dispose(url)
    driver, deadline = _driver(url), time.monotonic() + 20
    while True:
        found = _scans(driver)
        more = [sum(found[t]) - sum(before[t]) for t in PENDING]
        if min(more) >= least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _writes(url: str, kz_protocols: Any, first: int, many: int) -> None:
    """`many` protocols submitted and verified, one commit each: each commit seals an audit
    entry, and each verification changes the totals."""
    op1, op2 = creds(url, "op1"), creds(url, "op2")
    for n in range(first, first + many):
        body = akmola(kz_protocols, n)
        made = write_as(url, op1, submit(body)).protocol
        write_as(url, op2, verify(made.id, body), (made.id,))


def _scanned(url: str, kz_protocols: Any) -> dict[str, tuple[int, int]]:
    """The scans of each pending table by eight commits of each kind made after a VACUUM
    has emptied both."""
    driver = _driver(url)
    _writes(url, kz_protocols, 0, 2)
    _emptied(driver)
    before = _scans(driver)
    _writes(url, kz_protocols, 2, 8)
    after = _counted(url, before, 8)
    return {t: (after[t][0] - before[t][0], after[t][1] - before[t][1]) for t in PENDING}


def _settings(url: str) -> dict[str, list[str] | None]:
    with psycopg.connect(_driver(url)) as db:
        found = db.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE proname = ANY(%s)", [list(SEALS)]
        ).fetchall()
    return dict(found)


def test_emptied_pending_tables_are_still_read_by_their_index(
    pg_url: str, kz_protocols: Any
) -> None:
    for table, (whole, by_index) in _scanned(pg_url, kz_protocols).items():
        assert whole == 0, f"{table} scanned whole {whole} times"
        assert by_index >= 8, f"{table}: its index used {by_index} times"


def test_without_the_setting_the_emptied_tables_are_scanned_whole(
    pg_url: str, kz_protocols: Any
) -> None:
    """The test above would catch the plan: below migration 0010 it is a scan. The
    migration's way down and up again."""
    dispose(pg_url)
    _migrated(pg_url, "0009", "downgrade")
    assert _settings(pg_url) == {"saylau_seal_audit": None, "saylau_seal_totals": ["jit=off"]}
    for table, (whole, _) in _scanned(pg_url, kz_protocols).items():
        assert whole > 0, f"{table} not scanned whole"
    _migrated(pg_url, "head")
    assert _settings(pg_url) == {
        "saylau_seal_audit": ["enable_seqscan=off"],
        "saylau_seal_totals": ["jit=off", "enable_seqscan=off"],
    }
