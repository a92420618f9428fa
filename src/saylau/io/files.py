"""Opening input files safely: regular files only, within the size limit, decoded as UTF-8
with errors that name the file, the line and the encoding expected."""

from __future__ import annotations

import codecs
import gzip
import stat
import zlib
from pathlib import Path
from typing import Final

from saylau.errors import InputError
from saylau.limits import MAX_FILE_BYTES

BOM: Final = codecs.BOM_UTF8
CHUNK: Final = 1 << 20

COMPRESSED_ERRORS: Final = (EOFError, zlib.error, gzip.BadGzipFile)
"""What a truncated or corrupt gzip file raises while it is read."""


def regular_file(path: Path) -> int:
    """The size of `path`, which must be a regular file (not a device, a pipe or a
    directory; a symbolic link is followed) no larger than MAX_FILE_BYTES."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a device, a pipe or a socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: {info.st_size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}"
        )
    return info.st_size


def read_text(path: Path) -> str:
    """A whole UTF-8 text file (a byte-order mark is dropped); a byte that is not UTF-8
    names its line."""
    regular_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, str(path))


def decode(data: bytes, origin: str) -> str:
    """UTF-8 text of `data`, without a leading byte-order mark."""
    body = data[len(BOM) :] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{origin}: line {line}: byte {body[exc.start]:#04x} is not UTF-8 text; save the "
            f"file as UTF-8"
        ) from None


def first_bad_utf8_line(path: Path, gzipped: bool) -> int | None:
    """The line of the first byte that is not UTF-8 in a (gzipped) file, or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return line + chunk[: exc.start].count(b"\n")
                line += chunk.count(b"\n")
    except (OSError, *COMPRESSED_ERRORS):
        return None
    return None
