"""The turnout-share fingerprint as a figure (SVG or PNG), drawn the same way every time.

matplotlib draws off screen (the Agg canvas, no pyplot state). The SVG's element ids come
from a fixed salt (`svg.hashsalt`) and it carries no date; the PNG carries no software
version: the same histogram gives the same bytes with the same matplotlib. Colour is the
number of stations in each one-point bin, on a log scale; an empty bin is white. On
generated data the figure says so in red under its title.
"""

from __future__ import annotations

import io
import textwrap
from typing import Literal

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from saylau.analysis.forensics import Forensics
from saylau.rules.decision import BASE_LABELS

Format = Literal["svg", "png"]

SALT = "saylau"
"""The fixed salt of the SVG's element ids."""


def fingerprint_figure(found: Forensics, title: str | None = None) -> Figure:
    """Turnout across, the studied list's share up; colour: stations per bin (log scale)."""
    counts = found.fingerprint.matrix()
    figure = Figure(figsize=(6.4, 5.6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    shown = np.ma.masked_equal(counts, 0)
    top = max(int(counts.max()), 1)
    image = axes.imshow(
        shown,
        origin="lower",
        extent=(0, 100, 0, 100),
        cmap="viridis",
        norm=LogNorm(vmin=1, vmax=max(top, 2)),
        interpolation="nearest",
        aspect="equal",
    )
    stations = found.stations
    base = BASE_LABELS.get(stations.base_name, stations.base_name)
    axes.set_xlabel("turnout, % of registered voters")
    entry = found.names.get(stations.entry, stations.entry)
    axes.set_ylabel(f"{entry}: % of {base}")
    heading = f"{found.name}: {stations.contest_id}, {found.fingerprint.stations:,} stations"
    axes.set_title(title or "\n".join(textwrap.wrap(heading, 60)), fontsize=10)
    if found.generated:
        figure.suptitle(
            "GENERATED DATA: this fingerprint reflects Saylau's generator, not the election",
            color="red",
            fontsize=9,
        )
    bar = figure.colorbar(image, ax=axes, shrink=0.8)
    bar.set_label("polling stations per 1-point bin")
    return figure


def figure_bytes(figure: Figure, kind: Format) -> bytes:
    """The figure as SVG or PNG bytes, the same every time for the same figure."""
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": "Saylau"} if kind == "svg" else {"Software": "Saylau"}
    with mpl.rc_context({"svg.hashsalt": SALT, "svg.fonttype": "path"}):
        figure.savefig(buffer, format=kind, metadata=metadata)
    return buffer.getvalue()
