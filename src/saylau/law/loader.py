"""Loading law files: a bundled name such as `kz-1999-majilis`, or a path to a TOML file."""

from __future__ import annotations

import hashlib
import stat
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from saylau.errors import LawError
from saylau.law.schema import Law

BUNDLED_PACKAGE = "saylau.law.bundled"
MAX_LAW_BYTES = 1 << 20
"""A law file is text of at most 1 MiB (the bundled ones are under 10 KiB)."""


def bundled_law_names() -> list[str]:
    """The names of the law files shipped with Saylau."""
    folder = resources.files(BUNDLED_PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


@dataclass(frozen=True)
class LawFile:
    """A law as loaded: the validated law, where its file is, its text and the text's SHA-256."""

    law: Law
    origin: str
    text: str
    sha256: str


def load_law(name_or_path: str | Path) -> Law:
    """Load a bundled law by name, or a law file by path."""
    return read_law(name_or_path).law


def read_law(name_or_path: str | Path) -> LawFile:
    """Load a law with its file: a bundled name (origin `<name>.toml`) or a path."""
    text, origin = _read(name_or_path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()  # the file's bytes: no translation
    return LawFile(parse_law(text, origin), origin, text, digest)


def parse_law(text: str, origin: str = "<law>") -> Law:
    """Parse and validate the TOML text of a law; errors name the file and the setting. A
    leading byte-order mark is allowed (the text keeps it, so its hash is the file's)."""
    try:
        raw: dict[str, Any] = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise LawError(f"{origin}: not valid TOML: {exc}") from None
    try:
        return Law.model_validate(_arrays_as_tuples(raw), strict=True)
    except ValidationError as exc:
        raise LawError(f"{origin}: " + "; ".join(_describe(e) for e in exc.errors())) from None


def _arrays_as_tuples(value: Any) -> Any:
    """TOML's arrays as the tuples the schema holds, so that the law can be validated
    strictly: a boolean is never a number (`seats_total = true` is not 1), a float never a
    whole number, a number never a boolean."""
    if isinstance(value, list):
        return tuple(_arrays_as_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _arrays_as_tuples(item) for key, item in value.items()}
    return value


def _describe(error: Any) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "is not a setting this schema knows"
    return f"{path}: {message}"


def _decode(data: bytes, origin: str) -> str:
    """The file's text exactly as stored (no newline translation), so its hash is the file's."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LawError(f"{origin}: not UTF-8 text (byte {exc.start})") from None


def law_bytes(name_or_path: str | Path) -> bytes:
    """The stored bytes of the law `load_law` would load: a bundled law or a law file (a
    regular file of at most MAX_LAW_BYTES, read no further than that)."""
    source, origin = _locate(name_or_path)
    try:
        with source.open("rb") as handle:
            data: bytes = handle.read(MAX_LAW_BYTES + 1)
    except OSError as exc:
        raise LawError(f"{origin}: cannot read the law file: {exc.strerror}") from None
    if len(data) > MAX_LAW_BYTES:
        raise LawError(f"{origin}: larger than {MAX_LAW_BYTES:,} bytes; not a law file")
    return data


def _read(name_or_path: str | Path) -> tuple[str, str]:
    _, origin = _locate(name_or_path)
    return _decode(law_bytes(name_or_path), origin), origin


def _locate(name_or_path: str | Path) -> tuple[Path | Traversable, str]:
    """A law file by path (a .toml name, or anything that exists), else a bundled law by name."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists() or path.is_symlink():
        try:
            info = path.stat()
        except OSError as exc:
            raise LawError(f"{path}: cannot read the law file: {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise LawError(f"{path}: not a regular file; a law is a TOML file")
        if info.st_size > MAX_LAW_BYTES:
            raise LawError(f"{path}: larger than {MAX_LAW_BYTES:,} bytes; not a law file")
        return path, str(path)
    name = str(name_or_path)
    if name in bundled_law_names():
        return resources.files(BUNDLED_PACKAGE).joinpath(f"{name}.toml"), f"{name}.toml"
    known = ", ".join(bundled_law_names())
    raise LawError(f"no bundled law is named '{name}' and no such file exists (bundled: {known})")
