"""The reading edge: only regular files; text read once and in one form (Unicode NFC, "NA"
as NA, ASCII digits only, control characters never echoed raw); hidden files left alone and
noted; a contest id any file name can hold; an empty stations.csv named as such."""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from saylau.errors import InputError, LawError
from saylau.io.election.read import read_election_dir
from saylau.io.protocols.files import read_protocols
from saylau.io.table_files import read_rows
from saylau.law.loader import read_law
from tests.stages.demo import DEMO

NFC_E = unicodedata.normalize("NFC", "é")
NFD_E = unicodedata.normalize("NFD", "é")
HEADER = "station_id,registered,ballots_received,took_part,ballots_cancelled,ballots_found,invalid"


def copy_demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    return root


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def protocol(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "list.r1.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# Unicode normal form


def test_ids_in_another_normal_form_are_the_same_id(tmp_path: Path) -> None:
    """A candidate written in NFD in candidates.csv and NFC in the protocol's header, and a
    station the other way round, are the same ids."""
    root = copy_demo(tmp_path)
    replace(root / "candidates.csv", "d1-red,", f"d1-r{NFD_E}d,")
    replace(root / "protocols" / "house-d1.r1.csv", "d1-red,", f"d1-r{NFC_E}d,")
    replace(root / "stations.csv", "s1,", f"s1{NFC_E},")
    for name in ("house-list.r1.csv", "house-d1.r1.csv"):
        replace(root / "protocols" / name, "\ns1,", f"\ns1{NFD_E},")
    inputs = read_election_dir(root)
    assert f"d1-r{NFC_E}d" in {c.candidate_id for c in inputs.election.candidates}
    assert inputs.protocols[("house-d1", 1)].column_names[-2] == f"d1-r{NFC_E}d"
    assert inputs.protocols[("house-d1", 1)]["station_id"][0].as_py() == f"s1{NFC_E}"
    assert inputs.election.stations["station_id"][0].as_py() == f"s1{NFC_E}"


def test_a_clash_that_normalising_makes_in_the_registry_names_both_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(f"party_id,name\nr{NFC_E}d,A\nr{NFD_E}d,B\n", encoding="utf-8")
    rows = read_rows(path, ("party_id", "name"))
    from saylau.io.table_files import unique

    with pytest.raises(InputError, match=r"line 3: field party_id: 'réd' already on line 2 \("):
        unique(path, rows, "party_id")


def test_a_clash_that_normalising_makes_in_stations_names_both_lines(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    replace(root / "stations.csv", "s1,", f"s{NFC_E},")
    replace(root / "stations.csv", "s2,", f"s{NFD_E},")
    with pytest.raises(InputError) as caught:
        read_election_dir(root)
    assert "stations.csv: line 3: field station_id: 'sé' is on line 2 too" in str(caught.value)
    assert "Unicode normal form NFC" in str(caught.value)


def test_a_clash_that_normalising_makes_in_a_protocol_names_both_rows(tmp_path: Path) -> None:
    path = protocol(tmp_path, f"s{NFC_E},1,1,1,0,1,0", "", f"s{NFD_E},1,1,1,0,1,0")
    with pytest.raises(InputError) as caught:
        read_protocols(path)
    message = str(caught.value)
    assert f"{path}: row 4, field station_id: 'sé' is the station of row 2 too" in message


def test_two_headers_the_same_in_nfc_are_a_doubled_column(tmp_path: Path) -> None:
    path = protocol(tmp_path, header=f"{HEADER},r{NFC_E}d,r{NFD_E}d")
    with pytest.raises(InputError, match=r"row 1, field réd: the column appears twice \(columns"):
        read_protocols(path)


# Text as it is


def test_na_is_a_station_id_and_nan_is_not_a_number(tmp_path: Path) -> None:
    table = read_protocols(protocol(tmp_path, "NA,1,1,1,0,1,0", "NaN,2,2,2,0,2,0"))
    assert table["station_id"].to_pylist() == ["NA", "NaN"]
    with pytest.raises(InputError, match=r"row 2, field invalid: 'NaN' is not a whole number"):
        read_protocols(protocol(tmp_path, "s1,1,1,1,0,1,NaN"))
    with pytest.raises(InputError, match=r"row 2, field registered: 'NA' is not a whole number"):
        read_protocols(protocol(tmp_path, "s1,NA,1,1,0,1,0"))


def test_a_station_id_na_in_stations_csv_stays_na(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    replace(root / "stations.csv", "s1,", "NA,")
    for name in ("house-list.r1.csv", "house-d1.r1.csv"):
        replace(root / "protocols" / name, "\ns1,", "\nNA,")
    inputs = read_election_dir(root)
    assert inputs.election.stations["station_id"][0].as_py() == "NA"
    assert inputs.protocols[("house-list", 1)]["station_id"][0].as_py() == "NA"


def test_only_ascii_digits_are_digits(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"row 2, field invalid: '৪' is not a whole number"):
        read_protocols(protocol(tmp_path, "s1,1,1,1,0,1,৪"))
    path = tmp_path / "parties.csv"
    path.write_text("party_id,name,registration_order\nred,Red,৪\n", encoding="utf-8")
    from saylau.io.table_files import whole

    row = read_rows(path, ("party_id", "name"), ("registration_order",))[0]
    with pytest.raises(InputError, match=r"field registration_order: '৪' is not a whole"):
        whole(path, row, "registration_order")


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        ("s1,1,1,1,0,1,4\x00", r"'4\x00' is not a whole number"),
        ("s\x001,1,1,1,0,1,0", r"'s\x001' holds a control character"),
        ("s\x1b[31m,1,1,1,0,1,0", r"'s\x1b[31m' holds a control character"),
    ],
)
def test_control_characters_are_escaped_never_echoed(tmp_path: Path, row: str, shown: str) -> None:
    with pytest.raises(InputError) as caught:
        read_protocols(protocol(tmp_path, row))
    message = str(caught.value)
    assert shown in message
    assert "\x00" not in message and "\x1b" not in message


def test_a_control_character_in_the_registry_is_refused_and_escaped(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text("party_id,name\nred\x00,Red\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_rows(path, ("party_id", "name"))
    assert r"line 2: field party_id: 'red\x00' holds a control character" in str(caught.value)
    assert "\x00" not in str(caught.value)


def test_a_byte_order_mark_is_allowed_in_election_toml_and_a_law_file(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    for path in (root / "election.toml", root / "law" / "demo-house.toml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_election_dir(root).election.election_id == "demo"
    law_file = root / "law" / "demo-house.toml"
    law = read_law(law_file)
    import hashlib

    assert law.sha256 == hashlib.sha256(law_file.read_bytes()).hexdigest()


# Regular files only


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_law_file_that_is_no_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "law.toml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(LawError, match=r"law\.toml: not a regular file"):
        read_law(path)


def test_a_folder_that_cannot_be_read_is_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_demo(tmp_path)
    protocols = root / "protocols"
    real = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == protocols:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    with pytest.raises(InputError) as caught:
        read_election_dir(root)
    assert str(caught.value) == f"{protocols}: cannot read the folder: Permission denied"


# Hidden files


def test_hidden_files_are_ignored_and_noted(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    for path in (
        root / "protocols" / ".DS_Store",
        root / ".DS_Store",
        root / "law" / "._demo-house.toml",
    ):
        path.write_bytes(b"\x00\x05\x16\x07 not a protocol")
    inputs = read_election_dir(root)
    unused = sorted(n.text for n in inputs.notes if n.kind == "unused")
    assert unused == [
        f"{root / '.DS_Store'}: a hidden file, not read",
        f"{root / 'law' / '._demo-house.toml'}: a hidden file, not read",
        f"{root / 'protocols' / '.DS_Store'}: a hidden file, not read",
    ]
    assert len(inputs.protocols) == 5


# Contest ids and file names: one rule


def test_a_cyrillic_contest_id_names_its_protocol_file(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    replace(root / "contests.csv", "house-d1,", "палата-о1,")
    replace(root / "candidates.csv", ",house-d1,", ",палата-о1,")
    # macOS writes file names in NFD; the id is read in NFC either way
    name = unicodedata.normalize("NFD", "палата-о1.r1.csv")
    (root / "protocols" / "house-d1.r1.csv").rename(root / "protocols" / name)
    inputs = read_election_dir(root)
    assert ("палата-о1", 1) in inputs.protocols


@pytest.mark.parametrize(
    ("contest", "words"),
    [
        ("house/d1", "holds a slash"),
        ("house\\d1", "holds a slash"),
        (".house-d1", "starts with a dot"),
        ("д" * 101, "202 bytes of UTF-8, more than the 200"),
    ],
)
def test_contests_csv_refuses_an_id_no_file_name_can_hold(
    tmp_path: Path, contest: str, words: str
) -> None:
    root = copy_demo(tmp_path)
    replace(root / "contests.csv", "house-d1,", f"{contest},")
    with pytest.raises(InputError) as caught:
        read_election_dir(root)
    assert "contests.csv: line 3: field contest_id: " in str(caught.value)
    assert words in str(caught.value)


# An empty registry


def test_an_empty_stations_csv_is_named(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    (root / "stations.csv").write_text("station_id,district_id,territory_id\n")
    with pytest.raises(InputError) as caught:
        read_election_dir(root)
    assert str(caught.value).startswith(f"{root / 'stations.csv'}: stations.csv has no stations")


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_registry_lines_may_end_in_lf_crlf_or_cr(tmp_path: Path, end: str) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(f"\ufeffparty_id,name{end}red,Red{end}{end}blue,Blue{end}".encode())
    rows = read_rows(path, ("party_id", "name"))
    assert [(line, values["party_id"]) for line, values in rows] == [(2, "red"), (4, "blue")]
