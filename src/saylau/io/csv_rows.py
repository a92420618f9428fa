"""Row numbers for columnar reads: from a row's index to the line a spreadsheet shows.

pyarrow counts records, people count lines. When every record is one line (no quoted
line breaks, no blank lines) record i is line i + 2; otherwise the file is scanned once
with the csv module to map each record to its last line, as `csv.reader.line_num` does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

RowNumbers = Callable[[int], int]
"""The CSV line number of the record at an index (0 for the first record after the header)."""


def row_numbers(data: bytes, records: int) -> RowNumbers:
    """Map record indexes of `data` (a CSV file with a header line) to line numbers."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines == records + 1:
        return lambda index: index + 2
    scanned: list[int] = []

    def scan(index: int) -> int:
        if not scanned:
            reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
            next(reader, None)
            scanned.extend(reader.line_num for record in reader if record)
        return scanned[index]

    return scan


def wrong_width(data: bytes, width: int) -> tuple[int, int] | None:
    """The line and field count of the first record without `width` fields, if any."""
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        next(reader, None)
        for record in reader:
            if record and len(record) != width:
                return reader.line_num, len(record)
    except (UnicodeDecodeError, csv.Error):
        return None
    return None


def first(mask: pa.Array | pa.ChunkedArray) -> int:
    """The index of the first True in a boolean array (nulls are False); there must be one."""
    row: int = pc.indices_nonzero(pc.fill_null(mask, False))[0].as_py()
    return row


def first_bad(passes: pa.Array) -> int | None:
    """The index of the first False (or null) in a boolean array, or None if all pass."""
    flags = passes.fill_null(False).to_numpy(zero_copy_only=False)
    failing = np.flatnonzero(~flags)
    return int(failing[0]) if failing.size else None
