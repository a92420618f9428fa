"""Every error Saylau raises, in one tree.

    SaylauError
    ├── LawError                 a law file is missing, malformed or breaks the schema
    ├── InputError               votes or other input break a stated rule (names row and field)
    └── RuleError                the law cannot decide on this input
        ├── TieUnresolved        a tie that the law's tie-breaks cannot settle
        ├── RuleMissing          the law file does not say what happens in this case
        └── SeatsUnallocatable   more seats than can be given to the qualifying lists

Each carries a one-line message fit to print as it is.
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
