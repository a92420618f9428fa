"""The running service's keeper: a thread of `saylau serve`, off every request, that signs
the chain's head and prunes the login limits.

- **Heads.** Entries deleted from the end of the chain, with every row they wrote, leave a
  chain that verifies: nothing after them says they were there. A signed checkpoint of the
  head does (`verification.sign_head`): once one covers an entry, its deletion is named.
  The keeper signs the head at most `checkpoint_seconds` after it moved, or as soon as
  `checkpoint_entries` entries were added since the last checkpoint, whichever comes first
  (`Settings`, `SAYLAU_CHECKPOINT_SECONDS`, `SAYLAU_CHECKPOINT_ENTRIES`), so what can go
  unnoticed is bounded by them. The latest signed head is public (`GET /api/audit/head`).
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

from sqlalchemy import select

from saylau.service.config import Settings
from saylau.service.db import reading, writing
from saylau.service.models import AuditCheckpoint, AuditHead
from saylau.service.signing import Signer, signer
from saylau.service.throttle import prune
from saylau.service.verification import sign_head

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
        now = self.clock()
        if self.pruned_at is None or now - self.pruned_at >= PRUNE_SECONDS:
            self.pruned_at = now
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
            self.moved_at = now
        due = now - self.moved_at >= self.settings.checkpoint_seconds
        if not due and head - self.signed < self.settings.checkpoint_entries:
            return False
        with writing(self.settings.url) as session:
            point = sign_head(session, key)
            self.signed = point.seq if point is not None else head
        self.moved_at = None
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
