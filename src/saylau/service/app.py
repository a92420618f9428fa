"""The service as one ASGI app: the API under /api, the web pages, their static files.

Every response carries headers that keep the pages to themselves: no framing, no sniffing,
scripts and styles only from the service itself. `/docs` is Swagger UI 5 served from the
`fastapi-offline` package's files under `/docs/assets`, started by a script of the
service's own, so it works offline and under that policy. A request body larger than the
settings' `max_body` is refused with 413 before it is read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError, ProgrammingError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saylau.service.api import (
    audit,
    envelope,
    live,
    protocols,
    registry,
    results,
    session,
    stages,
    users,
    yardstick,
)
from saylau.service.config import Settings, load_secret
from saylau.service.db import reading
from saylau.service.election import served
from saylau.service.errors import NoElection
from saylau.service.web import pages, public
from saylau.service.web.render import STATIC
from saylau.version import __version__

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'"
    ),
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app, serving the database `settings.url` names."""
    import fastapi_offline

    app = FastAPI(
        lifespan=prepare,
        title="Saylau",
        version=__version__,
        description="Elections under mixed electoral laws, as a service: protocols, "
        "double entry, an audit chain, live results. Errors share one envelope.",
        docs_url=None,
        redoc_url=None,
    )
    settings = settings or Settings()
    if not settings.secret:
        settings = dataclasses.replace(settings, secret=load_secret())
    app.state.settings = settings
    envelope.install(app, html=pages.error_html)
    for room in (yardstick, session, registry, results, audit, users, protocols, stages, live):
        app.include_router(room.router)
    app.include_router(public.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs/assets", StaticFiles(directory=assets), name="docs")
    app.add_api_route("/docs", docs, include_in_schema=False, response_class=HTMLResponse)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_body)
    return app


DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Saylau API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""


def docs() -> HTMLResponse:
    """The API's documentation: Swagger UI, from files the service serves itself."""
    return HTMLResponse(DOCS)


class BodyLimit:
    """Refuses a request body larger than `limit` bytes before reading it (413): by its
    Content-Length at once, and a body sent in chunks as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        said = dict(scope["headers"]).get(b"content-length")
        if said is not None:
            length = int(said) if said.isdigit() and len(said) < 20 else -1
            if length < 0 or length > self.limit:
                too = length > self.limit
                response = envelope.error_response(
                    413 if too else 400,
                    "too_large" if too else "bad_request",
                    f"the body is larger than {self.limit:,} bytes"
                    if too
                    else "the Content-Length header is not a number of bytes",
                )
                response.headers["Connection"] = "close"
                await response(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, f"the body is larger than {self.limit:,} bytes")
            return message

        await self.app(scope, counted, send)


@asynccontextmanager
async def prepare(app: FastAPI) -> AsyncIterator[None]:
    """Before the first request: read the served election, its laws and its contests once
    (`election.served`), so that no request pays for them. A database without an election
    yet starts all the same, and says so on each request. In a process of `saylau serve`,
    what is read so far lives as long as the process: the garbage collector never scans it
    again (each full collection of the served election stalled every request of its
    process)."""
    settings: Settings = app.state.settings

    def read() -> None:
        quiet = contextlib.suppress(NoElection, OperationalError, ProgrammingError)
        with quiet, reading(settings.url) as session:
            served(session)

    await run_in_threadpool(read)
    if getattr(app.state, "frozen_after_start", False):
        gc.freeze()
    yield


class OnResponseStart:
    """Plain ASGI middleware that calls `started` as each HTTP response starts, with the
    request's scope, the response's first message and when the request came in; streams
    and other traffic pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.started(scope, message, began)
            await send(message)

        await self.app(scope, receive, sending)

    def started(self, scope: Scope, message: Message, began: float) -> None:
        raise NotImplementedError


class SecurityHeaders(OnResponseStart):
    """Adds HEADERS to every HTTP response."""

    def started(self, scope: Scope, message: Message, began: float) -> None:
        headers = MutableHeaders(scope=message)
        for name, value in HEADERS.items():
            if name not in headers:
                headers[name] = value


class RequestLog(OnResponseStart):
    """Writes a line to stderr for each request as its response starts: the clock time,
    the method, the path as it was sent (still percent-encoded, so that no character in it
    can break or forge a line), the status and the milliseconds the answer took."""

    def started(self, scope: Scope, message: Message, began: float) -> None:
        took = (time.perf_counter() - began) * 1000
        raw: bytes = scope.get("raw_path") or scope["path"].encode()
        path = raw.decode("ascii", "backslashreplace")
        line = f"{time.strftime('%H:%M:%S')} {scope['method']} {path} "
        sys.stderr.write(f"{line}{message['status']} {took:.1f} ms\n")
        sys.stderr.flush()


def app_from_env() -> FastAPI:
    """The app as `saylau serve` starts it in each worker: settings from the environment,
    and each request logged to stderr unless `--no-log` said not to."""
    import os

    folder = os.environ.get("SAYLAU_SNAPSHOTS")
    app = create_app(
        Settings(
            snapshots=Path(folder) if folder else None,
            secure_cookies=bool(os.environ.get("SAYLAU_SECURE_COOKIES")),
        )
    )
    if os.environ.get("SAYLAU_REQUEST_LOG"):
        app.add_middleware(RequestLog)
    app.state.frozen_after_start = True  # the process serves this app alone (`prepare`)
    return app
