"""Accounts: argon2 password hashes, login sessions, rate-limited logins.

A session is a random token; the database keeps only its SHA-256, so a copy of the
database opens no session. A failed login says only that the name or password is wrong,
whether or not the user exists, and takes the same argon2 time either way. More than
`login_limit` failures of one name, or four times that from one address, within
`login_window` seconds, refuse further attempts until the window passes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from saylau.service import audit
from saylau.service.config import Settings
from saylau.service.db import now
from saylau.service.errors import Conflict, Invalid, NotAuthenticated, TooManyAttempts
from saylau.service.models import LoginFailure, SessionRow, UserRow
from saylau.service.permissions import Actor, check_commission

HASHER = PasswordHasher()
_DUMMY = HASHER.hash("not a password of anyone")
MIN_PASSWORD = 10


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(user: UserRow) -> Actor:
    return Actor(user.id, user.username, user.role, user.commission_id)


def user_state(user: UserRow) -> dict[str, object]:
    """What an audit entry's hash covers of a user (never the password hash itself)."""
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "commission_id": user.commission_id,
        "active": user.active,
    }


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    commission_id: str | None,
    *,
    by: str,
    commissions: set[str],
) -> UserRow:
    """A new account, audited as written by `by`."""
    name = username.strip()
    if (
        not name
        or len(name) > 100
        or not name.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise Invalid("a user name is 1 to 100 letters, digits, '-', '_' or '.'")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters")
    check_commission(role, commission_id, commissions)
    if session.scalar(select(UserRow.id).where(UserRow.username == name)) is not None:
        raise Conflict(f"user {name} exists already")
    user = UserRow(
        username=name,
        password_hash=HASHER.hash(password),
        role=role,
        commission_id=commission_id or None,
        active=True,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    audit.append(
        session,
        actor=by,
        action="user.create",
        target=f"user:{user.id}",
        detail={"username": name, "role": role, "commission_id": commission_id},
        after=audit.digest(user_state(user)),
    )
    return user


def _since(settings: Settings) -> str:
    return (datetime.now(UTC) - timedelta(seconds=settings.login_window)).isoformat(
        timespec="microseconds"
    )


def login(
    session: Session, username: str, password: str, address: str, settings: Settings
) -> tuple[str, UserRow] | None:
    """A new session token for a correct name and password; None otherwise, the failure
    recorded (the caller commits it, then refuses with `LOGIN_FAILED`)."""
    since = _since(settings)
    by_name = session.scalar(
        select(func.count()).where(LoginFailure.username == username, LoginFailure.at >= since)
    )
    by_address = session.scalar(
        select(func.count()).where(LoginFailure.address == address, LoginFailure.at >= since)
    )
    if (by_name or 0) >= settings.login_limit or (by_address or 0) >= 4 * settings.login_limit:
        raise TooManyAttempts(
            f"too many failed logins: wait {settings.login_window // 60} minutes and try again"
        )
    user = session.scalar(select(UserRow).where(UserRow.username == username))
    if not _password_ok(user, password):
        session.add(LoginFailure(username=username[:100], address=address[:100], at=now()))
        return None
    assert user is not None
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=settings.session_hours)
    session.add(
        SessionRow(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now(),
            expires_at=expires.isoformat(timespec="microseconds"),
        )
    )
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    audit.append(
        session,
        actor=user.username,
        action="session.login",
        target=f"user:{user.id}",
        detail={"address": address},
        before=audit.digest(user_state(user)),
        after=audit.digest(user_state(user)),
    )
    return token, user


LOGIN_FAILED = "wrong user name or password"


def refused() -> NotAuthenticated:
    """The one answer to a failed login, whether or not the user exists."""
    return NotAuthenticated(LOGIN_FAILED, code="login_failed")


def _password_ok(user: UserRow | None, password: str) -> bool:
    """Argon2 runs whether or not the user exists, so timing tells nothing either."""
    try:
        HASHER.verify(user.password_hash if user and user.active else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None and user.active


def actor_for_token(session: Session, token: str | None) -> Actor | None:
    """The user a live session token belongs to; None for no token or a dead one (one
    query: every request asks it)."""
    if not token:
        return None
    return actors_for_tokens(session, [token]).get(token)


def actors_for_tokens(session: Session, tokens: list[str]) -> dict[str, Actor]:
    """The users that live session tokens belong to, in one query; dead tokens are left
    out."""
    by_hash = {token_hash(token): token for token in tokens}
    rows = session.execute(
        select(
            SessionRow.token_hash,
            UserRow.id,
            UserRow.username,
            UserRow.role,
            UserRow.commission_id,
        )
        .join(SessionRow, SessionRow.user_id == UserRow.id)
        .where(
            SessionRow.token_hash.in_(list(by_hash)),
            SessionRow.expires_at >= now(),
            UserRow.active,
        )
    )
    return {by_hash[row[0]]: Actor(row[1], row[2], row[3], row[4]) for row in rows}


def logout(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))
