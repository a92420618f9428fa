"""Settings from the environment: the database, the secret, the limits of logins and
requests, the proxies trusted to name a client's address.

`SAYLAU_DATABASE_URL` chooses the database (PostgreSQL as `postgresql+psycopg://...`); by
default a SQLite file `saylau.db` in the working folder. The secret signs CSRF tokens: it is
`SAYLAU_SECRET` if set, else the file `SAYLAU_SECRET_FILE` (by default `saylau.secret` in
the working folder), made once with owner-only permissions and read by every worker and
every restart after. `SAYLAU_TRUSTED_PROXIES` (comma-separated addresses) names the proxies
whose `X-Forwarded-For` is believed; by default none.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from saylau.errors import InputError
from saylau.service.owner_file import make_once, open_to_others

DEFAULT_URL = "sqlite:///saylau.db"
DEFAULT_SECRET_FILE = "saylau.secret"
MAX_BODY = 64 * 1024
"""The largest request body read, in bytes: a protocol is a few kilobytes."""
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


def secret_file(path: str | Path | None = None) -> Path:
    """Where the secret is kept: the path given, else `SAYLAU_SECRET_FILE`, else
    `saylau.secret` in the working folder."""
    return Path(path or os.environ.get("SAYLAU_SECRET_FILE") or DEFAULT_SECRET_FILE)


def load_secret(path: str | Path | None = None) -> bytes:
    """The service's secret: `SAYLAU_SECRET`, else the secret file's, made once (owner-only,
    written whole before it appears, so workers starting together all read the one made
    first). A file others may read or write is refused."""
    given = os.environ.get("SAYLAU_SECRET")
    if given:
        return given.encode()
    where = secret_file(path)
    try:
        make_once(where, secrets.token_hex(32) + "\n")
    except OSError as exc:
        raise InputError(f"cannot make the secret file {where}: {exc.strerror}") from None
    try:
        mode = open_to_others(where)
        if mode is not None:
            raise InputError(
                f"the secret file {where} may be read by others (mode {mode}): chmod 600 {where}"
            )
        found = where.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the secret file {where}: {exc}") from None
    if len(found) < 32:
        raise InputError(f"the secret file {where} holds fewer than 32 characters")
    return found.encode()


def trusted_proxies() -> tuple[str, ...]:
    """`SAYLAU_TRUSTED_PROXIES`, split at commas."""
    said = os.environ.get("SAYLAU_TRUSTED_PROXIES", "")
    return tuple(part.strip() for part in said.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """What a running service needs to know."""

    url: str = field(default_factory=database_url)
    secret: bytes = b""
    """Signs CSRF tokens; empty: `load_secret()` when the app is made."""
    snapshots: Path | None = None
    secure_cookies: bool = False
    """Mark cookies Secure (behind HTTPS); off for plain loopback HTTP."""
    login_limit: int = 5
    """Tries of one user name at one address before each further try waits (four times
    that from one address, ten times that of one account from addresses it has not
    logged in from): `service.throttle`."""
    login_delay: int = 30
    """Seconds the first try beyond a limit waits; each next one waits twice as long."""
    login_window: int = 3600
    """The longest wait, and how long after its last try a counter is forgotten."""
    session_hours: int = 12
    trusted_proxies: tuple[str, ...] = field(default_factory=trusted_proxies)
    """Addresses whose `X-Forwarded-For` names the client; none by default."""
    max_body: int = MAX_BODY
