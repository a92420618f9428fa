"""Where the St Petersburg 2021 files are read: the copy shipped in the package's `data/`
folder (its SOURCES.md names their origin), or a folder given in its place.

A file of the shipped copy is named in notes and errors by its place in the package,
`saylau/importers/spb2021/data/<file>`, the same on every machine; a file of a folder given
is named by its path, as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

PACKAGE: Final = "saylau.importers.spb2021"
SHOWN: Final = "saylau/importers/spb2021/data"
"""How the shipped folder is named in notes and errors."""


def shipped() -> Path:
    """The folder of the files shipped with Saylau."""
    return Path(str(resources.files(PACKAGE).joinpath("data")))


@dataclass(frozen=True)
class Folder:
    """A folder of station files, and how its files are named (None: by their path)."""

    path: Path
    shown: str | None = None

    def file(self, name: str) -> tuple[Path, str]:
        """The path of file `name`, and the name notes and errors give it."""
        path = self.path / name
        return path, str(path) if self.shown is None else f"{self.shown}/{name}"


def folder(data_dir: Path | None) -> Folder:
    """The folder given, or (None) the shipped copy."""
    return Folder(shipped(), SHOWN) if data_dir is None else Folder(data_dir)
