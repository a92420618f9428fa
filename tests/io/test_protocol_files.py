"""Protocol files: CSV, gzipped CSV and Parquet read into protocol tables and back; every
file error names the file, the row and the field; progress reaches the total."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saylau.errors import InputError
from saylau.io.protocols import files as protocol_files
from saylau.io.protocols import whole as protocol_whole
from saylau.io.protocols.files import read_protocols, write_protocols
from saylau.protocol.lines import LINES
from saylau.protocol.table import check_table, table_from_protocols
from tests.protocol.helpers import GOOD, KZ_FORM, broken

HEADER = (
    "station_id,registered,ballots_received,took_part,ballots_cancelled,ballots_found,invalid,"
    "against_all,otan,communist"
)
ROW_0412 = "0412,1000,1200,900,300,900,20,50,600,230"
ROW_0413 = "0413,800,800,700,100,700,10,,600,90"


def csv_file(tmp_path: Path, *lines: str, name: str = "list.r1.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_csv_file_reads_into_the_table_layout(tmp_path: Path) -> None:
    table = read_protocols(csv_file(tmp_path, HEADER, ROW_0412, ROW_0413))
    assert table.column_names == [
        "station_id",
        "registered",
        "ballots_received",
        "took_part",
        "ballots_cancelled",
        "ballots_found",
        "invalid",
        "against_all",
        "otan",
        "communist",
    ]
    assert table.schema.field("station_id").type == pa.string()
    assert all(table[name].type == pa.int64() for name in table.column_names[1:])
    assert table["station_id"].to_pylist() == ["0412", "0413"]  # leading zeros kept
    assert table["against_all"].to_pylist() == [50, None]  # empty cell: not recorded
    assert table["communist"].to_pylist() == [230, 90]


def test_spaces_a_bom_and_blank_lines_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "list.r1.csv"
    text = f"\ufeff{HEADER.replace(',', ' , ')}\n\n {ROW_0412.replace(',', ' ,')}\n\n{ROW_0413}\n"
    path.write_text(text, encoding="utf-8")
    table = read_protocols(path)
    assert table["station_id"].to_pylist() == ["0412", "0413"]
    assert table["invalid"].to_pylist() == [20, 10]
    assert table["against_all"].to_pylist() == [50, None]


def test_a_cell_of_spaces_is_an_empty_cell(tmp_path: Path) -> None:
    table = read_protocols(csv_file(tmp_path, HEADER, ROW_0412.replace(",50,", ",  ,")))
    assert table["against_all"].to_pylist() == [None]


def test_negative_numbers_load_and_the_check_reports_them(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER, ROW_0412.replace(",20,50,", ",-20,50,"))
    table = read_protocols(path)
    assert table["invalid"].to_pylist() == [-20]
    check = check_table(table, "list", 1, form=KZ_FORM)
    assert [v.code for v in check.violations] == ["negative", "found_balance"]
    assert check.table.num_rows == 1  # kept for review


PROTOCOLS = [
    broken(station_id="0001"),
    broken(station_id="0002", against_all=None, invalid=70, took_part_outside=None),
    broken(station_id="0003", invalid=-4, ballots_lost=None),
]


@pytest.mark.parametrize("name", ["list.r1.csv", "list.r1.csv.gz", "list.r1.parquet"])
def test_write_and_read_back_give_the_same_table(tmp_path: Path, name: str) -> None:
    table = table_from_protocols(PROTOCOLS)
    path = tmp_path / name
    write_protocols(table, path)
    again = read_protocols(path)
    assert again.equals(table)
    assert list(tmp_path.iterdir()) == [path]  # no draft left behind
    if name.endswith(".gz"):
        assert gzip.decompress(path.read_bytes()).startswith(b'"station_id"')


def test_a_file_may_leave_out_the_optional_lines(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, HEADER.replace(",against_all", ""), "0412,1000,1200,900,300,900,20,650,230"
    )
    table = read_protocols(path)
    assert [name for name in table.column_names if name in LINES] == [
        "registered",
        "ballots_received",
        "took_part",
        "ballots_cancelled",
        "ballots_found",
        "invalid",
    ]
    assert check_table(table, "list", 1, form=KZ_FORM).violations == ()


def test_entries_given_allow_exactly_those_columns(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER, ROW_0412)
    assert read_protocols(path, entries={"otan", "communist", "civic"}).num_rows == 1
    with pytest.raises(InputError) as caught:
        read_protocols(path, entries=["otan"])
    assert str(caught.value) == (
        f"{path}: row 1, field communist: unknown column (not on the ballot of candidates.csv "
        f"or lists.csv); a column is station_id, a line ({', '.join(LINES)}) or an entry on "
        f"the ballot"
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [HEADER.replace("station_id,", ""), "1000,1200,900,300,900,20,50,600,230"],
            "row 1, field station_id: missing column (every protocol names its station)",
        ),
        (
            [HEADER.replace(",ballots_found", ""), "0412,1000,1200,900,300,20,50,600,230"],
            "row 1, field ballots_found: missing column (a required line)",
        ),
        ([HEADER + ",otan", ROW_0412 + ",1"], "row 1, field otan: the column appears twice"),
        ([HEADER + ",", ROW_0412 + ","], "row 1, a column has no name"),
        (
            [HEADER, ROW_0412, ROW_0413.replace(",10,,", ",12.5,,")],
            "row 3, field invalid: '12.5' is not a whole number",
        ),
        ([HEADER, ROW_0412.replace(",600,", ",abc,")], "row 2, field otan: 'abc' is not a whole"),
        ([HEADER, ROW_0412.replace(",600,", ",0x10,")], "row 2, field otan: '0x10' is not"),
        ([HEADER, ROW_0412.replace(",600,", ",+600,")], "row 2, field otan: '+600' is not"),
        ([HEADER, ROW_0412.replace(",600,", ",--6,")], "row 2, field otan: '--6' is not"),
        ([HEADER, ROW_0412.replace(",600,", ",-,")], "row 2, field otan: '-' is not"),
        (
            [HEADER, ROW_0412.replace(",1200,", ',"1,200",')],
            "row 2, field ballots_received: '1,200'",
        ),
        (
            [HEADER, ROW_0412.replace(",600,", ",99999999999999999999,")],
            "row 2, field otan: 99999999999999999999 is too large",
        ),
        (
            [HEADER, ROW_0412, ",800,800,700,100,700,10,,600,90"],
            "row 3, field station_id: empty; every protocol names its station",
        ),
        (
            [HEADER, ROW_0412, '" ",800,800,700,100,700,10,,600,90'],
            "row 3, field station_id: empty",
        ),
        ([HEADER, ROW_0412, "0413,800,800"], "row 3: expected 10 fields, found 3"),
        ([HEADER, "", "", ROW_0412, "", "0413,x"], "row 6: expected 10 fields, found 2"),
        ([HEADER, "", ROW_0412, "", ROW_0413.replace(",90", ",9 0")], "row 5, field communist"),
    ],
)
def test_every_file_error_names_the_file_row_and_field(
    tmp_path: Path, lines: list[str], expected: str
) -> None:
    path = csv_file(tmp_path, *lines)
    with pytest.raises(InputError) as caught:
        read_protocols(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_an_empty_file_and_a_file_of_another_kind(tmp_path: Path) -> None:
    empty = tmp_path / "list.r1.csv"
    empty.write_text("")
    with pytest.raises(InputError, match=r"list\.r1\.csv: the file is empty"):
        read_protocols(empty)
    with pytest.raises(InputError, match=r"votes\.xlsx: a protocol file ends in \.csv"):
        read_protocols(tmp_path / "votes.xlsx")
    with pytest.raises(InputError, match=r"absent\.csv: no such file"):
        read_protocols(tmp_path / "absent.csv")
    fake = tmp_path / "list.r1.csv.gz"
    fake.write_text(HEADER)
    with pytest.raises(
        InputError, match=r"list\.r1\.csv\.gz: not a gzip file, or cut short \(Not a gzipped file"
    ):
        read_protocols(fake)
    notparquet = tmp_path / "list.r1.parquet"
    notparquet.write_text(HEADER)
    with pytest.raises(InputError, match=r"list\.r1\.parquet: not a Parquet file"):
        read_protocols(notparquet)


def test_a_header_alone_is_an_empty_table(tmp_path: Path) -> None:
    table = read_protocols(csv_file(tmp_path, HEADER))
    assert table.num_rows == 0
    assert table.column_names[0] == "station_id"


def many_rows(count: int) -> list[str]:
    return [f"{i:06d},1000,1200,900,300,900,20,50,600,230" for i in range(count)]


def test_rows_are_counted_across_batches_and_blank_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol_files, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(protocol_whole, "BLOCK_BYTES", 4096)
    rows = many_rows(2_000)
    rows[1_500] = rows[1_500].replace(",600,", ",6OO,")  # letter O for zero, line 1,502 + 2
    path = csv_file(tmp_path, HEADER, "", "", *rows)
    with pytest.raises(InputError, match=r": row 1504, field otan: '6OO' is not a whole number"):
        read_protocols(path)


def test_progress_reaches_the_total_in_bytes_for_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol_files, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(protocol_whole, "BLOCK_BYTES", 4096)
    path = csv_file(tmp_path, HEADER, *many_rows(2_000))
    calls: list[tuple[int, int]] = []
    table = read_protocols(path, progress=lambda done, total: calls.append((done, total)))
    assert table.num_rows == 2_000
    size = path.stat().st_size
    assert len(calls) > 2
    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.parametrize("name", ["list.r1.csv.gz", "list.r1.parquet"])
def test_progress_reaches_the_total_for_gzip_and_parquet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(protocol_files, "BATCH_ROWS", 300)
    monkeypatch.setattr(protocol_files, "WHOLE_BATCH_ROWS", 300)
    monkeypatch.setattr(protocol_files, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(protocol_whole, "BLOCK_BYTES", 4096)
    table = read_protocols(csv_file(tmp_path, HEADER, *many_rows(1_000)))
    path = tmp_path / name
    write_protocols(table, path)
    calls: list[tuple[int, int]] = []
    assert read_protocols(path, progress=lambda d, t: calls.append((d, t))).equals(table)
    total = 1_000 if name.endswith(".parquet") else path.stat().st_size
    assert calls[-1] == (total, total)
    assert len(calls) > 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def parquet_file(tmp_path: Path, **columns: pa.Array) -> Path:
    base = table_from_protocols([broken(station_id=f"{i:04d}") for i in range(5)])
    for name, values in columns.items():
        base = base.set_column(base.column_names.index(name), name, values)
    path = tmp_path / "list.r1.parquet"
    pq.write_table(base, path)
    return path


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            {"invalid": pa.array([20.0, 20.0, 20.5, 20.0, 20.0])},
            "row 1, field invalid: 20.0 is double, not a whole number; store whole numbers",
        ),
        (
            {"otan": pa.array(["600", "600", "600", "6e2", "600"])},
            "row 4, field otan: '6e2' is not a whole number",
        ),
        (
            {"station_id": pa.array([1, 2, 3, 4, 5])},
            "row 1, field station_id: the column holds int64; station ids are text",
        ),
        (
            {"station_id": pa.array(["0001", "0002", "", "0004", "0005"])},
            "row 3, field station_id: empty",
        ),
        (
            {"registered": pa.array([1, 2, 3, 4, 2**64 - 1], pa.uint64())},
            "row 5, field registered: 18446744073709551615 is too large",
        ),
    ],
)
def test_parquet_errors_name_the_row_and_field(
    tmp_path: Path, columns: dict[str, pa.Array], expected: str
) -> None:
    path = parquet_file(tmp_path, **columns)
    with pytest.raises(InputError) as caught:
        read_protocols(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_parquet_rows_are_counted_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol_files, "BATCH_ROWS", 2)
    path = parquet_file(tmp_path, otan=pa.array(["600", "600", "600", "600", "x"]))
    with pytest.raises(InputError, match=r"row 5, field otan: 'x' is not a whole number"):
        read_protocols(path)


def test_parquet_integers_of_any_width_and_text_numbers_load(tmp_path: Path) -> None:
    path = parquet_file(
        tmp_path,
        invalid=pa.array([20] * 5, pa.int16()),
        otan=pa.array(["600", " 600", "600", "600 ", "600"]),
        against_all=pa.array([50, 50, None, 50, 50], pa.uint32()),
        station_id=pa.array(["0000", "0001", "0002", "0003", "0004"]).dictionary_encode(),
    )
    table = read_protocols(path)
    assert table["otan"].to_pylist() == [600] * 5
    assert table["against_all"].to_pylist() == [50, 50, None, 50, 50]
    assert table["station_id"].type == pa.string()
    assert all(table[name].type == pa.int64() for name in table.column_names[1:])


def test_write_refuses_a_table_without_stations_and_an_unknown_suffix(tmp_path: Path) -> None:
    table = table_from_protocols([GOOD])
    with pytest.raises(ValueError, match="a protocol table has a station_id column"):
        write_protocols(table.drop_columns(["station_id"]), tmp_path / "x.csv")
    with pytest.raises(InputError, match=r"x\.json: a protocol file ends in"):
        write_protocols(table, tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []
