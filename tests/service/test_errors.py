"""The service's errors are a branch of Saylau's one tree, each with its HTTP status and
stable code, as the tree at the top of saylau/errors.py draws them."""

from __future__ import annotations

import saylau.errors
from saylau.errors import SaylauError
from saylau.service import errors

BRANCH = {
    errors.ServiceError: (400, "bad_request"),
    errors.NotAuthenticated: (401, "not_authenticated"),
    errors.Forbidden: (403, "forbidden"),
    errors.NotFound: (404, "not_found"),
    errors.Conflict: (409, "conflict"),
    errors.NoElection: (409, "no_election"),
    errors.Invalid: (422, "invalid"),
    errors.TooManyAttempts: (429, "too_many_attempts"),
}


def test_the_service_s_errors_are_a_branch_of_the_one_tree() -> None:
    drawn = saylau.errors.__doc__ or ""
    for kind, (status, code) in BRANCH.items():
        assert issubclass(kind, SaylauError)
        assert (kind.status, kind.code) == (status, code)
        assert f"{kind.__name__} " in drawn, f"{kind.__name__} is not drawn in the tree"
        said = kind("a message")
        assert str(said) == said.message == "a message"
    moved = errors.Conflict("moved on", code="not_latest", status=410)
    assert (moved.status, moved.code, errors.Conflict.code) == (410, "not_latest", "conflict")
