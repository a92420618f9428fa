"""The session: log in (a token, also set as a cookie, and its CSRF token), log out."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from saylau.service import accounts
from saylau.service.api.common import ERRORS, write
from saylau.service.api.deps import COOKIE, address, credentials, csrf_token, settings_of
from saylau.service.api.schemas import LoginIn, Ok, SessionOut
from saylau.service.permissions import Actor

router = APIRouter(prefix="/api", tags=["session"], responses=ERRORS)


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


@router.post("/session", response_model=SessionOut)
def login(body: LoginIn, request: Request, response: Response) -> SessionOut:
    """Log in: a session token (also set as an HttpOnly, SameSite cookie) and its CSRF token."""
    settings = settings_of(request)
    found = accounts.login(settings.url, body.username, body.password, address(request), settings)
    if found is None:
        raise accounts.refused()
    set_session_cookie(response, found.token, settings.secure_cookies)
    return SessionOut(
        token=found.token,
        username=found.username,
        role=found.role,
        commission_id=found.commission_id,
        csrf=csrf_token(settings, found.token),
    )


@router.delete("/session", response_model=Ok)
def logout(request: Request, response: Response) -> Ok:
    """End the session (a cookie-borne request carries the CSRF token; without it the
    session stays, and so does its cookie)."""
    creds = credentials(request)

    def work(session: Session, who: Actor) -> Ok:
        if creds.token:
            accounts.logout(session, creds.token)
        return Ok()

    found = write(request, work)
    response.delete_cookie(COOKIE, path="/")
    return found
