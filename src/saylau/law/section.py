"""A section of a law file: a group of settings, each citing where its rule comes from."""

from __future__ import annotations

import re
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

CITATION = re.compile(r"^\[(V|L|I|\?)\] \S")
"""A citation starts with its confidence tag: [V] verified, [L] later wording, [I] inferred,
[?] unknown (Saylau's default)."""
REFERENCE = re.compile(r"\bS\d+\b")


def check_citation(name: str, citation: str) -> None:
    """A citation starts with a confidence tag and a space."""
    if not CITATION.match(citation):
        raise ValueError(
            f"the source of '{name}' must start with a tag [V], [L], [I] or [?] "
            f"and a space, got {citation!r}"
        )


class Section(BaseModel):
    """A group of settings; `sources` maps each setting's name to its citation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sources_name_settings(self) -> Self:
        settings = set(type(self).model_fields) - {"sources"}
        for name, citation in self.sources.items():
            if name not in settings:
                known = ", ".join(sorted(settings))
                raise ValueError(f"sources names '{name}', which is not a setting here ({known})")
            check_citation(name, citation)
        return self
