"""The laws of an election directory: where each chamber's law is, and that each loads."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from saylau.io.election.config import ElectionConfig
from saylau.io.election.gather import Gathered
from saylau.law.loader import read_law


def law_path(root: Path, law: str) -> str:
    """A chamber's law: a bundled name stays a name; a file is taken relative to `root`."""
    return str(root / law) if law.endswith(".toml") else law


def load_laws(root: Path, config: ElectionConfig, gathered: Gathered | None) -> None:
    """Each chamber's law (and the law a recorded run applied) loads, before any vote is
    read; `gathered` keeps each chamber's own law."""
    for chamber in config.chambers:
        for name in (chamber.law, chamber.applied_law):
            if name is None:
                continue
            source = law_path(root, name)
            if gathered is None:
                read_law(source)
                continue
            loaded = gathered.attempt(source, partial(read_law, source), None)
            if loaded is None:
                gathered.law_failed = True
            elif name == chamber.law:
                gathered.laws[chamber.chamber_id] = loaded.law
