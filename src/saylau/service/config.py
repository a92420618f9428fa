"""Settings from the environment: the database, the session key, the snapshot folder.

`SAYLAU_DATABASE_URL` chooses the database (PostgreSQL as `postgresql+psycopg://...`); by
default a SQLite file `saylau.db` in the working folder. `SAYLAU_SECRET` signs CSRF tokens;
without it a random key is made at start (sessions themselves are random tokens stored
hashed, so they survive a restart either way).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from saylau.errors import InputError

DEFAULT_URL = "sqlite:///saylau.db"
KINDS = ("sqlite:", "postgresql+psycopg:")
"""The databases Saylau stores on (`postgresql://` is read as the psycopg driver's)."""


def database_url(url: str | None = None) -> str:
    """The database URL: the one given, else `SAYLAU_DATABASE_URL`, else `saylau.db`."""
    found = url or os.environ.get("SAYLAU_DATABASE_URL") or DEFAULT_URL
    if found.startswith("postgresql://"):
        found = "postgresql+psycopg://" + found.removeprefix("postgresql://")
    if not found.startswith(KINDS):
        scheme = found.partition(":")[0][:40]  # never the rest: it may hold a password
        raise InputError(
            f"database URL of kind {scheme!r}: Saylau stores on SQLite (sqlite:///FILE) or "
            "PostgreSQL (postgresql://USER@HOST/NAME)"
        )
    return found


@dataclass(frozen=True)
class Settings:
    """What a running service needs to know."""

    url: str = field(default_factory=database_url)
    secret: bytes = field(
        default_factory=lambda: (os.environ.get("SAYLAU_SECRET") or secrets.token_hex(32)).encode()
    )
    snapshots: Path | None = None
    secure_cookies: bool = False
    """Mark cookies Secure (behind HTTPS); off for plain loopback HTTP."""
    login_limit: int = 5
    """Failed logins of one user name (or 4x that from one address) in `login_window`."""
    login_window: int = 300
    session_hours: int = 12
