"""Forensics on whole elections: accepted protocols only, honest labels, typed results."""

from __future__ import annotations

from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from saylau.analysis.forensics import FINDINGS, forensics
from saylau.errors import InputError
from saylau.pipeline.run import load_inputs, own_laws, run_forensics
from tests.conftest import ROOT

DEMO = ROOT / "examples" / "demo-election"


def test_generated_data_says_so_first() -> None:
    found = run_forensics("kz-1999")
    assert found.warning is not None and found.warning.startswith("GENERATED DATA")
    assert "reflect the generator, not the election" in found.warning
    assert "stations" in found.generated
    assert found.stations.entry == "otan" == found.stations.leader
    assert found.stations.base_name == "took_part"
    assert found.stations.table.num_rows == found.stations.protocols == 4912
    assert isinstance(found.fingerprint.histogram, pa.Table)
    assert found.fingerprint.matrix().sum() == 4912
    assert found.turnout.level == "territory" and found.turnout.most_distant[0] == "almaty_city"


def test_real_data_carries_no_warning_and_the_russian_base() -> None:
    found = run_forensics("spb-2021-duma")
    assert found.warning is None and found.generated == ()
    assert found.stations.base_name == "ballots_found"
    table = found.stations.table
    assert table.column("base").equals(table.column("ballots_found"))
    assert found.turnout.level == "district"  # one territory: the city
    assert set(found.findings) == {"fingerprint", "integer_percent", "last_digits", "turnout"}
    for finding in found.findings.values():
        assert finding.measures and finding.does_not_prove and finding.source


def test_only_accepted_protocols_are_studied() -> None:
    inputs, root = load_inputs(DEMO)
    laws, _ = own_laws(inputs, root)
    key = ("house-list", 1)
    table = inputs.protocols[key]
    broken = table.set_column(
        table.column_names.index("took_part"),
        "took_part",
        pc.if_else(pc.equal(table.column("station_id"), "s1"), 5000, table.column("took_part")),
    )
    edited = replace(inputs, protocols={**inputs.protocols, key: broken})
    found = forensics(edited, laws)
    assert found.stations.rejected == 1
    assert "s1" not in found.stations.table.column("station_id").to_pylist()
    assert found.stations.table.num_rows == table.num_rows - 1


def test_a_chosen_list_and_contest() -> None:
    found = run_forensics(DEMO, entry="blue")
    assert found.stations.entry == "blue" and found.stations.leader == "red"
    district = run_forensics(DEMO, contest="house-d2", round=2)
    assert district.stations.contest_id == "house-d2" and district.stations.round == 2
    with pytest.raises(InputError, match="--list purple: not on the ballot"):
        run_forensics(DEMO, entry="purple")
    with pytest.raises(InputError, match="--contest nowhere"):
        run_forensics(DEMO, contest="nowhere")
    with pytest.raises(InputError, match="no protocols were entered for round 2"):
        run_forensics(DEMO, contest="house-d1", round=2)


def test_the_findings_cite_the_papers() -> None:
    sources = " ".join(f.source for f in FINDINGS.values())
    for cited in (
        "Klimek",
        "PNAS",
        "Kobak, Shpilkin and Pshenichnikov",
        "Annals of Applied Statistics",
        "Hicken and Mebane",
        "Election Forensics Toolkit",
    ):
        assert cited in sources
