"""The pages' Jinja environment, the reader's language, and the form CSRF."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from saylau.report import i18n
from saylau.service.api.deps import settings_of
from saylau.service.permissions import Actor

HERE = Path(__file__).parent
STATIC = HERE / "static"
LOGIN_COOKIE = "saylau_login"
LANGUAGE_COOKIE = "lang"
"""The language a reader chose with the switcher (base.html.j2); kept a year."""

ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
i18n.install(ENV)


def language_of(request: Request) -> str:
    """The reader's language: the switcher's cookie, else Accept-Language, else English."""
    return i18n.choose(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def page(request: Request, name: str, who: Actor, status: int = 200, **values: Any) -> HTMLResponse:
    """A rendered page in the reader's language; `csrf` is the session's token, for every
    form on it."""
    template = ENV.get_template(name)
    csrf = values.pop("csrf", "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    with i18n.using(language_of(request)) as lang:
        html = template.render(
            who=who, csrf=csrf, path=request.url.path, here=here, lang=lang, **values
        )
    response = HTMLResponse(html, status_code=status)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def login_nonce() -> str:
    return secrets.token_urlsafe(24)


def login_csrf(request: Request, nonce: str) -> str:
    """The login form's CSRF token: bound to a random cookie set with the form."""
    key = settings_of(request).secret
    return hmac.new(key, b"login:" + nonce.encode(), hashlib.sha256).hexdigest()
