"""Login limits: a growing delay per account and address, never a lock of the account.

Every attempt to log in first takes a try from three counters, in one short transaction
(rows locked on PostgreSQL, the database on SQLite, so parallel guesses queue for them):

- the **pair** of the user name and the address: `login_limit` tries, then each further
  try waits `login_delay` seconds, twice as long each time, at most `login_window`;
- the **address**, whatever the name: `login_address_limit` tries, then the same delays;
- the **account**, from any address where it has not logged in within `login_known_days`:
  `login_account_limit` tries, then the same delays. An address the user logged in from
  lately never counts against the account, so a guesser elsewhere cannot keep the real user
  out.

A counter is forgotten `login_window` seconds after its last try, and a successful login
clears its pair and its account. The password is checked (argon2, slow) only after that
transaction, outside any, so a flood of logins holds no lock while it hashes. `prune`
deletes the rows of counters forgotten and waiting for nothing, whose address is no
longer known (the running service does it on a schedule, `service.checkpoints`).

The settings are `Settings.login_*` (`service.config`, `SAYLAU_LOGIN_*`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from saylau.service.config import Settings
from saylau.service.errors import TooManyAttempts
from saylau.service.models import LoginLimit, table_of

NEVER = "1970-01-01T00:00:00.000000+00:00"


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Keys:
    pair: str
    address: str
    account: str

    @classmethod
    def of(cls, name: str, address: str) -> Keys:
        folded = name.casefold()[:100]
        return cls(f"pair:{folded}@{address[:100]}", f"address:{address[:100]}", f"user:{folded}")


def _row(session: Session, key: str) -> LoginLimit:
    """The counter `key`, made if new, locked until the transaction ends (PostgreSQL)."""
    table = table_of(LoginLimit)
    values = {"key": key, "tries": 0, "last": NEVER, "until": NEVER, "known": None}
    dialect = session.get_bind().dialect.name
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(maker(table).values(**values).on_conflict_do_nothing())
    found = session.scalar(
        select(LoginLimit)
        .where(LoginLimit.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


def _take(row: LoginLimit, allowed: int, at: datetime, settings: Settings) -> None:
    """One try from the counter, or TooManyAttempts saying how long to wait."""
    if datetime.fromisoformat(row.last) + timedelta(seconds=settings.login_window) <= at:
        row.tries = 0  # forgotten
    until = datetime.fromisoformat(row.until)
    if until > at:
        wait = int((until - at).total_seconds()) + 1
        raise TooManyAttempts(f"too many failed logins: wait {wait} seconds and try again")
    row.tries += 1
    row.last = _iso(at)
    beyond = row.tries - allowed
    if beyond >= 0:
        delay = min(settings.login_delay * 2 ** min(beyond, 30), settings.login_window)
        row.until = _iso(at + timedelta(seconds=delay))


def reserve(session: Session, name: str, address: str, settings: Settings) -> None:
    """Take a try from each counter of `name` at `address`; TooManyAttempts (and nothing
    taken: the caller's transaction is undone) if one has none left."""
    at = datetime.now(UTC)
    keys = Keys.of(name, address)
    pair = _row(session, keys.pair)
    _take(pair, settings.login_limit, at, settings)
    _take(_row(session, keys.address), settings.login_address_limit, at, settings)
    known = pair.known is not None and datetime.fromisoformat(pair.known) > at - timedelta(
        days=settings.login_known_days
    )
    if not known:
        _take(_row(session, keys.account), settings.login_account_limit, at, settings)


def succeeded(session: Session, name: str, address: str) -> None:
    """A correct password: its pair and account are cleared, its address known, and the
    address's try given back (rows locked in the order `reserve` locks them)."""
    keys = Keys.of(name, address)
    pair = _row(session, keys.pair)
    pair.tries, pair.until, pair.known = 0, NEVER, _iso(datetime.now(UTC))
    place = _row(session, keys.address)
    place.tries = max(place.tries - 1, 0)
    account = _row(session, keys.account)
    account.tries, account.until = 0, NEVER


def prune(session: Session, settings: Settings, at: datetime | None = None) -> int:
    """Delete the counters that decide nothing any more: last tried more than
    `login_window` seconds ago (forgotten), waiting for nothing, and not an address its
    user logged in from within `login_known_days`; how many. Rows another transaction
    holds are left for the next time (PostgreSQL: SKIP LOCKED), so pruning never waits."""
    at = at or datetime.now(UTC)
    forgotten = _iso(at - timedelta(seconds=settings.login_window))
    unknown = _iso(at - timedelta(days=settings.login_known_days))
    expired = select(LoginLimit.key).where(
        LoginLimit.last < forgotten,
        LoginLimit.until < _iso(at),
        or_(LoginLimit.known.is_(None), LoginLimit.known < unknown),
    )
    if session.get_bind().dialect.name == "postgresql":
        expired = expired.with_for_update(skip_locked=True)
    result = session.execute(
        delete(LoginLimit).where(LoginLimit.key.in_(expired.scalar_subquery()))
    )
    return int(getattr(result, "rowcount", 0) or 0)
