"""Where two JSON values differ, figure by figure: `majilis.parties[3].list_votes`.

Values are compared as JSON: 1, 1.0 and true are three different figures, and a key or an
item that one side lacks is a difference too. Differences come in document order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

IDENTIFIER: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SHOWN: Final = 60
"""Characters of a list or an object shown before it is cut short."""


class Absent:
    """The side of a comparison that has no value at this path."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Final = Absent()


@dataclass(frozen=True)
class FigureDifference:
    """One figure that differs: where, what was stored, and what the recomputation gives."""

    path: str
    stored: Any
    recomputed: Any

    def describe(self) -> str:
        return f"{self.path}: stored {show(self.stored)}, recomputed {show(self.recomputed)}"


def json_differences(stored: Any, recomputed: Any, path: str = "") -> Iterator[FigureDifference]:
    """Every figure that differs between two JSON values, in document order."""
    if isinstance(stored, dict) and isinstance(recomputed, dict):
        keys = [*recomputed, *(k for k in stored if k not in recomputed)]
        for key in keys:
            yield from json_differences(
                stored.get(key, ABSENT), recomputed.get(key, ABSENT), _key(path, key)
            )
    elif isinstance(stored, list) and isinstance(recomputed, list):
        for index in range(max(len(stored), len(recomputed))):
            yield from json_differences(
                stored[index] if index < len(stored) else ABSENT,
                recomputed[index] if index < len(recomputed) else ABSENT,
                f"{path}[{index}]",
            )
    elif _json_type(stored) is not _json_type(recomputed) or stored != recomputed:
        yield FigureDifference(path or "(top level)", stored, recomputed)


def _json_type(value: Any) -> type:
    """The JSON kind of a value: a text is a text whatever `str` subclass made it (a
    sentence that keeps its template, `saylau.said.Said`, is written as its text)."""
    return str if isinstance(value, str) else type(value)


def figures(value: Any) -> int:
    """How many figures (numbers, text, true/false, null) a JSON value holds."""
    if isinstance(value, dict):
        return sum(figures(v) for v in value.values())
    if isinstance(value, list):
        return sum(figures(v) for v in value)
    return 1


def show(value: Any) -> str:
    """A value as a reader of a report wants it: 932,549; "text"; null; (absent)."""
    if isinstance(value, Absent):
        return "(absent)"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _key(path: str, key: str) -> str:
    if IDENTIFIER.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"
