"""election.toml, read through a typed model: an unknown key or a wrong type is refused.

    id = "demo"                     text, required
    name = "..."                    text (default: the id); name_kk, name_ru, name_en too
    seed = 7                        a whole number (default 0); a float is refused
    generated = ["stations", ...]   a list of text (never a single string)
    [dates]                         text values: round1 = "2030-03-03", ...
    [[chambers]]                    at least one; chamber_id, name, law, applied_law, and
                                    name_kk, name_ru, name_en (its name in each language)
    [published]                     turnout_before, turnout_before_derived,
                                    [published.figures] (whole numbers), [published.sources],
                                    [published.kinds] (a figure's kind, if not "published")

Errors name the file and the setting, one line each, like the law files.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from saylau.errors import InputError
from saylau.inputs import FigureKind, Published
from saylau.io.files import read_text, shown
from saylau.law.share import parse_share
from saylau.limits import MAX_CONFIG_BYTES, MAX_COUNT
from saylau.registry.election import Chamber, Election
from saylau.registry.model import NAME_LANGUAGES, Names

ID = r"^[A-Za-z0-9_.-]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Named(_Strict):
    """A table with a name in other languages: name_kk, name_ru, name_en."""

    name_kk: str | None = Field(default=None, min_length=1, max_length=500)
    name_ru: str | None = Field(default=None, min_length=1, max_length=500)
    name_en: str | None = Field(default=None, min_length=1, max_length=500)

    @property
    def names(self) -> Names:
        """The name in other languages (NAME_LANGUAGES), where given."""
        found = ((code, getattr(self, f"name_{code}")) for code in NAME_LANGUAGES)
        return tuple((code, name) for code, name in found if name)


class ChamberConfig(_Named):
    """One [[chambers]] table."""

    chamber_id: str = Field(min_length=1, max_length=100, pattern=ID)
    name: str | None = Field(default=None, min_length=1, max_length=500)
    law: str = Field(min_length=1, max_length=1000)
    applied_law: str | None = Field(default=None, min_length=1, max_length=1000)


class PublishedConfig(_Strict):
    """The [published] table: figures the run is checked against, with their sources."""

    turnout_before: str | None = None
    turnout_before_derived: str | None = Field(default=None, max_length=2000)
    figures: dict[str, int] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)
    kinds: dict[str, FigureKind] = Field(default_factory=dict)

    @field_validator("figures")
    @classmethod
    def _whole(cls, figures: dict[str, int]) -> dict[str, int]:
        for name, value in figures.items():
            if not 0 <= value <= MAX_COUNT:
                raise ValueError(f"{name}: {value} is not a whole number from 0 to {MAX_COUNT:,}")
        return figures

    @field_validator("turnout_before")
    @classmethod
    def _share(cls, value: str | None) -> str | None:
        if value is not None:
            parse_share(value)
        return value


class ElectionConfig(_Named):
    """The whole of election.toml."""

    id: str = Field(min_length=1, max_length=100, pattern=ID)
    name: str | None = Field(default=None, min_length=1, max_length=500)
    seed: int = 0
    generated: list[str] = Field(default_factory=list)
    dates: dict[str, str] = Field(default_factory=dict)
    chambers: list[ChamberConfig] = Field(min_length=1, max_length=20)
    published: PublishedConfig = Field(default_factory=PublishedConfig)

    @field_validator("chambers")
    @classmethod
    def _chambers_once(cls, chambers: list[ChamberConfig]) -> list[ChamberConfig]:
        ids = [c.chamber_id for c in chambers]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"chamber {', '.join(twice)} is named twice")
        return chambers

    def election(self, **tables: Any) -> Election:
        """The registry: this file's id, name (in each language), chambers and dates, with
        the tables read beside it."""
        name = self.name or self.id
        dates = dict(self.dates)
        return Election(self.id, name, self.chamber_values, **tables, dates=dates, names=self.names)

    @property
    def chamber_values(self) -> tuple[Chamber, ...]:
        return tuple(
            Chamber(c.chamber_id, c.name or c.chamber_id, c.law, c.applied_law, c.names)
            for c in self.chambers
        )

    @property
    def published_values(self) -> Published:
        table = self.published
        before = table.turnout_before
        return Published(
            dict(table.figures),
            dict(table.sources),
            None if before is None else parse_share(before),
            table.turnout_before_derived,
            _places(before),
            dict(table.kinds),
        )


def _places(written: str | None) -> int:
    """How many decimals of a percentage a written share gives ("79.8%": 1); 2 otherwise."""
    if written is not None and written.strip().endswith("%"):
        return len(written.strip().removesuffix("%").strip().partition(".")[2])
    return 2


def read_config(path: Path) -> ElectionConfig:
    """Read and validate election.toml; errors name the file and the setting. Only a regular
    file of at most MAX_CONFIG_BYTES is read (never a pipe or a device), as UTF-8 text with an
    optional byte-order mark."""
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path}: missing; an election directory needs it")
    text = read_text(path, MAX_CONFIG_BYTES, "MAX_CONFIG_BYTES")
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {shown(exc)}") from None
    try:
        return ElectionConfig.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{path}: " + "; ".join(_describe(e) for e in exc.errors())) from None


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "is not a setting of election.toml"
    if error["type"] == "missing":
        message = "required"
    return f"{shown(where)}: {shown(message)}"
