"""The seat diagram: a chamber's seats on concentric arcs, coloured by party, with a legend
and the majority marked.

Seats fill rows of arcs; each row holds seats in proportion to its length, and the seats
are coloured in wedges from left to right, one party after another. Every seat is a
shape of its own whose id names its party (`seat-<party>-<n>`), so the diagram can be
counted. The Majilis shows its parties, seats left vacant and seats not elected in the
data; a chamber filled by colleges (the Senate) shows who nominated the seats elected
now, the elected seats not renewed this time, and the appointed ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.patches import Circle

from saylau.registry.colours import (
    APPOINTED_COLOUR,
    NOT_IN_DATA_COLOUR,
    NOT_UP_COLOUR,
    VACANT_COLOUR,
)
from saylau.report.figures import Picture, drawing, marked, render
from saylau.report.i18n import gettext
from saylau.results import ChamberResult, PartyResult

INNER = 0.38
"""The radius of the innermost row, the outermost being 1."""


@dataclass(frozen=True)
class Segment:
    """Seats of one kind in the diagram: a party's, or vacant, appointed, ..."""

    key: str
    label: str
    seats: int
    colour: str
    generated: bool = False


def seat_positions(total: int) -> list[tuple[float, float, float]]:
    """(x, y, radius) of `total` seats, left to right, inner row first at each angle."""
    if total <= 0:
        return []
    rows = 2
    while _capacity(rows) and sum(_capacity(rows)) < total:
        rows += 1
    capacity = _capacity(rows)
    counts = _share_out(total, capacity)
    pitch = (1 - INNER) / (rows - 1)
    seats: list[tuple[float, float, float, float]] = []
    for row, count in enumerate(counts):
        radius = INNER + row * pitch
        for j in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - j / (count - 1))
            seats.append((-angle, radius, radius * math.cos(angle), radius * math.sin(angle)))
    seats.sort()
    size = 0.42 * pitch
    return [(x, y, size) for _, _, x, y in seats]


def _capacity(rows: int) -> list[int]:
    """How many seats each of `rows` rows can hold, a seat's width apart."""
    pitch = (1 - INNER) / (rows - 1)
    return [int(math.pi * (INNER + row * pitch) / pitch) + 1 for row in range(rows)]


def _share_out(total: int, capacity: Sequence[int]) -> list[int]:
    """`total` seats over the rows in proportion to their capacity (largest remainder)."""
    whole = sum(capacity)
    counts = [total * c // whole for c in capacity]
    order = sorted(range(len(capacity)), key=lambda r: (-(total * capacity[r] % whole), -r))
    for row in order[: total - sum(counts)]:
        counts[row] += 1
    return counts


def majilis_segments(
    chamber: ChamberResult,
    parties: Sequence[PartyResult],
    colours: Mapping[str, str],
    *,
    published: bool = False,
) -> list[Segment]:
    """Each party's seats (as won, or as published), then vacant and not-in-data seats."""
    segments = []
    for party in parties:
        seats = (party.published_total or 0) if published else party.total_seats
        if seats:
            generated = not published and chamber.generated(f"total_seats.{party.party_id}")
            segments.append(
                Segment(party.party_id, party.name, seats, colours[party.party_id], generated)
            )
    if not published:
        segments += _empty_seats(chamber)
    return segments


def college_segments(
    chamber: ChamberResult, names: Mapping[str, str], colours: Mapping[str, str]
) -> list[Segment]:
    """Seats elected now by who nominated them, then the elected seats not renewed this
    time, the appointed seats, vacant and not-in-data seats."""
    counts: dict[str, int] = {}
    for seat in chamber.seats:
        counts[seat.party_id] = counts.get(seat.party_id, 0) + 1
    segments = [
        Segment(key, names.get(key, f"nominated by {key}"), n, colours[key])
        for key, n in sorted(counts.items(), key=lambda item: -item[1])
    ]
    not_up = (chamber.seats_elected or 0) - chamber.seats_contested
    if chamber.seats_contested and not_up > 0:
        label = "elected earlier, not renewed in this election"
        segments.append(Segment("not_up", label, not_up, NOT_UP_COLOUR))
    if chamber.appointed_seats:
        segments.append(
            Segment("appointed", "appointed", chamber.appointed_seats, APPOINTED_COLOUR)
        )
    return segments + _empty_seats(chamber)


def _empty_seats(chamber: ChamberResult) -> list[Segment]:
    found = []
    if chamber.seats_vacant:
        found.append(Segment("vacant", "vacant", chamber.seats_vacant, VACANT_COLOUR))
    if chamber.seats_not_in_data:
        label = "not elected in this data"
        found.append(Segment("not_in_data", label, chamber.seats_not_in_data, NOT_IN_DATA_COLOUR))
    if chamber.seats_not_decided:
        label = "not decided"
        found.append(Segment("not_decided", label, chamber.seats_not_decided, NOT_IN_DATA_COLOUR))
    return found


def hemicycle(
    name: str, title: str, segments: Sequence[Segment], seats_total: int, majority: int
) -> Picture:
    """The diagram of `segments`; seats the segments leave out are drawn as unaccounted."""
    segments = list(segments)
    missing = seats_total - sum(s.seats for s in segments)
    if missing > 0:
        label = "not accounted for in the result"
        segments.append(Segment("unaccounted", label, missing, "#000000"))
    positions = seat_positions(sum(s.seats for s in segments))
    generated = any(s.generated for s in segments)
    with drawing(6.4, 4.2) as figure:
        axes = figure.add_subplot()
        axes.set_aspect("equal")
        axes.set_axis_off()
        at = 0
        for segment in segments:
            for n in range(1, segment.seats + 1):
                x, y, size = positions[at]
                at += 1
                seat = Circle((x, y), size, facecolor=segment.colour, edgecolor="#444444")
                seat.set_linewidth(0.4)
                seat.set_gid(f"seat-{segment.key}-{n}")
                axes.add_patch(seat)
        axes.plot([0, 0], [INNER - 0.12, 1.08], linestyle="--", color="#333333", linewidth=0.8)
        majority_text = gettext("majority: %(majority)s of %(seats)s") % {
            "majority": majority,
            "seats": seats_total,
        }
        axes.text(0, 1.11, majority_text, ha="center", va="bottom")
        axes.text(0, 0.02, str(seats_total), ha="center", va="bottom", fontsize=22)
        size = positions[0][2] if positions else 0
        axes.set_xlim(-1 - size - 0.03, 1 + size + 0.03)
        axes.set_ylim(-size - 0.03, 1.2)
        handles = [
            Circle((0, 0), 1, facecolor=s.colour, edgecolor="#444444", linewidth=0.4)
            for s in segments
        ]
        labels = [marked(f"{s.label}: {s.seats}", s.generated) for s in segments]
        figure.legend(
            handles, labels, loc="outside lower center", ncols=2, frameon=False, fontsize=8
        )
        axes.set_title(marked(title, generated))
    return render(figure, name, title, generated=generated)
