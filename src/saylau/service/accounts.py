"""Accounts: argon2 password hashes, login sessions, limited logins.

A session is a random token; the database keeps only its SHA-256, so a copy of the
database opens no session. A failed login says only that the name or password is wrong,
whether or not the user exists, and takes the same argon2 time either way. Each try is
first counted (`service.throttle`: a growing delay per account and address), then the
password is checked outside any transaction, then the session is written. Passwords and
user names follow `service.passwords`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from saylau.service import audit, throttle
from saylau.service.config import Settings
from saylau.service.db import now, writing
from saylau.service.errors import Invalid, NotAuthenticated
from saylau.service.models import SessionRow, UserRow
from saylau.service.passwords import (
    MIN_PASSWORD,
    check_unlike,
    check_username,
    hash_password,
    normal,
    verify,
)
from saylau.service.permissions import Actor, check_commission

__all__ = ["MIN_PASSWORD", "NewPassword", "create_user", "login", "logout", "verify"]


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


@dataclass(frozen=True)
class NewPassword:
    """A password checked and hashed before the transaction that stores it."""

    username: str
    hash: str

    @classmethod
    def make(cls, username: str, password: str) -> NewPassword:
        """Slow (argon2): call it outside any transaction."""
        name = check_username(username)
        return cls(name, hash_password(password, name))


def create_user(
    session: Session,
    username: str,
    password: str | NewPassword,
    role: str,
    commission_id: str | None,
    *,
    by: str,
    commissions: set[str],
) -> UserRow:
    """A new account, audited as written by `by`. A password given as text is hashed here,
    inside the transaction: servers pass a `NewPassword` made before it."""
    name = check_username(username)
    if isinstance(password, str):
        password = NewPassword.make(name, password)
    elif password.username != name:
        raise Invalid("the password was checked for another user name")
    check_commission(role, commission_id, commissions)
    check_unlike(name, session.scalars(select(UserRow.username)))
    user = UserRow(
        username=name,
        password_hash=password.hash,
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


@dataclass(frozen=True)
class LoggedIn:
    token: str
    username: str
    role: str
    commission_id: str | None


def login(
    url: str, username: str, password: str, address: str, settings: Settings
) -> LoggedIn | None:
    """A new session for a correct name and password; None otherwise. Three steps: the try
    is counted (TooManyAttempts beyond the limits) in one short transaction, the password
    checked with none open, and the session written in another."""
    name = normal(username).strip()[:100]
    with writing(url) as session:
        throttle.reserve(session, name, address, settings)
        user = session.scalar(select(UserRow).where(UserRow.username == name))
        stored = user.password_hash if user is not None and user.active else None
    if not verify(stored, password):
        return None
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=settings.session_hours)
    with writing(url) as session:
        user = session.scalar(select(UserRow).where(UserRow.username == name))
        if user is None or not user.active or user.password_hash != stored:
            return None  # changed while the password was checked
        throttle.succeeded(session, name, address)
        opened = SessionRow(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now(),
            expires_at=expires.isoformat(timespec="microseconds"),
        )
        session.add(opened)
        audit.append(
            session,
            actor=user.username,
            action="session.login",
            target=f"user:{user.id}",
            detail={
                "address": address,
                "session": audit.session_digest(opened),  # a session no login opened is named
                "expires_at": opened.expires_at,
            },
            before=audit.digest(user_state(user)),
            after=audit.digest(user_state(user)),
        )
        return LoggedIn(token, user.username, user.role, user.commission_id)


LOGIN_FAILED = "wrong user name or password"


def refused() -> NotAuthenticated:
    """The one answer to a failed login, whether or not the user exists."""
    return NotAuthenticated(LOGIN_FAILED, code="login_failed")


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
    row = session.get(SessionRow, token_hash(token))
    if row is None:
        return
    user = session.get(UserRow, row.user_id)
    audit.append(  # the session's end, so that its row's absence is no deletion
        session,
        actor=user.username if user is not None else f"user:{row.user_id}",
        action="session.logout",
        target=f"user:{row.user_id}",
        detail={"session": audit.session_digest(row)},
        before=audit.digest(user_state(user)) if user is not None else audit.NOTHING,
        after=audit.digest(user_state(user)) if user is not None else audit.NOTHING,
    )
    session.execute(delete(SessionRow).where(SessionRow.token_hash == row.token_hash))
