"""The cells of a protocol file: whole numbers and station ids, checked a column at a time.

Whole numbers are digits with an optional leading minus, spaces around allowed, within
MAX_COUNT; a station id is text of at most MAX_CELL_CHARS characters. Every error names
the file, the row and the field (`locate(row)` gives the first two), and shows a cell with
its control characters escaped; a station id may hold none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from saylau.errors import InputError
from saylau.io.control import control_row
from saylau.io.csv_rows import first
from saylau.io.files import shown
from saylau.limits import MAX_CELL_CHARS, MAX_COUNT
from saylau.protocol.lines import STATION

INT64_DIGITS: Final = 18
"""Up to 18 digits always fit in int64; longer numbers are checked one by one."""


def whole_numbers(column: pa.Array, name: str, locate: Callable[[int], str]) -> pa.Array:
    """A column as int64: integers as they are, text holding whole numbers parsed."""
    column = _decoded(column)
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_null(kind):
        try:
            return _within_limit(pc.cast(column, pa.int64()), name, locate)
        except pa.ArrowInvalid:
            row = first(pc.greater(column, pa.scalar(2**63 - 1, kind)))  # only uint64
            value = column[row].as_py()
            raise InputError(f"{locate(row)}, field {name}: {value} is too large") from None
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        present = pc.is_valid(column)
        if not pc.any(present).as_py():
            return pa.nulls(len(column), pa.int64())
        row = first(present)
        raise InputError(
            f"{locate(row)}, field {name}: {shown(repr(column[row].as_py()))} is {kind}, not "
            f"a whole number; store whole numbers as integers (or as text of digits)"
        )
    return _parse_whole(column, name, locate)


def _parse_whole(column: pa.Array, name: str, locate: Callable[[int], str]) -> pa.Array:
    """Text cells as int64: digits with an optional leading minus, spaces around allowed.

    The common case (plain digits) costs one scan; only then are cells trimmed and signed.
    """
    text = column
    if not pc.all(pc.fill_null(pc.ascii_is_decimal(text), True)).as_py():
        text = _trimmed(column)
        signed = pc.starts_with(text, "-")
        digits = pc.if_else(signed, pc.utf8_slice_codeunits(text, 1), text)
        wrong = pc.invert(pc.fill_null(pc.ascii_is_decimal(digits), True))
        if pc.any(wrong).as_py():
            row = first(wrong)
            raise InputError(
                f"{locate(row)}, field {name}: '{shown(text[row].as_py())}' is not a whole "
                f"number (digits only, no separators or decimals)"
            )
    text = _short(text, name, locate)
    long = pc.fill_null(pc.greater(pc.binary_length(text), INT64_DIGITS), False)
    for row in pc.indices_nonzero(long).to_pylist():
        if not -(2**63) <= int(text[row].as_py()) < 2**63:
            raise InputError(f"{locate(row)}, field {name}: {text[row].as_py()} is too large")
    return _within_limit(pc.cast(text, pa.int64()), name, locate)


def _within_limit(column: pa.Array, name: str, locate: Callable[[int], str]) -> pa.Array:
    """Whole numbers no larger in size than MAX_COUNT, so that no total can wrap."""
    bounds = pc.min_max(column)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    if (high or 0) > MAX_COUNT or (low or 0) < -MAX_COUNT:
        wide = pc.fill_null(pc.greater(pc.abs(column), MAX_COUNT), False)
        row = first(wide)
        raise InputError(
            f"{locate(row)}, field {name}: {column[row].as_py()} is beyond the limit of "
            f"{MAX_COUNT:,}"
        )
    return column


def station_ids(column: pa.Array, locate: Callable[[int], str]) -> pa.Array:
    return _short(_text_ids(column, locate), STATION, locate)


def _short(column: pa.Array, name: str, locate: Callable[[int], str]) -> pa.Array:
    """Text cells no longer than MAX_CELL_CHARS."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        long = pc.fill_null(pc.greater(pc.utf8_length(column), MAX_CELL_CHARS), False)
        if pc.any(long).as_py():
            row = first(long)
            raise InputError(
                f"{locate(row)}, field {name}: {len(column[row].as_py()):,} characters, more "
                f"than the limit of {MAX_CELL_CHARS:,} (MAX_CELL_CHARS)"
            )
    return column


def _text_ids(column: pa.Array, locate: Callable[[int], str]) -> pa.Array:
    """The station ids, trimmed; each must be non-empty text."""
    column = _decoded(column)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        raise InputError(
            f"{locate(0)}, field {STATION}: the column holds {column.type}; station ids are "
            f"text (leading zeros are part of the id)"
        )
    text = _trimmed(column)
    empty = pc.is_null(text)
    if pc.any(empty).as_py():
        raise InputError(
            f"{locate(first(empty))}, field {STATION}: empty; every protocol names its station"
        )
    row = control_row(text)
    if row is not None:
        raise InputError(
            f"{locate(row)}, field {STATION}: '{shown(text[row].as_py())}' holds a control "
            f"character"
        )
    return pc.cast(text, pa.string())


def _decoded(column: pa.Array) -> pa.Array:
    """A dictionary-encoded column (a pandas category) as plain values."""
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


def _trimmed(column: pa.Array) -> pa.Array:
    """Text without surrounding spaces; an empty cell is null."""
    text = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, column.type), text)


def convert(
    batch: pa.RecordBatch, names: list[str], locate: Callable[[int], str]
) -> pa.RecordBatch:
    """One batch in protocol table layout: station_id as text, every other column int64."""
    arrays = [station_ids(batch.column(STATION), locate)]
    arrays += [whole_numbers(batch.column(name), name, locate) for name in names]
    return pa.RecordBatch.from_arrays(arrays, names=[STATION, *names])


__all__ = ["INT64_DIGITS", "convert", "first", "station_ids", "whole_numbers"]
