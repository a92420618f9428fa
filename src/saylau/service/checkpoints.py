"""The running service's keeper: a thread of `saylau serve`, off every request, that signs
the chain's head and prunes the login limits.

- **Heads.** Entries deleted from the end of the chain, with every row they wrote, leave a
  chain that verifies: nothing after them says they were there. A signed checkpoint of the
  head does (`sign_head`): once one covers an entry, its deletion is named.
  The keeper signs the head at most `checkpoint_seconds` after it moved, or as soon as
  `checkpoint_entries` entries were added since the last checkpoint, whichever comes first
  (`Settings`, `SAYLAU_CHECKPOINT_SECONDS`, `SAYLAU_CHECKPOINT_ENTRIES`), so what can go
  unnoticed is bounded by them. The latest signed head is public (`GET /api/audit/head`),
  and kept outside the database in `SAYLAU_AUDIT_HEAD_FILE` if it names a file, so that
  entries deleted together with the checkpoints that cover them are named too.
- **Login limits.** Every `PRUNE_SECONDS` the counters that decide nothing any more are
  deleted (`throttle.prune`).

Each is its own short transaction; a failure (the database away) is said on stderr and
tried again at the next turn.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service.config import Settings
from saylau.service.db import now, reading, writing
from saylau.service.models import AuditCheckpoint, AuditHead, AuditRow
from saylau.service.signing import Signer, head_file, head_message, keep_head, signer
from saylau.service.throttle import prune
from saylau.service.verification import HEAD, checkpoint_message


def sign_head(session: Session, key: Signer) -> AuditCheckpoint | None:
    """Keep the chain's head as a checkpoint signed by `key` (kind `head`: nothing
    verified), unless the last checkpoint holds it already; the one kept (the caller
    commits). Entries deleted at or before it are then named by every verification."""
    head = session.get(AuditHead, 1)
    last = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    if head is None or head.seq == 0 or (last is not None and last.seq == head.seq):
        return None
    fields: dict[str, Any] = {
        "seq": head.seq,
        "hash": head.hash,
        "at": now(),
        "verified": False,
        "problems": 0,
        "first_problem": None,
        "public_key": key.public.hex,
        "kind": HEAD,
    }
    fields["signature"] = key.sign(checkpoint_message(fields))
    point = AuditCheckpoint(**fields)
    session.add(point)
    session.flush()
    return point


_LATEST: dict[tuple[Any, ...], Any] = {}
"""The last checkpoint checked and the last head signed for `latest_head`: a public request
asked again and again costs no signature, and a checkpoint changed is checked again."""


def _checked(key: Signer, point: AuditCheckpoint) -> bool:
    found = ("checked", key.public.hex, checkpoint_message(point), point.signature)
    held = _LATEST.get(found)
    if held is None:
        held = key.public.verifies(found[2], point.signature)
        _LATEST.clear()
        _LATEST[found] = held
    return bool(held)


def _head_signature(key: Signer, seq: int, hash: str) -> str:
    found = ("head", key.public.hex, seq, hash)
    held = _LATEST.get(found)
    if held is None:
        held = _LATEST[found] = key.sign(head_message(seq, hash))
    return str(held)


def latest_head(session: Session) -> dict[str, Any] | None:
    """The latest head the audit key signed in a checkpoint (of either kind), signed again
    as a head (`SEQ:HASH:SIGNATURE`, what `--anchor` takes): what the service publishes,
    so that anyone may hold the chain to it later. None without a key or a checkpoint."""
    key = signer(make=False)
    if key is None:
        return None
    points = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(20))
    for point in points:
        if point.seq and point.public_key == key.public.hex and _checked(key, point):
            signature = _head_signature(key, point.seq, point.hash)
            return {
                "seq": point.seq,
                "hash": point.hash,
                "signature": signature,
                "public_key": key.public.hex,
                "at": point.at,
                "kind": point.kind,
                "anchor": f"{point.seq}:{point.hash}:{signature}",
            }
    return None


PRUNE_SECONDS = 60.0
"""How often the login limits are pruned."""


class Keeper:
    """Signs the chain's head on its timer and prunes the login limits (`tick`), in a
    thread of its own (`start`, `stop`)."""

    def __init__(
        self,
        settings: Settings,
        key: Signer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.key = key
        self.clock = clock
        self.signed: int | None = None
        """The seq of the last checkpoint, as last read or made."""
        self.moved_at: float | None = None
        """When the head was first seen past `signed`."""
        self.pruned_at: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> bool:
        """One turn: sign the head if it is due, prune if it is time; whether it signed."""
        moment = self.clock()
        if self.pruned_at is None or moment - self.pruned_at >= PRUNE_SECONDS:
            self.pruned_at = moment
            with writing(self.settings.url) as session:
                prune(session, self.settings)
        key = self.key or signer(make=False)
        if key is None or not self.settings.checkpoint_seconds:
            return False
        with reading(self.settings.url) as session:
            head = session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
            if self.signed is None:
                last = select(AuditCheckpoint.seq).order_by(AuditCheckpoint.id.desc()).limit(1)
                self.signed = session.scalar(last) or 0
        if head <= self.signed:
            self.moved_at = None
            return False
        if self.moved_at is None:
            self.moved_at = moment
        due = moment - self.moved_at >= self.settings.checkpoint_seconds
        if not due and head - self.signed < self.settings.checkpoint_entries:
            return False
        with writing(self.settings.url) as session:
            point = sign_head(session, key)
            self.signed = point.seq if point is not None else head
            genesis = session.scalar(select(AuditRow.hash).where(AuditRow.seq == 1))
        self.moved_at = None
        path = head_file()
        if point is not None and path is not None and genesis is not None:
            signature = key.sign(head_message(point.seq, point.hash))
            keep_head(path, genesis, f"{point.seq}:{point.hash}:{signature}")
        return point is not None

    def _run(self) -> None:
        seconds = self.settings.checkpoint_seconds
        wait = min(1.0, max(seconds / 4, 0.05)) if seconds else 1.0
        said = ""
        while not self._stop.wait(wait):
            try:
                self.tick()
                said = ""
            except Exception as exc:  # the database away: said once, and tried again
                first = (str(exc).splitlines() or [""])[0][:200]
                line = f"saylau keeper: {type(exc).__name__}: {first}"
                if line != said:
                    sys.stderr.write(line + "\n")
                said, self.signed = line, None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="saylau-keeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
