"""The cells of the run's tables and lines as text: figures in the current language, with
the generated mark and the marks of compared figures."""

from __future__ import annotations

from saylau.report import i18n
from saylau.results import COMPARED_MARKS, GENERATED_MARK, ChamberResult


def marked(chamber: ChamberResult, figure: str, text: str, marks: bool = False) -> str:
    """`text` with the generated mark where the figure rests on generated data, and with
    `marks`, the mark of the kind of figure it was compared with."""
    if text and chamber.generated(figure):
        text = f"{text}{GENERATED_MARK}"
    return compared(chamber, figure, text) if marks else text


def compared(chamber: ChamberResult, figure: str, text: str) -> str:
    kind = chamber.compared_kind(figure)
    return f"{text}{COMPARED_MARKS[kind]}" if text and kind is not None else text


def seats(value: int) -> str:
    """A number of seats (or districts) in a line of text: as it is in English, as the
    language writes it elsewhere."""
    return str(value) if i18n.language() == i18n.DEFAULT else i18n.number(value)


def n(value: int | None) -> str:
    return i18n.number(value)
