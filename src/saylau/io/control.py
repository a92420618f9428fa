"""Control characters in a column of text, found without a regex where none can be.

A control character (Unicode category Cc, `saylau.io.files.CONTROL`) is never part of an
id. A column whose every cell is printable ASCII holds none, which one pass over its bytes
shows; only another column is searched with the pattern.
"""

from __future__ import annotations

from typing import Any

import pyarrow.compute as pc

from saylau.io.csv_rows import first
from saylau.io.files import CONTROL


def control_row(column: Any) -> int | None:
    """The first row of a text column (array or chunked) with a control character, or None."""
    if pc.all(pc.ascii_is_printable(column)).as_py() is not False:
        return None
    control = pc.match_substring_regex(column, CONTROL.pattern)
    return first(control) if pc.any(control).as_py() else None


__all__ = ["control_row"]
