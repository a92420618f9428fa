"""The St Petersburg importer on small hand-made files: every malformed input is named."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.importers.spb2021.city import LIST_CONTEST, read_spb2021
from saylau.importers.spb2021.duma import DUMA, read_spb2021_duma
from saylau.importers.spb2021.files import shipped
from saylau.importers.spb2021.source_csv import COLUMNS
from saylau.importers.spb2021.tables import ABROAD
from saylau.protocol.lines import STATION
from saylau.protocol.table import check_table
from saylau.registry.stations import station_rows
from tests.importers.test_spb2021 import _sums
from tests.protocol.helpers import form_of

REAL = shipped()
LIST = REAL / "spb2021_zaks_list_by_uik.csv.gz"
DISTRICTS = REAL / "spb2021_zaks_smd_by_uik.csv.gz"


HEADER = [*COLUMNS, "official_place", "official_winner_flag"]
"""The columns of the real files: those read, and two the importer leaves aside."""
UR = 'Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"'
KPRF = 'Политическая партия "КОММУНИСТИЧЕСКАЯ ПАРТИЯ РОССИЙСКОЙ ФЕДЕРАЦИИ"'
Row = dict[str, object]


def _station(
    tier: str, smd: str, uik: int, tik: int, entries: list[tuple[int, str, str, int]]
) -> list[Row]:
    valid = sum(votes for *_, votes in entries)
    lines = {
        "registered": 100,
        "ballots_received": 90,
        "ballots_cancelled": 40,
        "ballots_stationary": 45,
        "ballots_portable": 5,
        "valid": valid,
        "invalid": 50 - valid,
        "lost": 0,
        "not_counted": 0,
    }
    place = {"election": "city", "tier": tier, "smd": smd, "uik": uik, "tik": tik}
    return [
        {**place, "raion": "Центральный район", **lines, "entry_position": position}
        | {"entry_name": name, "party_id": party, "votes": votes}
        | {"official_place": "", "official_winner_flag": ""}
        for position, name, party, votes in entries
    ]


def _list_rows() -> list[Row]:
    return _station("list", "", 1, 1, [(1, UR, "5", 30), (2, KPRF, "1", 15)]) + _station(
        "list", "", 2, 1, [(1, UR, "5", 20), (2, KPRF, "1", 25)]
    )


def _district_rows() -> list[Row]:
    return _station("smd", "1", 1, 1, [(1, "Иванов", "5", 28), (2, "Петров", "", 16)]) + _station(
        "smd", "1", 2, 1, [(1, "Иванов", "5", 19), (2, "Петров", "", 24)]
    )


def _write(path: Path, rows: list[Row], header: list[str] = HEADER) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _election(
    tmp_path: Path, city: list[Row] | None = None, local: list[Row] | None = None
) -> Path:
    (tmp_path / "spb2021_parties.csv").write_bytes((REAL / "spb2021_parties.csv").read_bytes())
    _write(tmp_path / LIST.name, _list_rows() if city is None else city)
    _write(tmp_path / DISTRICTS.name, _district_rows() if local is None else local)
    return tmp_path


def _refused(tmp_path: Path, match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_spb2021(tmp_path)


def test_a_small_election_reads_exactly(tmp_path: Path) -> None:
    inputs = read_spb2021(_election(tmp_path))
    assert inputs.protocols[(LIST_CONTEST, 1)].to_pylist() == [
        {STATION: "1", "registered": 100, "ballots_received": 90, "took_part": 50}
        | {"ballots_cancelled": 40, "ballots_found": 50, "invalid": 5, "ballots_lost": 0}
        | {"ballots_unaccounted": 0, "valid": 45}
        | {"5": 30, "1": 15},
        {STATION: "2", "registered": 100, "ballots_received": 90, "took_part": 50}
        | {"ballots_cancelled": 40, "ballots_found": 50, "invalid": 5, "ballots_lost": 0}
        | {"ballots_unaccounted": 0, "valid": 45}
        | {"5": 20, "1": 25},
    ]
    assert inputs.protocols[("zaks-01", 1)].column_names[-2:] == ["zaks-01-1", "zaks-01-2"]
    assert [(c.name, c.nominator) for c in inputs.election.candidates] == [
        ("Иванов", "5"),
        ("Петров", "self"),
    ]
    assert [p.party_id for p in inputs.election.parties] == ["1", "5"]
    assert inputs.election.territories[0].name == "TIK 1 (Центральный район)"


def test_two_rows_of_a_station_that_disagree_are_a_conflict(tmp_path: Path) -> None:
    city = _list_rows()
    city[1]["registered"] = 101
    _election(tmp_path, city=city)
    _refused(
        tmp_path,
        r"spb2021_zaks_list_by_uik\.csv\.gz: row 3, field registered: station 1 has 101 "
        r"here but 100 on row 2",
    )


def test_a_missing_column_is_refused(tmp_path: Path) -> None:
    _election(tmp_path)
    _write(tmp_path / DISTRICTS.name, _district_rows(), [h for h in HEADER if h != "votes"])
    _refused(tmp_path, r"spb2021_zaks_smd_by_uik\.csv\.gz: row 1: missing column votes")


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("1O", "'1O' is not a whole number"),
        ("0x10", "'0x10' is not"),
        ("-3", "'-3' is not"),
        ("", "empty; a whole number is needed"),
        ("4.0", "'4.0' is not"),
    ],
)
def test_a_bad_cell_is_refused(tmp_path: Path, cell: str, says: str) -> None:
    local = _district_rows()
    local[3]["votes"] = cell
    _election(tmp_path, local=local)
    _refused(tmp_path, rf"spb2021_zaks_smd_by_uik\.csv\.gz: row 5, field votes: {says}")


def test_spaces_around_a_number_are_allowed(tmp_path: Path) -> None:
    local = _district_rows()
    local[3]["votes"] = " 24 "
    inputs = read_spb2021(_election(tmp_path, local=local))
    assert _sums(inputs.protocols[("zaks-01", 1)]) == {"zaks-01-1": 47, "zaks-01-2": 40}


def test_rows_are_counted_as_csv_lines_across_quoted_line_breaks(tmp_path: Path) -> None:
    city = _list_rows()
    for row in city:
        if row["party_id"] == "5":
            row["entry_name"] = UR.replace(" ", "\n", 1)
    city[3]["votes"] = "x"
    parties = (REAL / "spb2021_parties.csv").read_text(encoding="utf-8")
    _election(tmp_path, city=city)
    (tmp_path / "spb2021_parties.csv").write_text(
        parties.replace('"Всероссийская политическая', '"Всероссийская\nполитическая'),
        encoding="utf-8",
    )
    _refused(tmp_path, r"row 7, field votes: 'x' is not a whole number")


def test_a_row_with_too_few_fields_is_refused(tmp_path: Path) -> None:
    _election(tmp_path)
    path = tmp_path / LIST.name
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]
    path.write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    _refused(tmp_path, r"row 3: expected 21 fields, got 20")


def test_a_second_count_for_the_same_cell_is_refused(tmp_path: Path) -> None:
    city = _list_rows()
    _election(tmp_path, city=[*city, dict(city[0])])
    _refused(tmp_path, r"row 6, field votes: station 1 already has a count for party_id 5 on row 2")


def test_a_station_without_a_count_for_an_entry_is_refused(tmp_path: Path) -> None:
    local = _district_rows()
    del local[3]
    _election(tmp_path, local=local)
    _refused(
        tmp_path, r"row 4, field votes: station 2 has no row for entry_position 2 in district 1"
    )


def test_an_entry_that_changes_its_name_is_refused(tmp_path: Path) -> None:
    local = _district_rows()
    local[3]["entry_name"] = "Сидоров"
    _election(tmp_path, local=local)
    _refused(
        tmp_path, r"row 5, field entry_name: entry_position 2 in district 1 has 'Сидоров' here"
    )


def test_a_party_missing_from_the_parties_file_is_refused(tmp_path: Path) -> None:
    local = _district_rows()
    for row in local[:1] + local[2:3]:
        row["party_id"] = "99"
    _election(tmp_path, local=local)
    _refused(tmp_path, r"row 2, field party_id: '99' is not in spb2021_parties\.csv")


def test_the_files_must_agree_on_a_stations_commission(tmp_path: Path) -> None:
    local = _district_rows()
    for row in local[2:]:
        row["tik"] = 2
    _election(tmp_path, local=local)
    _refused(tmp_path, r"row 4, field tik: station 2 has 2 here but 1 on row 4 of")


def test_a_station_without_a_district_protocol_is_placed_by_its_commission(tmp_path: Path) -> None:
    city = _list_rows() + _station("list", "", 3, 1, [(1, UR, "5", 10), (2, KPRF, "1", 10)])
    inputs = read_spb2021(_election(tmp_path, city=city))
    assert station_rows(inputs.election.stations)[-1].district_id == "01"
    assert any(n.kind == "conflict" and "Station 3 " in n.text for n in inputs.notes)
    local = _district_rows() + _station("smd", "2", 4, 1, [(1, "Орлов", "", 40)])
    _election(tmp_path, city=city, local=local)
    _refused(tmp_path, r"row 6, field uik: station 3 has no district protocol .* districts 1, 2")


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    _election(tmp_path)
    (tmp_path / LIST.name).write_bytes(b"not gzip")
    _refused(tmp_path, r"spb2021_zaks_list_by_uik\.csv\.gz: cannot read")
    (tmp_path / LIST.name).unlink()
    _refused(tmp_path, r"spb2021_zaks_list_by_uik\.csv\.gz: cannot read")


def test_a_list_entry_must_bear_its_partys_ballot_name(tmp_path: Path) -> None:
    city = _list_rows()
    for row in city:
        if row["party_id"] == "1":
            row["entry_name"] = "КПРФ"
    _election(tmp_path, city=city)
    _refused(tmp_path, r"row 3, field entry_name: 'КПРФ', but row 2 of spb2021_parties\.csv")


def test_a_station_lies_in_one_district(tmp_path: Path) -> None:
    local = _district_rows() + _station("smd", "2", 2, 1, [(1, "Орлов", "", 40)])
    _election(tmp_path, local=local)
    _refused(tmp_path, r"row 6, field smd: station 2 is in district 2 here but in district 1")


def test_the_valid_line_is_carried_and_the_law_judges_it(tmp_path: Path) -> None:
    """A station whose published valid differs from its entries keeps both as published;
    the law's relation valid_balance reports it, not an importer note."""
    city = _list_rows()
    for row in city[:2]:
        row["valid"] = 44
    inputs = read_spb2021(_election(tmp_path, city=city))
    table = inputs.protocols[(LIST_CONTEST, 1)]
    assert table["valid"].to_pylist() == [44, 45]
    assert not any("valid" in n.text and n.kind == "conflict" for n in inputs.notes)
    stations = inputs.election.stations_table["station_id"]
    check = check_table(table, LIST_CONTEST, 1, stations, form=form_of("spb-2021-zaks"))
    assert [(v.station_id, v.code, v.severity) for v in check.violations] == [
        ("1", "valid_balance", "reject")
    ]


