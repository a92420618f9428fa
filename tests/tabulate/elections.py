"""A hypothesis strategy for small elections: a registry, protocols, acceptance, corrections."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import strategies as st

from saylau.protocol.lines import OPTIONAL_LINES, Line, Protocol
from tests.tabulate.tables import protocol

PARTIES = ("otan", "communist", "agrarian", "civic")
COUNT = st.integers(0, 10**6)


@dataclass(frozen=True)
class Election:
    """One contest's protocols as they arrive, and which of them are accepted."""

    places: tuple[tuple[str, str, str], ...]
    """(station, district, territory) of every registry station."""
    entries: tuple[str, ...]
    off_form: frozenset[Line]
    arrivals: tuple[tuple[Protocol, bool], ...]
    """Every version of every protocol, in the order it arrives, and whether accepted."""
    expected: tuple[str, ...] | None

    def latest(self, upto: int | None = None) -> list[tuple[Protocol, bool]]:
        """The newest version of each station among the first `upto` arrivals."""
        held: dict[str, tuple[Protocol, bool]] = {}
        for found, accepted in self.arrivals[:upto]:
            held[found.station_id] = (found, accepted)
        return list(held.values())


@st.composite
def protocols(
    draw: st.DrawFn, station: str, entries: tuple[str, ...], off_form: frozenset[Line]
) -> Protocol:
    """Any protocol of `station`: the figures need not balance, tabulation only sums them."""
    counts = (draw(COUNT), draw(COUNT), draw(COUNT), draw(COUNT), draw(COUNT), draw(COUNT))
    votes = {entry: draw(COUNT) for entry in entries if draw(st.integers(0, 4))}  # some left out
    optional = {
        line: None if line in off_form else draw(st.none() | COUNT) for line in OPTIONAL_LINES
    }
    return protocol(
        station,
        counts,
        votes,
        outside=optional["took_part_outside"],
        against_all=optional["against_all"],
        lost=optional["ballots_lost"],
    )


@st.composite
def elections(draw: st.DrawFn, *, corrections: bool = True) -> Election:
    """A registry of up to 14 stations, some reporting (some more than once), some not."""
    territories = [f"t{i}" for i in range(draw(st.integers(1, 3)))]
    districts = [
        (f"d{i}", draw(st.sampled_from(territories))) for i in range(draw(st.integers(1, 5)))
    ]
    places = tuple(
        (f"s{i:02d}", *draw(st.sampled_from(districts))) for i in range(draw(st.integers(1, 14)))
    )
    stations = [place[0] for place in places]
    entries = tuple(draw(st.lists(st.sampled_from(PARTIES), unique=True, max_size=4)))
    off_form = frozenset(draw(st.sets(st.sampled_from(OPTIONAL_LINES))))
    reporting = draw(st.lists(st.sampled_from(stations), unique=True))
    expected: tuple[str, ...] | None = None
    if draw(st.booleans()):
        others = draw(st.sets(st.sampled_from(stations)))
        expected = tuple(sorted(set(reporting) | others))
    strays = [f"x{i}" for i in range(draw(st.integers(0, 2)))]
    versions: list[list[tuple[Protocol, bool]]] = []
    for station in reporting + strays:
        count = draw(st.integers(1, 3)) if corrections else 1
        chain = []
        for version in range(1, count + 1):
            found = draw(protocols(station, entries, off_form))
            accepted = station not in strays and draw(st.booleans())
            chain.append((replace(found, version=version), accepted))
        versions.append(chain)
    arrivals: list[tuple[Protocol, bool]] = []
    while any(versions):  # interleave the stations, each station's versions in order
        chain = draw(st.sampled_from([chain for chain in versions if chain]))
        arrivals.append(chain.pop(0))
    return Election(places, entries, off_form, tuple(arrivals), expected)


__all__ = ["PARTIES", "Election", "elections", "protocols"]
