"""Load an election and run it with a progress bar: what `run`, `report` and `export` share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saylau.inputs import ElectionInputs
    from saylau.law.schema import Law
    from saylau.results import ElectionResult


@dataclass(frozen=True)
class Ran:
    """A run: its inputs, where they were read from, the laws it applied and its result."""

    inputs: ElectionInputs
    root: Path | None
    laws: dict[str, Law]
    result: ElectionResult
    overrides: dict[str, str]


def run_election(
    election: str,
    *,
    seed: int | None = None,
    data: Path | None = None,
    law: list[str] | None = None,
    then: Callable[[Ran, Callable[[str], None]], None] | None = None,
    quiet: bool = False,
) -> Ran:
    """Read the election and carry it through its calendar, showing progress on stderr;
    `then` does more under the same bar, told how to name what it does."""
    from saylau.cli.process import reading_protocols
    from saylau.cli.progress import progress_bar, reporter
    from saylau.law.loader import load_law
    from saylau.pipeline.run import decide_with_laws, load_inputs
    from saylau.stages.calendar import STAGES

    reading_protocols()
    overrides = chamber_laws(law or [])
    for source in overrides.values():
        load_law(source)  # a law given with --law is checked before any protocol is read
    with progress_bar("count", quiet=quiet) as bar:
        reading = bar.add_task(f"reading {election}", total=None)
        inputs, root = load_inputs(election, seed=seed, data=data, reading=reporter(bar, reading))
        bar.remove_task(reading)
        task = bar.add_task("calendar", total=len(STAGES))

        def advance(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        result, laws = decide_with_laws(inputs, root, laws=overrides, progress=advance)
        bar.update(task, completed=len(STAGES))
        ran = Ran(inputs, root, laws, result, overrides)
        if then is not None:
            then(ran, lambda label: bar.update(task, description=label))
    return ran


def input_places(election: str, data: Path | None) -> list[Path]:
    """The folders a run reads: an election directory, or an importer's data folder."""
    from saylau.pipeline.run import DEFAULT_DATA, IMPORTERS

    if Path(election).is_dir():
        return [Path(election)]
    if election in IMPORTERS:
        return [data or DEFAULT_DATA]
    return []


def chamber_laws(options: list[str]) -> dict[str, str]:
    """`--law CHAMBER=LAW` options as a mapping; a chamber named twice is an error."""
    from saylau.errors import InputError

    found: dict[str, str] = {}
    for option in options:
        chamber, sign, name = option.partition("=")
        if not sign or not chamber.strip() or not name.strip():
            raise InputError(f"--law {option!r}: write CHAMBER=LAW, e.g. majilis=my-law.toml")
        if chamber.strip() in found:
            raise InputError(f"--law names chamber {chamber.strip()} twice")
        found[chamber.strip()] = name.strip()
    return found
