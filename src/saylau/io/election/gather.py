"""Every problem of an election directory at once, grouped by file.

Reading a directory does not stop at the first bad file: each file is read, and what is
wrong with it is kept under its name (a misspelt file name, a cell that is not a number, a
law that does not load). When all is read, the problems of every file are told together,
file by file, up to SHOWN lines; where the registry itself was read whole, its broken
cross-references (a contest in an unknown district, ...) are told with them, so that one
run names every problem a fix needs. A directory with a single problem is refused with
that problem's own message, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from saylau.errors import InputError, SaylauError
from saylau.inputs import ElectionInputs
from saylau.io.files import shown
from saylau.law.schema import Law
from saylau.stages.problems import SHOWN
from saylau.stages.registration import cross_reference_problems

T = TypeVar("T")

REGISTRY_FILES = frozenset(
    {
        "parties.csv",
        "lists.csv",
        "territories.csv",
        "districts.csv",
        "stations.csv",
        "contests.csv",
        "candidates.csv",
    }
)
"""The files the registry's cross-references are checked over: where one of them could not
be read, its cross-references are not checked (a missing party is no broken reference)."""

INPUT_FILES = frozenset(
    {"college.csv", "invalidations.csv", "withdrawals.csv", "resolutions.csv", "preferences.csv"}
)
"""The other inputs checked against the registry, where each was read whole."""


class Gathered:
    """The problems found reading one election directory, by file, in the order found."""

    def __init__(self) -> None:
        self.by_file: dict[str, list[str]] = {}
        self.errors: list[SaylauError] = []
        self.laws: dict[str, Law] = {}
        """Each chamber's own law, where it loaded."""
        self.law_failed = False
        """Whether a law failed to load: then no protocol is read (it could take minutes)."""

    def add(self, file: Path | str, message: str) -> None:
        """A problem of `file`; a message that begins with the file's name loses it."""
        name = str(file)
        for prefix in (f"{name}: ", f"{shown(Path(name))}: "):
            message = message.removeprefix(prefix)
        self.by_file.setdefault(name, []).append(message)

    def error(self, file: Path | str, error: SaylauError) -> None:
        """An error that stops the reading of `file`."""
        self.errors.append(error)
        self.add(file, str(error))

    def keep(self, error: SaylauError, problems: list[tuple[Path, str]]) -> None:
        """An error that names a problem of each of several files."""
        self.errors.append(error)
        for file, message in problems:
            self.add(file, message)

    def hold(self, file: Path | str) -> None:
        """Keep `file`'s place among the files now, for the problems a reading beside the
        others finds later (the files are told in the order they are read)."""
        self.by_file.setdefault(str(file), [])

    def take(self, other: Gathered) -> None:
        """The problems `other` found, told after those found here."""
        for file, messages in other.by_file.items():
            self.by_file.setdefault(file, []).extend(messages)
        self.errors += other.errors

    def attempt(self, file: Path | str, read: Callable[[], T], default: T) -> T:
        """What `read` gives, or `default` with its error kept under `file`."""
        try:
            return read()
        except SaylauError as error:
            self.error(file, error)
            return default

    def failed(self, name: str) -> bool:
        """Whether a file of this name (`contests.csv`, ...) could not be read."""
        return any(Path(file).name == name for file, found in self.by_file.items() if found)

    @property
    def count(self) -> int:
        return sum(len(messages) for messages in self.by_file.values())

    def cross_references(self, inputs: ElectionInputs, chambers: int) -> None:
        """Add the broken cross-references, where the registry and every chamber's law were
        read whole (otherwise a reference could only seem broken); those of the other
        inputs (invalidations, withdrawals, ...) where they were read whole too."""
        if self.count == 0 or len(self.laws) < chambers:
            return
        if any(self.failed(name) for name in REGISTRY_FILES):
            return
        whole = not any(self.failed(name) for name in INPUT_FILES)
        for problem in cross_reference_problems(inputs, self.laws, inputs_too=whole):
            origin = inputs.origins.get(problem.table)
            self.add(
                origin.path if origin is not None else problem.table, problem.told(inputs.origins)
            )

    def refuse(self) -> None:
        """Stop with every problem, grouped by file; a single problem with its own error."""
        if self.count == 0:
            return
        if self.count == 1 and len(self.errors) == 1:
            raise self.errors[0]
        lines: list[str] = []
        told = 0
        told_of = {file: messages for file, messages in self.by_file.items() if messages}
        for file, messages in told_of.items():
            if told >= SHOWN:
                break
            lines.append(f"  {file}:")
            for message in messages[: SHOWN - told]:
                lines.append("    " + message.replace("\n", "\n    "))
                told += 1
        more = f"\n  ... and {self.count - told} more" if self.count > told else ""
        files = len(told_of)
        raise InputError(
            f"the election directory has {self.count} problem(s) in {files} file(s):\n"
            + "\n".join(lines)
            + more
        )
