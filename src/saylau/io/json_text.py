"""JSON as the CLI prints it: the outer levels one entry per line, everything deeper on one.

A run's JSON can hold tens of thousands of protocols kept for review; each is one line,
written by the standard library's C encoder, so a million-station run prints in a blink
and still reads (and diffs) line by line. With enough open levels the text is exactly
`json.dumps(value, indent=2)`.
"""

from __future__ import annotations

import json
from typing import Any, Final

OPEN_LEVELS: Final = 2
"""Levels of objects and arrays laid out one entry per line."""


def json_text(value: Any, open_levels: int = OPEN_LEVELS) -> str:
    """`value` as JSON text (non-ASCII kept as it is), the first `open_levels` open."""
    return _text(value, open_levels, 0)


def _text(value: Any, levels: int, depth: int) -> str:
    if levels == 0 or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        entries = [
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {_text(item, levels - 1, depth + 1)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(entries) + "\n" + "  " * depth + "}"
    entries = [f"{pad}{_text(item, levels - 1, depth + 1)}" for item in value]
    return "[\n" + ",\n".join(entries) + "\n" + "  " * depth + "]"
