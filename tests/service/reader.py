"""What the browser tests of the public pages share: the two widths a reader uses, what a
reader should never see (an id, a developer's message), and whether a page fits its width."""

from __future__ import annotations

import re
from typing import Any

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}
IDS = re.compile(r"\b(majilis-\d\d(-c\d+|-new)?|majilis-list|took_part|ballots_\w+|akmola)\b")
DEVELOPER = ("not decidable", "invalidations.csv", "field replaces", "Traceback", "rule(s)")

FITS = """() => ({
  wide: document.documentElement.scrollWidth,
  screen: window.innerWidth,
  cut: [...document.querySelectorAll("main th, main td, main li, main p")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map((el) => el.textContent.trim().slice(0, 40)).slice(0, 5),
})"""


def plain(page: Any, where: str) -> list[str]:
    """What a page shows that a reader should never see: an id, a developer's message."""
    return plain_text(page.inner_text("main"), where)


def plain_text(text: str, where: str, ids: re.Pattern[str] = IDS) -> list[str]:
    """`plain`, of text already read from a page."""
    found = [f"{where}: shows the id {m.group(0)!r}" for m in ids.finditer(text)][:3]
    return found + [f"{where}: shows {d!r}" for d in DEVELOPER if d in text]


def misfits(page: Any, where: str) -> list[str]:
    """Whether the page is wider than its screen, or cuts a cell, a line or an item."""
    fits = page.evaluate(FITS)
    if fits["wide"] > fits["screen"] + 1 or fits["cut"]:
        return [f"{where}: {fits['wide']}px wide, cut: {fits['cut']}"]
    return []
