"""Saylau runs a parliamentary election under a mixed electoral law, exactly as the law says.

The promised surface is small:

    import saylau
    law = saylau.load_law("kz-1999-majilis")
    alloc = saylau.allocate({"otan": 1_622_895, ...}, seats=10, method="hare",
                            threshold=law.list_tier.threshold, took_part=5_253_864)
    print(alloc.seats, alloc.explanation)
    result = saylau.run("kz-1999")       # or the path of an election directory
    print(result.chamber("majilis").parties)

Everything else is importable but not promised.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from saylau.version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from fractions import Fraction
    from pathlib import Path

    from saylau.analysis.compare import Comparison
    from saylau.analysis.forensics import Forensics
    from saylau.errors import (
        InputError,
        LawError,
        RuleError,
        RuleMissing,
        SaylauError,
        SeatsUnallocatable,
        TieUnresolved,
    )
    from saylau.law import Law, bundled_law_names, load_law
    from saylau.results import ElectionResult
    from saylau.rules.allocation import Allocation, ListEntry
    from saylau.rules.apportion import METHODS, allocate, allocate_list_tier

_HOMES = {
    "InputError": "saylau.errors",
    "LawError": "saylau.errors",
    "RuleError": "saylau.errors",
    "RuleMissing": "saylau.errors",
    "SaylauError": "saylau.errors",
    "SeatsUnallocatable": "saylau.errors",
    "TieUnresolved": "saylau.errors",
    "Law": "saylau.law",
    "bundled_law_names": "saylau.law",
    "load_law": "saylau.law",
    "Allocation": "saylau.rules.allocation",
    "ListEntry": "saylau.rules.allocation",
    "METHODS": "saylau.rules.apportion",
    "allocate": "saylau.rules.apportion",
    "allocate_list_tier": "saylau.rules.apportion",
}
"""Where each promised name lives: it is loaded on first use, so that importing any part of
Saylau (the command line above all) does not load the law's schema and the rules."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'saylau' has no attribute {name!r}")
    return getattr(import_module(home), name)


__all__ = [
    "METHODS",
    "Allocation",
    "InputError",
    "Law",
    "LawError",
    "ListEntry",
    "RuleError",
    "RuleMissing",
    "SaylauError",
    "SeatsUnallocatable",
    "TieUnresolved",
    "__version__",
    "allocate",
    "allocate_list_tier",
    "bundled_law_names",
    "compare",
    "forensics",
    "load_law",
    "run",
]


def run(
    source: "str | Path",
    *,
    seed: int | None = None,
    laws: "Mapping[str, str | Path] | None" = None,
) -> "ElectionResult":
    """Run an election by name (`kz-1999`, `spb-2021`, `spb-2021-duma`) or from an election
    directory.

    `laws` maps a chamber id to another law (a bundled name or a file) to replay the same
    votes under it: the result is then labelled a counterfactual and names the law applied.
    """
    from saylau.pipeline.run import run as run_election

    return run_election(source, seed=seed, laws=laws)


def compare(
    source: "str | Path",
    *,
    chamber: str | None = None,
    methods: "Sequence[str]" = (),
    thresholds: "Sequence[str | int | Fraction]" = (),
    district_rules: "Sequence[str]" = (),
    seed: int | None = None,
) -> "Comparison":
    """Replay an election's chamber under every combination of allocation methods,
    thresholds (percentages; 0 is none) and district rules (`plurality`,
    `absolute_majority`); a setting left empty keeps the law's own. Each row of the result
    holds its seats, its indices, whether it is the real law, and the seats each setting
    moved (saylau.analysis.compare)."""
    from saylau.pipeline.run import compare_laws

    return compare_laws(
        source,
        chamber=chamber,
        methods=methods,
        thresholds=thresholds,
        district_rules=district_rules,
        seed=seed,
    )


def forensics(
    source: "str | Path",
    *,
    contest: str | None = None,
    entry: str | None = None,
    draws: int = 1000,
    resample_seed: int = 2016,
    seed: int | None = None,
) -> "Forensics":
    """Election forensics on a contest's accepted protocols (by default the list contest,
    studying the list with the most votes): the turnout-share fingerprint (a pyarrow
    histogram), the integer-percentage test, last-digit tests and turnout by territory, each
    with what it measures and does not prove (saylau.analysis.forensics)."""
    from saylau.pipeline.run import run_forensics

    return run_forensics(
        source, contest=contest, entry=entry, draws=draws, resample_seed=resample_seed, seed=seed
    )
