"""Files only their owner may read: the service's secret and the audit key.

Each is made once and never replaced: written owner-only (0600) to a draft of its own,
synced, then linked into place in one step, so a process that finds the file finds it
whole, and two processes that make it at once keep the one made first. A file that
others may read, write or run is refused by its reader.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


def make_once(path: Path, text: str) -> bool:
    """Write `text` to `path` unless a file is there; whether this call made it."""
    if path.exists():
        return False
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.link(draft, path)  # never replaces a file another process made
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(draft)
    return True


def open_to_others(path: Path) -> str | None:
    """The file's mode as `ls -l` shows it, where others than its owner may read, write or
    run it; None where only its owner may."""
    mode = path.stat().st_mode
    return stat.filemode(mode) if mode & (stat.S_IRWXG | stat.S_IRWXO) else None
