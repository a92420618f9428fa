"""The options several commands share, declared once.

Their help names what the rooms below know (the bundled elections, the forensics defaults)
as plain text, so that `saylau --help` loads none of those rooms; tests/cli/test_options.py
holds each text to the value it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final

import typer

KNOWN_ELECTIONS: Final = ("kz-1999", "spb-2021", "spb-2021-duma")
"""The elections `saylau run NAME` knows (saylau.pipeline.run.names)."""

DRAWS: Final = 1000
"""Resamples of the integer-percentage test (saylau.analysis.integer_percent.DRAWS)."""

RESAMPLE_SEED: Final = 2016
"""The resamples' seed (saylau.analysis.integer_percent.SEED)."""

ElectionArgument = Annotated[
    str,
    typer.Argument(
        help=f"A known election ({', '.join(KNOWN_ELECTIONS)}) or the path of an election "
        "directory (docs/election-directory.md)."
    ),
]
SeedOption = Annotated[
    int | None, typer.Option(help="Seed of a generated scenario (default: its own).")
]
DataOption = Annotated[
    Path | None,
    typer.Option(help="Folder of an importer's real files (default: the copy Saylau ships)."),
]
LawOption = Annotated[
    list[str] | None,
    typer.Option(
        "--law",
        help="CHAMBER=LAW: decide a chamber under another law (a bundled name or a file); "
        "the result is labelled a counterfactual. Repeatable.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Show no progress bar.")]
