"""The list ballot adds up exactly to the published national figures (Nohlen et al. p.420)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.scenarios import SCENARIOS
from saylau.scenarios.kz_1999 import build_kz_1999, tables
from tests.conftest import DATA
from tests.scenarios.helpers import SEEDS, built, entries, total

LIST = ("majilis-list", 1)
PUBLISHED_FILES = (
    "calendar.csv",
    "chamber.csv",
    "national_totals.csv",
    "parties.csv",
    "published_seats.csv",
)


def test_the_bundled_published_tables_are_unchanged_copies() -> None:
    from importlib import resources

    folder = resources.files("saylau.scenarios.kz_1999").joinpath("data")
    for name in PUBLISHED_FILES:
        assert folder.joinpath(name).read_bytes() == (DATA / "kz-1999" / name).read_bytes(), name


def test_the_registry_names_the_scenario() -> None:
    assert SCENARIOS["kz-1999"] is build_kz_1999


@pytest.mark.parametrize("seed", SEEDS)
def test_list_ballot_adds_up_to_the_published_figures(seed: int) -> None:
    table = built(seed).protocols[LIST]
    assert total(table, "registered") == 8_411_757
    assert total(table, "took_part") == 5_253_864
    assert total(table, "against_all") == 373_440
    assert total(table, "invalid") == 361_534
    published = {p.party_id: p.list_votes for p in tables.parties() if p.list_votes is not None}
    assert entries(table) == list(published)
    assert len(published) == 9
    for party, votes in published.items():
        assert total(table, party) == votes, party


@pytest.mark.parametrize("seed", SEEDS)
def test_the_nine_missing_ballots_were_issued_but_not_found(seed: int) -> None:
    table = built(seed).protocols[LIST]
    assert total(table, "ballots_found") == 5_253_855 == 5_253_864 - 9
    rows = table.to_pylist()
    short = {r["station_id"]: r["took_part"] - r["ballots_found"] for r in rows}
    carriers = {s: n for s, n in short.items() if n}
    assert sum(carriers.values()) == 9
    assert 1 < len(carriers) <= 3
    assert all(r["ballots_lost"] == 0 for r in rows)
    conflicts = [n.text for n in built(seed).notes if n.kind == "conflict"]
    assert any("exceeds the sum of its parts" in t and "by 9" in t for t in conflicts)


def test_the_published_figures_with_their_sources() -> None:
    published = built().published
    by_figure = {row.figure: row for row in tables.national_totals()}
    for figure in (
        "registered_voters",
        "voters_took_part",
        "against_all_list",
        "invalid_list",
        "seats_total",
        "seats_majority",
        "list_seats",
        "district_seats",
        "districts_decided_round1",
        "districts_runoff",
        "districts_new_voting",
        "senate_seats_contested",
        "senate_elected_seats",
        "senate_appointed_seats",
    ):
        assert published.figures[figure] == int(by_figure[figure].value), figure
        assert published.sources[figure].startswith(by_figure[figure].source)
    assert all(isinstance(v, int) for v in published.figures.values())
    assert set(published.figures) <= set(published.sources)
    assert published.figures["majilis.list_votes.otan"] == 1_622_895
    assert published.figures["majilis.total_seats.civic"] == 13
    assert published.figures["majilis.took_part"] == 5_253_864
    assert published.figures["majilis.runoffs"] == 47
    assert published.figures["senate.seats_contested"] == 16
    assert published.turnout_before == Fraction(798, 1000)
    assert "turnout_before" in published.sources


def test_every_data_conflict_is_carried_in_a_note() -> None:
    conflicts = [n.text for n in built().notes if n.kind == "conflict"]
    for words in (("9", "5,253,864"), ("Azamat", "240,132"), ("79.8%", "78%"), ("Otan", "25")):
        assert any(all(w in t for w in words) for t in conflicts), words


def test_every_generated_part_has_its_note() -> None:
    inputs = built()
    generated = [n.text for n in inputs.notes if n.kind == "generated"]
    for part in (
        "territories.registered",
        "districts",
        "stations",
        "candidates",
        "district_protocols",
        "list_protocols.station_split",
        "college_ballots",
        "lists",
    ):
        assert part in inputs.generated
    for part in inputs.generated:
        assert any(t.startswith(f"{part}: ") for t in generated), part
    assert any(n.kind == "source" for n in inputs.notes)
    assert any(n.kind == "assumption" and "invalid" in n.text for n in inputs.notes)
    assert inputs.seed == 1999
    assert built(7).seed == 7
