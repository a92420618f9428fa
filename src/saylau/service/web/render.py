"""The pages' Jinja environment, the reader's language, the seat diagram of the dashboard,
and the form CSRF."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from saylau.registry.colours import party_colours
from saylau.registry.model import Party
from saylau.report import i18n
from saylau.report.hemicycle import hemicycle, majilis_segments
from saylau.report.table import PublishedTable, ordered_parties, published_table
from saylau.results import ElectionResult
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


_kept: dict[tuple[int, str], tuple[str, list[PublishedTable]]] = {}
_lock = threading.Lock()


def diagrams(
    result: ElectionResult | None, seq: int, parties: Sequence[Party]
) -> tuple[str, list[PublishedTable]]:
    """The seat diagram (inline SVG) of the first chamber elected by voters, and the
    published tables, in the current language; made once per state of the count and
    language."""
    if result is None:
        return "", []
    key = (seq, i18n.language())
    with _lock:
        if key in _kept:
            return _kept[key]
    svg, tables = "", []
    for chamber in result.chambers:
        if not chamber.parties:
            continue
        tables.append(published_table(chamber, bool(result.counterfactual)))
        if not svg:
            rows = list(ordered_parties(chamber))
            colours = party_colours(parties, [p.party_id for p in rows])
            picture = hemicycle(
                "hemicycle",
                i18n.gettext("%(chamber)s: seats as the count stands") % {"chamber": chamber.name},
                majilis_segments(chamber, rows, colours),
                chamber.seats_total,
                chamber.majority,
            )
            svg = picture.inline_svg
    with _lock:
        for stale in [k for k in _kept if k[0] != seq]:
            del _kept[stale]
        _kept[key] = (svg, tables)
    return svg, tables
