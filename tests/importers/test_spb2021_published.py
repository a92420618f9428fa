"""The figures a St Petersburg run is compared with are data files of the importer, each with
its source and kind; and where the importer reads when no folder is given: the shipped copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.importers.spb2021.city import ELECTION
from saylau.importers.spb2021.duma import ELECTION as DUMA_ELECTION
from saylau.importers.spb2021.files import SHOWN, folder, shipped
from saylau.importers.spb2021.published import FIGURES_FILE, SOURCES_FILE, read_published
from saylau.pipeline.run import DEFAULT_DATA, load_inputs

STATION_FILES = (
    "spb2021_zaks_list_by_uik.csv.gz",
    "spb2021_zaks_smd_by_uik.csv.gz",
    "spb2021_duma_list_by_uik.csv.gz",
    "spb2021_duma_smd_by_uik.csv.gz",
    "spb2021_parties.csv",
)


def test_every_figure_has_its_source_and_kind() -> None:
    zaks = read_published(ELECTION)
    assert zaks.figures["zaks.registered"] == 3_882_917
    assert set(zaks.figures) == set(zaks.sources)
    assert {zaks.kind(key) for key in zaks.figures} == {"sum_of_inputs"}
    duma = read_published(DUMA_ELECTION)
    kinds = {key: duma.kind(key) for key in duma.figures}
    assert {k for k, kind in kinds.items() if kind == "published"} == {
        f"duma.list_seats.{party}" for party in range(1, 15)
    }
    assert set(kinds.values()) == {"published", "sum_of_inputs"}
    assert not set(zaks.figures) & set(duma.figures)


def test_the_shipped_copy_is_the_default_and_holds_every_file_a_run_reads() -> None:
    assert shipped() == DEFAULT_DATA
    assert folder(None).file("x.csv")[1] == f"{SHOWN}/x.csv"
    assert folder(Path("some/where")).file("x.csv") == (
        Path("some/where/x.csv"),
        "some/where/x.csv",
    )
    for name in (*STATION_FILES, FIGURES_FILE, SOURCES_FILE, "SOURCES.md"):
        assert (shipped() / name).is_file(), name


def _copy(tmp_path: Path) -> Path:
    for name in (FIGURES_FILE, SOURCES_FILE):
        shutil.copy(shipped() / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (",sum_of_inputs,", ",sum,", r"line 2: field kind: 'sum' is not one of published, "),
        (",3882917,", ",3 882 917,", r"line 2: field value: '3 882 917' is not a whole number"),
        (",zaks-station-files\n", ",nowhere\n", r"line 2: field source: 'nowhere' is not in"),
    ],
)
def test_a_bad_figure_is_refused_naming_the_line_and_field(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    path = _copy(tmp_path) / FIGURES_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=says):
        read_published(ELECTION, tmp_path)


def test_an_election_without_figures_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no figures for election spb-2099"):
        read_published("spb-2099", _copy(tmp_path))


def test_a_folder_given_that_cannot_be_read_names_data(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=rf"^--data {tmp_path}: {tmp_path}/spb2021_zaks_list_by"):
        load_inputs("spb-2021", data=tmp_path)
    with pytest.raises(InputError, match=rf"^--data {tmp_path}: .*spb2021_duma_list_by_uik"):
        load_inputs("spb-2021-duma", data=tmp_path)
