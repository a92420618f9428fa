"""Every error Saylau raises, in one tree.

    SaylauError
    ├── LawError                 a law file is missing, malformed or breaks the schema
    ├── InputError               votes or other input break a stated rule (names row and field)
    ├── RuleError                the law cannot decide on this input
    │   ├── TieUnresolved        a tie that the law's tie-breaks cannot settle
    │   ├── RuleMissing          the law file does not say what happens in this case
    │   └── SeatsUnallocatable   more seats than can be given to the qualifying lists
    └── ServiceError             a request the service refuses (saylau.service.errors), with
        │                        its HTTP status and a stable code
        ├── NotAuthenticated     401 not_authenticated: no session, or not a valid one
        ├── Forbidden            403 forbidden: the role or its scope does not allow it
        ├── NotFound             404 not_found: no such protocol, station, contest ...
        ├── Conflict             409 conflict: the current state does not allow it
        ├── NoElection           409 no_election: the database holds no election yet
        ├── Invalid              422 invalid: input the service cannot take
        └── TooManyAttempts      429 too_many_attempts: logins refused for a while

Each carries a one-line message fit to print as it is. The service's branch lives with the
service, which stands on this module; it is drawn here so that the tree is whole.
"""

from __future__ import annotations


class SaylauError(Exception):
    """The root of every error Saylau raises on purpose."""


class LawError(SaylauError):
    """A law file is missing, malformed, or breaks the law schema."""


class InputError(SaylauError):
    """Input data break a stated rule; the message names the file, row and field."""


class RuleError(SaylauError):
    """The law, applied to this input, cannot reach a decision."""


class TieUnresolved(RuleError):
    """A tie remains after every tie-break the law names."""


class RuleMissing(RuleError):
    """The case arose, but the law file leaves its rule unspecified."""


class SeatsUnallocatable(RuleError):
    """There are seats to give but no qualifying list with votes to give them to."""


__all__ = [
    "InputError",
    "LawError",
    "RuleError",
    "RuleMissing",
    "SaylauError",
    "SeatsUnallocatable",
    "TieUnresolved",
]
