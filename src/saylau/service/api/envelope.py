"""One error envelope for every refusal, locked by a test:

    {"ok": false, "status": 422, "code": "invalid", "error": "a one-line message"}

`code` is stable for programs, `error` is for people. Bad input is a 4xx, never a 500; an
unexpected failure is a 500 in the same envelope, without a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException

from saylau.errors import SaylauError
from saylau.service.errors import Invalid, ServiceError

log = logging.getLogger("saylau.service")

HtmlErrors = Callable[[Request, ServiceError], Awaitable[Response]]

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_attempts",
}


class ErrorOut(BaseModel):
    """The error envelope."""

    ok: bool = False
    status: int
    code: str
    error: str


def error_response(status: int, code: str, message: str) -> JSONResponse:
    body = ErrorOut(status=status, code=code, error=message).model_dump()
    return JSONResponse(body, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    """The first problem, named by where it is: a field's path, or the body itself."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid"
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    if first.get("type") == "json_invalid":
        reason = first.get("ctx", {}).get("error", "")
        return f"the body is not valid JSON (at character {loc[-1]}): {reason}".rstrip(": ")
    where = ".".join(str(part) for part in loc if part != "body")
    if not where and loc == ("body",) and first.get("type") == "missing":
        return "the request has no body: send the JSON object the endpoint takes"
    return f"{where or 'request'}: {first.get('msg', 'is not valid')}"


def _data_message(said: str) -> str:
    """A value the database refused, as the person who sent it can fix it."""
    if "NUL" in said:
        return "text may not contain the NUL character (\\x00)"
    if "out of range" in said:
        return "a number is out of the range the database holds"
    return "a value the database cannot hold"


def install(app: FastAPI, html: HtmlErrors | None = None) -> None:
    """Route every error through the envelope; a refusal on a web page (outside /api) is
    shown by `html` as a page, where it is given."""

    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError) -> Response:
        if html is not None and not request.url.path.startswith("/api"):
            return await html(request, exc)
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(SaylauError)
    async def _saylau(_: Request, exc: SaylauError) -> JSONResponse:
        return error_response(422, "invalid", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid", _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        log.info("data error: %s", exc.orig)
        return await _service(request, Invalid(_data_message(str(exc.orig))))

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error: %s", exc.orig)
        return error_response(409, "conflict", "a concurrent request changed this first; try again")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(500, "internal", "the service failed; the error is logged")
