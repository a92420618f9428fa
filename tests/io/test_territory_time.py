"""A territory's local time: territories.csv may give each territory its offset from UTC
(`utc_offset`, +HH:MM or -HH:MM), which a replay reads for when its polls close; a cell that
is not an offset is refused, naming the file, the line and the field; the offsets write back
and read again the same, and a directory without the column writes none."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.errors import InputError
from saylau.io.election.read import read_election_dir
from saylau.io.election.write import write_election_dir
from saylau.registry.model import UTC_OFFSETS, utc_offset_minutes, utc_offset_text
from tests.io.test_election_dir import copy_demo


def _with_offsets(root: Path, north: str, south: str) -> None:
    (root / "territories.csv").write_text(
        "territory_id,name,kind,utc_offset\n"
        f"north,North Province,oblast,{north}\n"
        f"south,South Province,oblast,{south}\n",
        encoding="utf-8",
    )


def test_offsets_are_read_as_minutes_and_write_back_the_same(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    _with_offsets(root, "+06:00", "-03:30")
    inputs = read_election_dir(root)
    offsets = {t.territory_id: t.utc_offset for t in inputs.election.territories}
    assert offsets == {"north": 360, "south": -210}
    write_election_dir(inputs, tmp_path / "out")
    text = (tmp_path / "out" / "territories.csv").read_text(encoding="utf-8")
    assert "north,North Province,oblast,+06:00" in text and ",-03:30" in text
    again = read_election_dir(tmp_path / "out").election.territories
    assert {t.territory_id: t.utc_offset for t in again} == offsets


def test_an_empty_cell_or_no_column_gives_no_offset(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    inputs = read_election_dir(root)
    assert all(t.utc_offset is None for t in inputs.election.territories)
    write_election_dir(inputs, tmp_path / "out")
    header = (tmp_path / "out" / "territories.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "utc_offset" not in header
    _with_offsets(root, "+05:00", "")
    found = {t.territory_id: t.utc_offset for t in read_election_dir(root).election.territories}
    assert found == {"north": 300, "south": None}


@pytest.mark.parametrize("cell", ["5", "+5:00", "UTC+5", "+05:60", "+15:00", "-12:30", "+0500"])
def test_a_cell_that_is_not_an_offset_is_refused_by_file_line_and_field(
    tmp_path: Path, cell: str
) -> None:
    root = copy_demo(tmp_path)
    _with_offsets(root, "+06:00", cell)
    with pytest.raises(InputError) as refused:
        read_election_dir(root)
    said = str(refused.value)
    assert "territories.csv: line 3: field utc_offset" in said and repr(cell) in said, said
    assert "+HH:MM" in said


@given(st.integers(UTC_OFFSETS[0], UTC_OFFSETS[1]))
def test_an_offset_reads_back_from_its_text(minutes: int) -> None:
    assert utc_offset_minutes(utc_offset_text(minutes)) == minutes
