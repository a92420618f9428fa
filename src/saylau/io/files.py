"""Opening input files safely: regular files only, within the size limit, decoded as UTF-8
with errors that name the file, the line and the encoding expected; text as it is shown in a
message (control characters escaped) and as it is compared (Unicode NFC)."""

from __future__ import annotations

import codecs
import gzip
import re
import stat
import unicodedata
import zlib
from pathlib import Path
from typing import Final

from saylau.errors import InputError
from saylau.limits import MAX_FILE_BYTES, MAX_TEXT_BYTES

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
        raise InputError(f"{shown(path)}: no such file") from None
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{shown(path)}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{shown(path)}: not a regular file (a device, a pipe or a socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: {info.st_size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}"
        )
    return info.st_size


def read_text(path: Path, limit: int = MAX_TEXT_BYTES, name: str = "MAX_TEXT_BYTES") -> str:
    """A whole UTF-8 text file (a byte-order mark is dropped) of at most `limit` bytes (the
    limit called `name`); a byte that is not UTF-8 names its line."""
    return decode(read_bytes(path, limit, name), str(path))


def read_bytes(path: Path, limit: int, name: str) -> bytes:
    """A whole regular file of at most `limit` bytes (the limit called `name`), read so that
    a file which grows while it is read is still refused."""
    size = regular_file(path)
    too_large = f"{path}: more than {limit:,} bytes, the limit ({name})"
    if size > limit:
        raise InputError(too_large)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(too_large)
    return data


CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""A control character (Unicode category Cc): never part of an id, never echoed raw."""


def shown(text: object) -> str:
    """Text fit for a one-line message: every character that does not print (NUL, a line
    break, a control or format character) escaped as Python writes it (\\x00, \\n, \\u200b)."""
    value = str(text)
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)


def nfc(text: str) -> str:
    """Text in Unicode normal form C, the form every id and header is compared in."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


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


def listed(folder: Path) -> list[Path]:
    """The entries of a folder, sorted; a folder that cannot be read is named in one line."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        raise InputError(
            f"{shown(folder)}: cannot read the folder: {exc.strerror or exc}"
        ) from None
