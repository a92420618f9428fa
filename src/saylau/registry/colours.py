"""Party colours: the election's own (`parties.csv` `colour`), else a fixed palette.

A colour is part of the election data. Where the data gives none, each party takes the
next colour of `PALETTE` that no other party holds, in registry order, so the same
election always gets the same colours. Independents default to grey.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from saylau.errors import InputError
from saylau.registry.model import INDEPENDENT, Party

PALETTE: Final = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#a6761d",
    "#386cb0",
)
"""Default colours, in the order parties take them (distinct from the greys below)."""

INDEPENDENT_COLOUR: Final = "#999999"
VACANT_COLOUR: Final = "#ffffff"
NOT_IN_DATA_COLOUR: Final = "#e6e6e6"
NOT_UP_COLOUR: Final = "#c8c8c8"
APPOINTED_COLOUR: Final = "#6b6b6b"

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def normal_colour(text: str, where: str) -> str:
    """`#rrggbb` in lower case from `#rrggbb` or `#rgb` (the `#` may be left out)."""
    found = _HEX.fullmatch(text.strip())
    if found is None:
        raise InputError(f"{where}: {text!r} is not a colour; write #rrggbb, e.g. #1f78b4")
    digits = found[1].lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def party_colours(parties: Sequence[Party], others: Iterable[str] = ()) -> dict[str, str]:
    """Each party's colour, and one for each of `others` (ids outside the registry, such as
    a nominating body), in that order; the data's own colours first, then the palette."""
    found: dict[str, str] = {}
    for party in parties:
        if party.colour:
            found[party.party_id] = normal_colour(
                party.colour, f"parties.csv: party {party.party_id}: colour"
            )
        elif party.party_id == INDEPENDENT:
            found[party.party_id] = INDEPENDENT_COLOUR
    free = [colour for colour in PALETTE if colour not in found.values()]
    wanted = [p.party_id for p in parties] + [o for o in others if o not in found]
    for party_id in dict.fromkeys(wanted):
        if party_id not in found:
            found[party_id] = free.pop(0) if free else _extra(len(found))
    return found


def _extra(index: int) -> str:
    """A colour beyond the palette: evenly spaced hues, fixed by position."""
    hue = (index * 137) % 360
    red, green, blue = (_channel(hue, shift) for shift in (0, 120, 240))
    return f"#{red:02x}{green:02x}{blue:02x}"


def _channel(hue: int, shift: int) -> int:
    distance = min((hue - shift) % 360, (shift - hue) % 360)
    return 70 + max(0, 120 - distance) * 150 // 120
