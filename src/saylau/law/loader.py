"""Loading law files: a bundled name such as `kz-1999-majilis`, or a path to a TOML file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from saylau.errors import LawError
from saylau.law.schema import Law

BUNDLED_PACKAGE = "saylau.law.bundled"


def bundled_law_names() -> list[str]:
    """The names of the law files shipped with Saylau."""
    folder = resources.files(BUNDLED_PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def load_law(name_or_path: str | Path) -> Law:
    """Load a bundled law by name, or a law file by path."""
    text, origin = _read(name_or_path)
    return parse_law(text, origin)


def parse_law(text: str, origin: str = "<law>") -> Law:
    """Parse and validate the TOML text of a law; errors name the file and the setting."""
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LawError(f"{origin}: not valid TOML: {exc}") from None
    try:
        return Law.model_validate(raw)
    except ValidationError as exc:
        raise LawError(f"{origin}: " + "; ".join(_describe(e) for e in exc.errors())) from None


def _describe(error: Any) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "is not a setting this schema knows"
    return f"{path}: {message}"


def _read(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise LawError(f"{path}: cannot read the law file: {exc.strerror}") from None
    name = str(name_or_path)
    if name in bundled_law_names():
        entry = resources.files(BUNDLED_PACKAGE).joinpath(f"{name}.toml")
        return entry.read_text(encoding="utf-8"), f"{name}.toml"
    known = ", ".join(bundled_law_names())
    raise LawError(f"no bundled law is named '{name}' and no such file exists (bundled: {known})")
