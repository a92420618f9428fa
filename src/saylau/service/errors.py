"""The service's errors: each becomes one 4xx response in the error envelope (api.envelope),
with a machine-readable `code` and a message fit to show a person as it is. They are a
branch of Saylau's one tree (`saylau.errors`), so a command catching SaylauError says them
in one line too."""

from __future__ import annotations

from saylau.errors import SaylauError


class ServiceError(SaylauError):
    """A request the service refuses: HTTP `status`, a stable `code`, a one-line message."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotAuthenticated(ServiceError):
    status = 401
    code = "not_authenticated"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Invalid(ServiceError):
    status = 422
    code = "invalid"


class TooManyAttempts(ServiceError):
    status = 429
    code = "too_many_attempts"


class NoElection(ServiceError):
    status = 409
    code = "no_election"
