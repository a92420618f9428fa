"""Names in other languages: parties, candidates, territories and districts may give a name
in Kazakh, Russian or English (name_kk, name_ru, name_en); a value shows the reader's
language where the data have it, else the name there is; a column for another language is
refused, naming it; the names write back and read again the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io.election.config import ElectionConfig
from saylau.io.election.read import read_election_dir
from saylau.io.election.write import write_election_dir
from saylau.registry.model import NAME_LANGUAGES
from saylau.report.i18n import LANGUAGES
from saylau.scenarios.kz_1999.registry import districts, parties, territories
from tests.io.test_election_dir import copy_demo


def _named(root: Path) -> None:
    """The demo directory with Kazakh and Russian names for a party, a candidate, a
    territory and a district."""
    for name, old, new in (
        ("parties.csv", "seats_before\n", "seats_before,name_kk,name_ru\n"),
        (
            "parties.csv",
            "red,Red Party,party,1,#c0392b,3\n",
            "red,Red Party,party,1,#c0392b,3,Қызыл партия,Красная партия\n",
        ),
        ("territories.csv", "kind\n", "kind,name_ru\n"),
        (
            "territories.csv",
            "north,North Province,oblast\n",
            "north,North Province,oblast,Северная провинция\n",
        ),
        ("candidates.csv", "nominator\n", "nominator,name_kk\n"),
        (
            "candidates.csv",
            "d1-red,house-d1,Ivo Red,red\n",
            "d1-red,house-d1,Ivo Red,red,Иво Ред\n",
        ),
    ):
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_name_in_the_readers_language_else_the_name_there_is(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    _named(root)
    election = read_election_dir(root).election
    red = election.party_by_id["red"]
    assert red.name_in("kk") == "Қызыл партия" and red.name_in("ru") == "Красная партия"
    assert red.name_in("en") == "Red Party"
    assert election.party_by_id["blue"].name_in("ru") == "Blue Party"  # none given
    north = next(t for t in election.territories if t.territory_id == "north")
    assert north.name_in("ru") == "Северная провинция" and north.name_in("kk") == "North Province"
    ivo = next(c for c in election.candidates if c.candidate_id == "d1-red")
    assert ivo.name_in("kk") == "Иво Ред" and ivo.name_in("ru") == "Ivo Red"


def test_names_write_back_and_read_again_the_same(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    _named(root)
    inputs = read_election_dir(root)
    write_election_dir(inputs, tmp_path / "out")
    assert read_election_dir(tmp_path / "out").election == inputs.election
    header = (tmp_path / "out" / "parties.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",name_kk,name_ru")  # only the languages some row fills
    assert "name_" not in (tmp_path / "out" / "districts.csv").read_text(encoding="utf-8")


def test_a_name_in_a_language_saylau_does_not_know_is_refused(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    path = root / "parties.csv"
    path.write_text(path.read_text().replace("seats_before\n", "seats_before,name_de\n", 1))
    with pytest.raises(
        InputError,
        match=r"parties\.csv: line 1: unknown column\(s\) name_de; expected .*name_kk, name_ru",
    ):
        read_election_dir(root)


def test_the_languages_of_names_are_those_of_the_pages() -> None:
    assert set(NAME_LANGUAGES) == set(LANGUAGES)
    fields = {f for f in ElectionConfig.model_fields if f.startswith("name_")}
    assert fields == {f"name_{code}" for code in NAME_LANGUAGES}


def test_the_1999_parties_and_territories_have_kazakh_and_russian_names() -> None:
    found = {p.party_id: p for p in parties()}
    assert found["otan"].name_in("kk") == "«Отан» республикалық саяси партиясы"
    assert found["otan"].name_in("ru") == "Республиканская политическая партия «Отан»"
    assert found["communist"].name_in("ru") == "Коммунистическая партия Казахстана"
    for value in (*parties(), *territories(), *districts()):
        assert value.name_in("kk") != value.name and value.name_in("ru") != value.name, value
    astana = {t.territory_id: t for t in territories()}["astana"]
    assert astana.name_in("kk") == "Астана қаласы" and astana.name_in("en") == "Astana"


def test_an_election_and_a_chamber_named_in_each_language(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    toml = root / "election.toml"
    text = toml.read_text(encoding="utf-8")
    assert "chamber_id = " in text
    named = text.replace("[[chambers]]\n", '[[chambers]]\nname_ru = "Палата"\n', 1)
    toml.write_text(named.replace("\nseed", '\nname_kk = "Демо сайлау"\nseed', 1))
    inputs = read_election_dir(root)
    house = inputs.election.chambers[0]
    assert house.name_in("ru") == "Палата" and house.name_in("kk") == house.name
    assert inputs.election.name_in("kk") == "Демо сайлау"
    write_election_dir(inputs, tmp_path / "out")
    assert read_election_dir(tmp_path / "out").election == inputs.election
    toml.write_text(text.replace("[[chambers]]\n", '[[chambers]]\nname_de = "Kammer"\n', 1))
    with pytest.raises(InputError, match=r"election\.toml.*name_de"):
        read_election_dir(root)
