"""The election directory: it reads, writes back the same, and names file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import saylau
from saylau.errors import InputError
from saylau.io.election.read import read_election_dir
from saylau.io.election.write import write_election_dir
from tests.stages.demo import DEMO, demo_inputs


def copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def test_the_demo_directory_reads_into_a_registry_and_protocols() -> None:
    inputs = demo_inputs()
    election = inputs.election
    assert election.election_id == "demo"
    assert [c.chamber_id for c in election.chambers] == ["house"]
    assert len(election.stations) == 6
    assert sorted(inputs.protocols) == [
        ("house-d1", 1),
        ("house-d2", 1),
        ("house-d2", 2),
        ("house-d3", 1),
        ("house-list", 1),
    ]
    assert inputs.published.figures == {"house.majority": 4, "house.seats_total": 7}
    assert inputs.seed == 7
    assert election.party_by_id["red"].registration_order == 1
    assert [c.name for c in election.list_of("red")] == ["Ada Red", "Bo Red", "Cy Red"]


@pytest.mark.parametrize("protocol_format", ["csv", "parquet"])
def test_writing_and_reading_back_gives_the_same_values(
    tmp_path: Path, protocol_format: str
) -> None:
    inputs = demo_inputs()
    write_election_dir(inputs, tmp_path / "out", protocol_format=protocol_format)
    again = read_election_dir(tmp_path / "out")
    assert again.election == inputs.election
    assert again.notes == inputs.notes
    assert again.published == inputs.published
    assert again.seed == inputs.seed
    assert sorted(again.protocols) == sorted(inputs.protocols)
    for key, table in inputs.protocols.items():
        assert again.protocols[key].to_pylist() == table.to_pylist()


def test_a_bad_cell_names_the_file_line_and_field(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    path = root / "parties.csv"
    path.write_text(path.read_text().replace("red,Red Party,party,1", "red,Red Party,party,first"))
    with pytest.raises(InputError, match=r"parties.csv: line 2: field registration_order: 'first'"):
        read_election_dir(root)


def test_an_unknown_column_is_refused(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    path = root / "stations.csv"
    path.write_text(path.read_text().replace("territory_id\n", "territory_id,address\n", 1))
    with pytest.raises(InputError, match=r"stations.csv: line 1: unknown column\(s\) address"):
        read_election_dir(root)


def test_a_repeated_id_is_refused(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    path = root / "stations.csv"
    path.write_text(path.read_text() + "s1,d1,north\n")
    read_election_dir(root)  # the table is read whole; registration checks it
    with pytest.raises(InputError, match=r"stations\.csv: line 8: field station_id: s1 is regis"):
        saylau.run(root)


def test_a_protocol_file_for_an_unknown_contest_is_refused(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    shutil.copy(root / "protocols" / "house-d1.r1.csv", root / "protocols" / "house-d7.r1.csv")
    with pytest.raises(InputError, match=r"contest house-d7 is not in contests\.csv"):
        read_election_dir(root)


def test_a_protocol_column_for_someone_not_on_the_ballot_is_refused(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    path = root / "protocols" / "house-d1.r1.csv"
    path.write_text(path.read_text().replace("d1-blue", "d2-blue"))
    with pytest.raises(InputError, match="d2-blue"):
        read_election_dir(root)


def test_a_missing_registry_file_is_named(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    (root / "stations.csv").unlink()
    with pytest.raises(InputError, match=r"stations.csv: missing"):
        read_election_dir(root)


def test_election_toml_needs_a_chamber(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    (root / "election.toml").write_text('id = "x"\n')
    with pytest.raises(InputError, match=r"election\.toml: chambers: required"):
        read_election_dir(root)


def test_a_superscript_digit_is_not_a_number(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    path = root / "parties.csv"
    path.write_text(path.read_text().replace("#c0392b,3", "#c0392b,²"))
    with pytest.raises(InputError, match=r"parties.csv: line 2: field seats_before: '²' is not"):
        read_election_dir(root)
