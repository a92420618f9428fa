"""Pictures as SVG and PNG from matplotlib, the same bytes for the same election.

No pyplot and no global backend: each figure is a `matplotlib.figure.Figure` on an Agg
canvas of its own, saved as PNG and as SVG. The SVG draws its text as shapes (each glyph
defined once), so it looks the same in any browser whatever fonts it has; its ids are
salted with a fixed string and prefixed with the figure's name (so several pictures can
share one page), and neither file carries a date or a version.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from saylau.report.i18n import gettext
from saylau.results import GENERATED_MARK

STYLE: Final[dict[RcKeyType, Any]] = {
    "svg.hashsalt": "saylau",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "figure.dpi": 100,
    "savefig.dpi": 100,
}
"""Fixed settings: a deterministic SVG and the fonts matplotlib ships with."""

SVG_METADATA: Final = {"Creator": "Saylau", "Date": None, "Format": None, "Type": None}
PNG_METADATA: Final = {"Software": "Saylau"}
PNG_DPI: Final = 110

GENERATED_NOTE: Final = f"{GENERATED_MARK} rests on generated data, never published"


@dataclass(frozen=True)
class Picture:
    """One picture of a report: its file name (without suffix), title, SVG text and PNG
    bytes, whether it rests on generated data, and a caption."""

    name: str
    title: str
    svg: str
    png: bytes
    generated: bool = False
    caption: str = ""

    @property
    def inline_svg(self) -> str:
        """The SVG element alone, to place inside an HTML page."""
        return self.svg[self.svg.index("<svg") :]


@contextmanager
def drawing(width: float, height: float) -> Iterator[Figure]:
    """A new figure of `width` x `height` inches under the fixed style."""
    with mpl.rc_context(STYLE):
        yield Figure(figsize=(width, height), layout="constrained")


def render(
    figure: Figure, name: str, title: str, *, generated: bool = False, caption: str = ""
) -> Picture:
    """Both files of a drawn figure; the caption says when a figure rests on generated data."""
    with mpl.rc_context(STYLE):
        FigureCanvasAgg(figure)
        svg = io.StringIO()
        figure.savefig(svg, format="svg", metadata=SVG_METADATA)
        png = io.BytesIO()
        figure.savefig(png, format="png", metadata=PNG_METADATA, dpi=PNG_DPI)
    if generated:
        note = gettext("%(mark)s rests on generated data, never published") % {
            "mark": GENERATED_MARK
        }
        caption = f"{caption} {note}.".strip()
    return Picture(name, title, _prefixed(svg.getvalue(), name), png.getvalue(), generated, caption)


def marked(text: str, generated: bool) -> str:
    """A title, label or figure with the mark when it rests on generated data (an empty
    cell stays empty)."""
    return f"{text}{GENERATED_MARK}" if text and generated else text


def titled(figure: Figure, title: str, generated: bool) -> None:
    """The figure's title across its whole width, from the left, marked when generated."""
    figure.suptitle(marked(title, generated), x=0.01, ha="left", fontsize=10, fontweight="bold")


_ID = re.compile(r'(\bid="|url\(#|xlink:href="#|href="#)([^")]+)')


def _prefixed(svg: str, name: str) -> str:
    """Every id of the SVG, and every reference to one, prefixed with the figure's name."""
    return _ID.sub(lambda m: f"{m[1]}{name}-{m[2]}", svg)
