"""Log in and out, the language switcher, and who is looking (the public results pages
are web/public.py's).

Forms post with the session's CSRF token; login itself carries a token bound to a random
cookie set with its form. A failed login says only that the name or password is wrong.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from saylau.report import i18n
from saylau.report.i18n import N_
from saylau.service import accounts
from saylau.service.api.deps import (
    COOKIE,
    actor,
    address,
    credentials,
    csrf_token,
    settings_of,
)
from saylau.service.api.session import set_session_cookie
from saylau.service.db import reading, writing
from saylau.service.errors import ServiceError, TooManyAttempts
from saylau.service.permissions import PUBLIC, Actor
from saylau.service.web import work
from saylau.service.web.render import (
    LANGUAGE_COOKIE,
    LOGIN_COOKIE,
    language_of,
    login_csrf,
    login_nonce,
    page,
)

router = APIRouter(include_in_schema=False)
router.include_router(work.router)


def viewer(request: Request) -> tuple[Actor, str]:
    """Who is looking, and the CSRF token for the forms of the page. From here to the end
    of the request, the values a page is made of (names, words) are in the reader's
    language (i18n.set_language: the request's own context, never another's)."""
    i18n.set_language(language_of(request))
    creds = credentials(request)
    with reading(settings_of(request).url) as session:
        who = actor(session, creds)
    token = csrf_token(settings_of(request), creds.token) if creds.token and not who.public else ""
    return who, token


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    who, _ = viewer(request)
    return _login_page(request, who, None)


def _login_page(
    request: Request, who: Actor, message: str | None, status: int = 200
) -> HTMLResponse:
    nonce = login_nonce()
    response = page(
        request,
        "login.html.j2",
        who,
        status,
        message=message,
        login_token=login_csrf(request, nonce),
    )
    response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", ""))[:100], str(form.get("password", ""))[:1000]
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    settings = settings_of(request)
    if not nonce or str(form.get("csrf", "")) != login_csrf(request, nonce):
        return _login_page(request, PUBLIC, N_("the form was stale: please try again"), 403)

    def attempt() -> accounts.LoggedIn | None:
        return accounts.login(settings.url, username, password, address(request), settings)

    try:
        found = await run_in_threadpool(attempt)
    except TooManyAttempts as exc:
        return _login_page(request, PUBLIC, exc.message, 429)
    if found is None:
        return _login_page(request, PUBLIC, accounts.LOGIN_FAILED, 401)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, found.token, settings.secure_cookies)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.get("/language/{lang}")
def choose_language(lang: str, request: Request, next: str = "/") -> Response:
    """The switcher: remember the language in a cookie for a year, and go back to the page
    the reader was on (a path of this site only; anything else goes to the dashboard)."""
    back = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
    response = RedirectResponse(back, status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/", httponly=True
        )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session on the server, then clear its cookie: always both, with or without
    the form's CSRF token (a forged log out can do no more than end a session, and the
    SameSite=Strict cookie is not sent from another site's page anyway)."""
    creds = credentials(request)
    if creds.token:
        token = creds.token

        def end() -> None:
            with writing(settings_of(request).url) as session:
                accounts.logout(session, token)

        await run_in_threadpool(end)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def error_html(request: Request, exc: ServiceError) -> Response:
    """A refusal on a web page, as a page: the message, and a way to log in where that helps."""

    def render() -> HTMLResponse:
        try:
            who, csrf = viewer(request)
        except ServiceError:
            who, csrf = PUBLIC, ""
        return page(request, "error.html.j2", who, exc.status, csrf=csrf, error=exc)

    return await run_in_threadpool(render)
