"""A problem found in the inputs, named by its table, record and field, and told as one line
that names the file, the line and the field where the inputs say where they were read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.errors import InputError
from saylau.inputs import TableOrigin

SHOWN = 50
"""At most this many problems are listed in one error; the count says how many more."""


@dataclass(frozen=True)
class Problem:
    """A rule the inputs break: in `table` (`contests`, `invalidations`, `protocols/<file>`,
    ...), at record `index` (from 0, in file order), in `field`."""

    table: str
    index: int | None
    field: str
    message: str

    def told(self, origins: Mapping[str, TableOrigin]) -> str:
        """One line: the file and line where known, then the field and the rule broken."""
        origin = origins.get(self.table)
        line = None if origin is None or self.index is None else origin.line(self.index)
        if origin is None:
            where = self.table if self.index is None else f"{self.table} #{self.index + 1}"
        elif line is not None:
            where = f"{origin.path}: line {line}"
        else:
            where = origin.path
        return f"{where}: field {self.field}: {self.message}"


def refuse(problems: Sequence[Problem], origins: Mapping[str, TableOrigin]) -> None:
    """Stop with every problem listed, one line each, if there is any."""
    if not problems:
        return
    lines = [p.told(origins) for p in problems[:SHOWN]]
    more = f"\n  ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    shown = "\n  ".join(lines)
    raise InputError(f"the inputs break {len(problems)} rule(s):\n  {shown}{more}")
