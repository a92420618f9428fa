"""The seat diagrams and charts: seats counted by colour in the SVG, the same bytes for the
same election, and the small pieces they are made of."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from saylau.analysis.counts import RunCounts
from saylau.errors import InputError
from saylau.pipeline.run import decide_with_laws, facts_of, load_inputs
from saylau.registry.colours import PALETTE, normal_colour, party_colours
from saylau.registry.model import Party
from saylau.report.charts_turnout import histogram
from saylau.report.data import ReportData
from saylau.report.hemicycle import seat_positions
from saylau.report.html import write_report
from tests.conftest import DATA

SVG = "{http://www.w3.org/2000/svg}"


@cache
def _written(folder: str) -> Path:
    inputs, root = load_inputs("kz-1999")
    result, laws = decide_with_laws(inputs, root)
    write_report(ReportData(result, RunCounts(inputs, laws), facts_of("kz-1999")), Path(folder))
    return Path(folder)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _written(str(tmp_path_factory.mktemp("figures")))


def seats_by_fill(svg: Path) -> Counter[str]:
    """Each seat of the diagram (an element whose id is `...seat-<key>-<n>`) by its fill."""
    found: Counter[str] = Counter()
    for group in ET.parse(svg).getroot().iter(f"{SVG}g"):
        if re.search(r"-seat-.+-\d+$", group.get("id", "")):
            (shape,) = list(group)
            fill = re.search(r"fill:\s*(#[0-9a-f]{6})", shape.get("style", ""))
            assert fill is not None, group.get("id")
            found[fill[1]] += 1
    return found


def test_the_majilis_diagram_has_77_seats_in_the_published_colours_and_counts(
    written: Path,
) -> None:
    with (DATA / "kz-1999" / "published_seats.csv").open(encoding="utf-8") as handle:
        seats = {r["party_id"]: int(r["total_seats"]) for r in csv.DictReader(handle)}
    with (DATA / "kz-1999" / "parties.csv").open(encoding="utf-8") as handle:
        colours = {r["party_id"]: r["colour"] for r in csv.DictReader(handle)}
    expected = Counter({colours[party]: n for party, n in seats.items() if n})
    found = seats_by_fill(written / "figures" / "seats-majilis.svg")
    assert sum(found.values()) == 77
    assert found == expected


def test_the_senate_diagram_shows_its_39_seats(written: Path) -> None:
    found = seats_by_fill(written / "figures" / "seats-senate.svg")
    # 12 maslikhat nominees and 4 self-nominated elected in 1999 [seed], 16 elected seats
    # not renewed, 7 appointed [IPU / RFE-RL]
    assert sorted(found.values()) == [4, 7, 12, 16]
    assert sum(found.values()) == 39


def test_the_same_election_draws_the_same_bytes(written: Path, tmp_path: Path) -> None:
    again = _written(str(tmp_path))
    for svg in sorted((written / "figures").iterdir()):
        assert (again / "figures" / svg.name).read_bytes() == svg.read_bytes(), svg.name
    page = (written / "report.html").read_bytes()
    assert (again / "report.html").read_bytes() == page


def test_pictures_carry_no_date_or_version(written: Path) -> None:
    for svg in (written / "figures").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<dc:date>" not in text and "Matplotlib v" not in text


@pytest.mark.parametrize("total", [1, 2, 3, 7, 16, 39, 50, 77, 225, 450, 600])
def test_every_seat_has_a_place_left_to_right(total: int) -> None:
    places = seat_positions(total)
    assert len(places) == total
    assert len({(round(x, 9), round(y, 9)) for x, y, _ in places}) == total
    angles = [float(np.arctan2(y, x)) for x, y, _ in places]
    assert all(a >= b - 1e-9 for a, b in pairwise(angles))


def test_station_turnout_is_binned_exactly() -> None:
    registered = np.array([100, 200, 40, 0, 100, 100, 3])
    took_part = np.array([50, 100, 1, 0, 101, 100, 1])
    counts, over, empty = histogram(registered, took_part)
    # 50% and 50% -> the bin from 50 (index 20); 2.5% -> index 1; 100% -> the last bin;
    # 1/3 = 33.3% -> index 13; 101% above; nobody on the list apart
    assert (counts[20], counts[1], counts[39], counts[13]) == (2, 1, 1, 1)
    assert counts.sum() == 5 and over == 1 and empty == 1


def test_colours_come_from_the_data_then_the_palette() -> None:
    parties = [
        Party("a", "A", colour="#ABC"),
        Party("b", "B"),
        Party("independent", "Independents", kind="independent"),
        Party("c", "C", colour=PALETTE[0]),
    ]
    found = party_colours(parties, ["maslikhat"])
    assert found["a"] == "#aabbcc" and found["c"] == PALETTE[0]
    assert found["independent"] == "#999999"
    assert found["b"] == PALETTE[1] and found["maslikhat"] == PALETTE[2]
    assert party_colours(parties, ["maslikhat"]) == found


def test_a_bad_colour_names_the_party() -> None:
    with pytest.raises(InputError, match=r"parties.csv: party x: colour: 'reddish'"):
        party_colours([Party("x", "X", colour="reddish")])
    assert normal_colour("1F78B4", "here") == "#1f78b4"
