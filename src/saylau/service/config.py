"""Settings from the environment: the database, the secret, the limits of logins and
requests, the proxies trusted to name a client's address.

`SAYLAU_DATABASE_URL` chooses the database (PostgreSQL as `postgresql+psycopg://...`); by
default a SQLite file `saylau.db` in the working folder. The secret signs CSRF tokens: it is
`SAYLAU_SECRET` if set, else the file `SAYLAU_SECRET_FILE` (by default `saylau.secret` in
the working folder), made once with owner-only permissions and read by every worker and
every restart after. `SAYLAU_TRUSTED_PROXIES` (comma-separated addresses) names the proxies
whose `X-Forwarded-For` is believed; by default none.

The login limits (`SAYLAU_LOGIN_*`, `service.throttle`), how often the running service signs
a checkpoint of the chain's head (`SAYLAU_CHECKPOINT_SECONDS`, `SAYLAU_CHECKPOINT_ENTRIES`,
`service.checkpoints`) and the bound on connections (`SAYLAU_MAX_CONNECTIONS`) are whole
numbers, each within its range (`LIMITS`); anything else is refused when the settings are
made, before the server takes a connection.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


LIMITS: dict[str, tuple[str, int, int, int]] = {
    # field: (environment variable, default, least, most)
    "login_limit": ("SAYLAU_LOGIN_LIMIT", 5, 1, 1000),
    "login_address_limit": ("SAYLAU_LOGIN_ADDRESS_LIMIT", 20, 1, 100_000),
    "login_account_limit": ("SAYLAU_LOGIN_ACCOUNT_LIMIT", 50, 1, 100_000),
    "login_delay": ("SAYLAU_LOGIN_DELAY", 30, 1, 86_400),
    "login_window": ("SAYLAU_LOGIN_WINDOW", 3600, 1, 7 * 86_400),
    "login_known_days": ("SAYLAU_LOGIN_KNOWN_DAYS", 30, 1, 365),
    "checkpoint_seconds": ("SAYLAU_CHECKPOINT_SECONDS", 10, 0, 86_400),
    "checkpoint_entries": ("SAYLAU_CHECKPOINT_ENTRIES", 1000, 1, 10**9),
    "max_connections": ("SAYLAU_MAX_CONNECTIONS", 500, 2, 100_000),
}
"""The whole-number settings: each one's environment variable, default and range."""


def whole(name: str) -> int:
    """The setting `name` (a key of `LIMITS`) from its environment variable, else its
    default; a value that is not a whole number in its range is refused."""
    variable, default, least, most = LIMITS[name]
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit() and len(text) < 12) or not (
        least <= int(text) <= most
    ):
        raise InputError(f"{variable}={text[:40]!r}: not a whole number from {least} to {most}")
    return int(text)


def _from_env(name: str) -> Any:
    return field(default_factory=lambda: whole(name))


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
    login_limit: int = _from_env("login_limit")
    """Tries of one user name at one address before each further try waits
    (`service.throttle`)."""
    login_address_limit: int = _from_env("login_address_limit")
    """Tries from one address, whatever the name, before each further try waits."""
    login_account_limit: int = _from_env("login_account_limit")
    """Tries of one account from addresses it has not logged in from lately."""
    login_delay: int = _from_env("login_delay")
    """Seconds the first try beyond a limit waits; each next one waits twice as long."""
    login_window: int = _from_env("login_window")
    """The longest wait, and how long after its last try a counter is forgotten (and its
    row deleted)."""
    login_known_days: int = _from_env("login_known_days")
    """Days an address a user logged in from stays theirs: its tries never count against
    the account."""
    checkpoint_seconds: int = _from_env("checkpoint_seconds")
    """A running service signs a checkpoint of the chain's head at most this many seconds
    after it moved (0: never; `service.checkpoints`)."""
    checkpoint_entries: int = _from_env("checkpoint_entries")
    """... or as soon as this many entries were added since the last checkpoint."""
    max_connections: int = _from_env("max_connections")
    """Connections and requests one server process serves at once; beyond, 503."""
    session_hours: int = 12
    trusted_proxies: tuple[str, ...] = field(default_factory=trusted_proxies)
    """Addresses whose `X-Forwarded-For` names the client; none by default."""
    max_body: int = MAX_BODY

    def __post_init__(self) -> None:
        for name, (variable, _, least, most) in LIMITS.items():
            value = getattr(self, name)
            if not least <= value <= most:
                raise InputError(f"{name} ({variable}) is {value}: from {least} to {most}")
        if self.login_window < self.login_delay:
            raise InputError(
                f"login_window ({self.login_window} s) is shorter than login_delay "
                f"({self.login_delay} s): a counter would be forgotten before its first wait ends"
            )
