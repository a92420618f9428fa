"""What every endpoint needs: the service's settings, who is asking, and CSRF.

A client names itself by `Authorization: Bearer <token>` (scripts) or by the session
cookie (the browser). A cookie-borne request that writes must also carry the session's
CSRF token (the `X-CSRF-Token` header, or the form's `csrf` field): another site can make
a browser send the cookie, never the token.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from saylau.service.accounts import actor_for_token
from saylau.service.config import Settings
from saylau.service.errors import Forbidden, NotAuthenticated
from saylau.service.permissions import PUBLIC, Actor

COOKIE = "saylau_session"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Credentials:
    token: str | None
    via_cookie: bool


def settings_of(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def credentials(request: Request) -> Credentials:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return Credentials(header[7:].strip() or None, False)
    return Credentials(request.cookies.get(COOKIE) or None, True)


def csrf_token(settings: Settings, token: str) -> str:
    """The CSRF token of a session: an HMAC of its token under the service's secret."""
    return hmac.new(settings.secret, token.encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, creds: Credentials, given: str | None = None) -> None:
    """A write borne by the session cookie carries the session's CSRF token."""
    if request.method in SAFE or not creds.via_cookie or not creds.token:
        return
    sent = given or request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(sent, csrf_token(settings_of(request), creds.token)):
        raise Forbidden("the form is stale or forged: reload the page", code="csrf")


def actor(session: Session, creds: Credentials) -> Actor:
    """The user of a live session, or the public; a dead token given is a 401."""
    found = None if creds.token is None else actor_for_token(session, creds.token)
    return actor_of(creds, found)


def actor_of(creds: Credentials, found: Actor | None) -> Actor:
    """Who `creds` name, given the user their token's session belongs to (None: no live
    session): a dead cookie is the public, a dead bearer token a 401."""
    if creds.token is None:
        return PUBLIC
    if found is None:
        if creds.via_cookie:
            return PUBLIC
        raise NotAuthenticated("the session token is unknown or expired: log in again")
    return found


def address(request: Request) -> str:
    """The client's address. `X-Forwarded-For` is believed only from a proxy the settings
    trust, and then only up to the first address no trusted proxy holds (walking from the
    right: the entries to its left were written by the client, who may write anything)."""
    peer = request.client.host if request.client else "unknown"
    trusted = settings_of(request).trusted_proxies
    if peer not in trusted:
        return peer
    chain = [
        part.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for part in header.split(",")
    ]
    for hop in reversed(chain):
        if hop and hop not in trusted:
            return hop[:100]
    return peer
