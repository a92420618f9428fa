"""A large stations.csv is read in a thread of its own while the protocol files are read
(saylau.io.election.read, `BESIDE_BYTES`): the directory reads to the same values, and its
problems are told as if the files were read one after another, the protocols' dropped
where stations.csv fails."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from saylau.errors import InputError
from saylau.inputs import ElectionInputs
from saylau.io.election import read as reading
from saylau.io.election.read import read_election_dir
from tests.stages.demo import DEMO


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copied = tmp_path / "election"
    shutil.copytree(DEMO, copied)
    return copied


def _beside(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every stations.csv counts as large; the threads stations.csv is read in."""
    monkeypatch.setattr(reading, "BESIDE_BYTES", 0)
    threads: list[str] = []
    read_text_table = reading.read_text_table

    def recorded(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return read_text_table(*args)

    monkeypatch.setattr(reading, "read_text_table", recorded)
    return threads


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refusal(root: Path) -> list[str]:
    with pytest.raises(InputError) as refused:
        read_election_dir(root, check_laws=True)
    return str(refused.value).splitlines()


def _same(one: ElectionInputs, other: ElectionInputs) -> None:
    assert one.election == other.election
    assert one.election.stations.equals(other.election.stations)
    assert one.protocols.keys() == other.protocols.keys()
    for key, table in one.protocols.items():
        assert table.equals(other.protocols[key])
    assert one.origins == other.origins


def test_read_beside_the_protocols_it_gives_the_same_inputs(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = read_election_dir(root, check_laws=True)
    threads = _beside(monkeypatch)
    beside = read_election_dir(root, check_laws=True)
    assert threads and threading.current_thread().name not in threads
    _same(beside, alone)


def test_a_bad_stations_file_keeps_its_place_and_no_protocol_is_read(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replace(root / "stations.csv", "s2,d1,north", "s2,,north")
    _replace(root / "candidates.csv", "d1-blue,house-d1,Jo Blue", "d1-blue,house-d1,")
    _replace(root / "protocols" / "house-d1.r1.csv", "s2,900,", "s2,nine hundred,")
    alone = _refusal(root)
    threads = _beside(monkeypatch)
    beside = _refusal(root)
    assert threads
    assert beside == alone
    files = [line for line in beside if line.startswith("  /")]
    assert files == [f"  {root / 'stations.csv'}:", f"  {root / 'candidates.csv'}:"]
    assert "nine hundred" not in "\n".join(beside)


def test_a_stations_file_without_stations_reads_no_protocol(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "stations.csv").write_text("station_id,district_id,territory_id\n", encoding="utf-8")
    _replace(root / "protocols" / "house-d1.r1.csv", "s2,900,", "s2,nine hundred,")
    alone = _refusal(root)
    _beside(monkeypatch)
    beside = _refusal(root)
    assert beside == alone
    assert beside == [
        f"{root / 'stations.csv'}: stations.csv has no stations, so no protocol in "
        f"{root / 'protocols'} can be counted"
    ]


def test_the_protocols_problems_are_told_after_the_registry_s(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replace(root / "protocols" / "house-d1.r1.csv", "s2,900,", "s2,nine hundred,")
    (root / "protocols" / "house-d9.r1.csv").write_text("station_id\n", encoding="utf-8")
    alone = _refusal(root)
    _beside(monkeypatch)
    assert _refusal(root) == alone
    assert len([line for line in alone if line.startswith("  /")]) == 2