def _abroad(tik: int) -> tuple[list[Row], list[Row]]:
    """The small election plus station 8050 abroad, attached to commission `tik`."""
    city = _station("list", "", 8050, tik, [(1, UR, "5", 40), (2, KPRF, "1", 5)])
    local = _station("smd", "1", 8050, tik, [(1, "Иванов", "5", 40), (2, "Петров", "", 5)])
    for row in [*city, *local]:
        row["raion"] = ABROAD
    return _list_rows() + city, _district_rows() + local


def test_a_station_abroad_is_counted_in_the_commission_the_files_name(tmp_path: Path) -> None:
    city, local = _abroad(1)
    inputs = read_spb2021(_election(tmp_path, city=city, local=local))
    station = station_rows(inputs.election.stations)[-1]
    assert (station.station_id, station.district_id, station.territory_id) == ("8050", "01", "1")
    assert inputs.election.territories[0].name == "TIK 1 (Центральный район)"
    (note,) = [n for n in inputs.notes if "abroad" in n.text]
    assert "8050 (tik 1, district 1)" in note.text


def test_a_commission_of_stations_abroad_only_is_named_so(tmp_path: Path) -> None:
    city, local = _abroad(9)
    inputs = read_spb2021(_election(tmp_path, city=city, local=local))
    assert inputs.election.territory_by_id["9"].name == f"TIK 9 ({ABROAD})"


def test_the_duma_files_are_read_in_the_same_layout(tmp_path: Path) -> None:
    city, local = _list_rows(), _district_rows()
    for row in local:
        row["smd"] = "211"
    for row in [*city, *local]:
        row["election"] = "federal"
    _write(tmp_path / DUMA.list_file, city)
    _write(tmp_path / DUMA.district_file, local)
    (tmp_path / "spb2021_parties.csv").write_bytes((REAL / "spb2021_parties.csv").read_bytes())
    inputs = read_spb2021_duma(tmp_path)
    assert [c.contest_id for c in inputs.election.contests] == ["duma-list", "duma-211"]
    assert [(c.chamber_id, c.law) for c in inputs.election.chambers] == [("duma", "ru-2021-duma")]
    assert inputs.protocols[("duma-list", 1)].equals(
        read_spb2021(_election(tmp_path)).protocols[(LIST_CONTEST, 1)]
    )
    _write(tmp_path / DUMA.list_file, _list_rows())
    with pytest.raises(InputError, match=r"row 2, field election: 'city', expected 'federal'"):
        read_spb2021_duma(tmp_path)
