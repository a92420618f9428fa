"""The figures a St Petersburg 2021 run is compared with, read from the importer's data files.

`data/published.csv` holds one figure a row: the election it belongs to, its key as a run
compares it (`<chamber>.<figure>` or `<chamber>.<figure>.<party_id>`), its value, its kind
(saylau.inputs.FigureKind) and the id of its source; `data/published_sources.csv` gives each
source id its text. The station sums are of the kind `sum_of_inputs`: they were measured
once from the same station files a run reads, so they check the reading, not the count. The
Duma's national list seats are `published`, by the Central Election Commission.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from saylau.errors import InputError
from saylau.importers.spb2021.files import shipped
from saylau.inputs import FIGURE_KINDS, FigureKind, Published
from saylau.io.table_files import cell, parse_whole, read_rows, unique

FIGURES_FILE: Final = "published.csv"
SOURCES_FILE: Final = "published_sources.csv"
KINDS: Final[dict[str, FigureKind]] = {kind: kind for kind in FIGURE_KINDS}


@cache
def read_published(election_id: str, folder: Path | None = None) -> Published:
    """The figures of `election_id`, each with its source and kind, in the file's order;
    read from the package's data files, or those of `folder`."""
    folder = shipped() if folder is None else folder
    sources_path = folder / SOURCES_FILE
    source_rows = read_rows(sources_path, ("source", "text"))
    unique(sources_path, source_rows, "source")
    texts = {cell(sources_path, r, "source"): cell(sources_path, r, "text") for r in source_rows}
    path = folder / FIGURES_FILE
    rows = read_rows(path, ("election", "figure", "value", "kind", "source"))
    figures: dict[str, int] = {}
    sources: dict[str, str] = {}
    kinds: dict[str, FigureKind] = {}
    for row in rows:
        if cell(path, row, "election") != election_id:
            continue
        key = cell(path, row, "figure")
        if key in figures:
            raise InputError(f"{path}: line {row[0]}: field figure: {key!r} is given twice")
        value = parse_whole(cell(path, row, "value"), f"{path}: line {row[0]}: field value")
        kind = KINDS.get(cell(path, row, "kind"))
        if kind is None:
            raise InputError(
                f"{path}: line {row[0]}: field kind: {row[1]['kind']!r} is not one of "
                f"{', '.join(FIGURE_KINDS)}"
            )
        source = cell(path, row, "source")
        if source not in texts:
            raise InputError(
                f"{path}: line {row[0]}: field source: {source!r} is not in {SOURCES_FILE}"
            )
        figures[key] = value
        sources[key] = texts[source]
        if kind != "published":
            kinds[key] = kind
    if not figures:
        raise InputError(f"{path}: no figures for election {election_id}")
    return Published(figures, sources, kinds=kinds)
