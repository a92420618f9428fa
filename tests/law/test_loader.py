"""The law file format: loading, validation errors that name the setting, citations."""

from __future__ import annotations

import re
import tomllib
from fractions import Fraction
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from saylau.errors import LawError
from saylau.law import (
    Law,
    bundled_law_names,
    citations,
    load_law,
    parse_law,
    uncited_settings,
)
from saylau.law.loader import law_bytes

MINIMAL = """
id = "test-law"
name = "Test"
country = "XX"
chamber = "House"
year = 2000
seats_total = 10
majority = 6

[protocol]
relations = []

[list_tier]
seats = 10
method = "dhondt"

[list_tier.threshold]
share = "5%"
base = "valid"
"""


def test_bundled_laws_are_the_ones_named() -> None:
    assert bundled_law_names() == [
        "kz-1999-majilis",
        "kz-1999-senate",
        "lt-2016-seimas",
        "ru-2016-duma",
        "ru-2021-duma",
        "spb-2021-zaks",
        "ua-2019-rada",
    ]


@pytest.mark.parametrize("name", bundled_law_names())
def test_every_bundled_setting_cites_a_source(name: str) -> None:
    law = load_law(name)
    assert uncited_settings(law) == []
    assert all(text[:3] in ("[V]", "[L]", "[I]", "[?]") for text in citations(law).values())


def test_minimal_law_loads_with_defaults() -> None:
    law = parse_law(MINIMAL)
    assert law.list_tier is not None
    assert law.list_tier.threshold is not None
    assert law.list_tier.threshold.share == Fraction(1, 20)
    assert law.list_tier.threshold.inclusive is True
    assert law.list_tier.tie_breaks == ("refuse",)
    assert uncited_settings(law) != []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('share = "5%"', "list_tier.threshold.share: 0.05 is a float"),
        ('share = "5%"', "not between 0% and 100%"),
        ('method = "dhondt"', "list_tier.method: Input should be"),
        ('base = "valid"', "list_tier.threshold.base"),
        ("seats_total = 10", "seats_total is 11, but the tiers"),
        ("majority = 6", "majority is 5, but more than half of 10 is 6"),
    ],
)
def test_invalid_settings_are_named(change: str, message: str) -> None:
    replacement = {
        "list_tier.threshold.share: 0.05 is a float": "share = 0.05",
        "not between 0% and 100%": 'share = "120%"',
        "list_tier.method: Input should be": 'method = "borda"',
        "list_tier.threshold.base": 'base = "registered"',
        "seats_total is 11, but the tiers": "seats_total = 11\nmajority = 6",
        "majority is 5, but more than half of 10 is 6": "majority = 5",
    }[message]
    text = MINIMAL.replace(change, replacement)
    if message.startswith("seats_total"):
        text = text.replace("majority = 6\n", "", 1)
    with pytest.raises(LawError, match=r"my-law\.toml: ") as caught:
        parse_law(text, "my-law.toml")
    assert message in str(caught.value)


def test_unknown_setting_is_refused() -> None:
    text = MINIMAL.replace('method = "dhondt"', 'method = "dhondt"\nquota = "hare"')
    with pytest.raises(LawError, match=r"x\.toml: list_tier\.quota: is not a setting"):
        parse_law(text, "x.toml")


def test_toml_syntax_error_names_the_file() -> None:
    with pytest.raises(LawError, match=r"broken\.toml: not valid TOML"):
        parse_law("seats = [", "broken.toml")


def test_source_must_carry_a_tag_and_name_a_setting() -> None:
    tagless = MINIMAL + '\n[list_tier.sources]\nseats = "Nohlen p. 420"\n'
    with pytest.raises(LawError, match="must start with a tag"):
        parse_law(tagless)
    unknown = MINIMAL + '\n[list_tier.sources]\nquota = "[V] S1"\n'
    with pytest.raises(LawError, match="sources names 'quota', which is not a setting"):
        parse_law(unknown)


def test_citation_must_name_a_listed_reference() -> None:
    text = MINIMAL + '\n[list_tier.sources]\nseats = "[V] S9: somewhere"\n'
    with pytest.raises(LawError, match="cites S9, which \\[references\\] lacks"):
        parse_law(text)


def test_lot_or_refuse_only_last_in_a_tie_chain() -> None:
    text = MINIMAL.replace(
        'method = "dhondt"', 'method = "dhondt"\ntie_breaks = ["lot", "more_votes"]'
    )
    with pytest.raises(LawError, match="'lot' settles every tie"):
        parse_law(text)


def test_two_rounds_need_a_runoff_section() -> None:
    text = (
        MINIMAL.replace("seats_total = 10", "seats_total = 15").replace(
            "majority = 6", "majority = 8"
        )
        + '\n[district_tier]\nseats = 5\nrounds = 2\nwin = "absolute_majority"\n'
    )
    with pytest.raises(LawError, match="district_tier: two rounds need a \\[runoff\\] section"):
        parse_law(text)


def test_unknown_bundled_name_lists_the_known() -> None:
    with pytest.raises(LawError, match=r"no bundled law is named 'kz-2004'.*kz-1999-majilis"):
        load_law("kz-2004")


def test_missing_file_is_reported() -> None:
    with pytest.raises(LawError, match="cannot read the law file"):
        load_law("/nonexistent/law.toml")


@pytest.mark.parametrize("name", bundled_law_names())
def test_bundled_laws_validate_against_the_published_json_schema(name: str) -> None:
    schema = Law.model_json_schema(mode="validation")
    Draft202012Validator.check_schema(schema)
    text = (resources.files("saylau.law.bundled") / f"{name}.toml").read_text(encoding="utf-8")
    Draft202012Validator(schema).validate(tomllib.loads(text))


def test_json_schema_refuses_a_float_share() -> None:
    schema = Law.model_json_schema(mode="validation")
    raw = tomllib.loads(MINIMAL.replace('share = "5%"', "share = 0.05"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, schema, cls=Draft202012Validator)


def test_law_bytes_are_the_stored_bytes_of_what_load_law_loads(tmp_path: Path) -> None:
    bundled = resources.files("saylau.law.bundled").joinpath("kz-1999-senate.toml")
    assert law_bytes("kz-1999-senate") == bundled.read_bytes()
    path = tmp_path / "crlf.toml"
    path.write_bytes(MINIMAL.encode("utf-8").replace(b"\n", b"\r\n"))
    assert law_bytes(path) == path.read_bytes()
    with pytest.raises(LawError, match=r"missing.toml: cannot read the law file"):
        law_bytes(tmp_path / "missing.toml")
    with pytest.raises(LawError, match="no bundled law is named 'atlantis'"):
        law_bytes("atlantis")


DISTRICTS = """
id = "test-districts"
name = "Test"
country = "XX"
chamber = "House"
year = 2000
seats_total = 10
majority = 6

[protocol]
relations = []

[district_tier]
seats = 10
rounds = 2
win = "absolute_majority"

[district_tier.runoff]
days_after = 14
latest_days = 60
"""


@pytest.mark.parametrize(
    ("text", "old", "new", "named"),
    [
        (MINIMAL, "seats_total = 10", "seats_total = true", "seats_total"),
        (MINIMAL, "seats_total = 10", "seats_total = 10.0", "seats_total"),
        (MINIMAL, 'seats = 10\nmethod = "dhondt"', 'seats = "10"\nmethod = "dhondt"', "seats"),
        (MINIMAL, 'base = "valid"', 'base = "valid"\ninclusive = 1', "inclusive"),
        (DISTRICTS, "rounds = 2", "rounds = true", "rounds"),
        (DISTRICTS, "rounds = 2", "rounds = 2.0", "rounds"),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused_never_converted(
    text: str, old: str, new: str, named: str
) -> None:
    assert old in text
    with pytest.raises(LawError, match=named):
        parse_law(text.replace(old, new), "bad.toml")


def test_a_runoff_whose_latest_day_comes_before_its_first_is_refused() -> None:
    assert parse_law(DISTRICTS).district_tier is not None
    with pytest.raises(LawError, match=r"latest_days \(10\) comes before days_after \(14\)"):
        parse_law(DISTRICTS.replace("latest_days = 60", "latest_days = 10"))


def test_only_ascii_digits_are_digits_in_a_relation() -> None:
    relation = '[[protocol.relations]]\ncode = "r1"\nrule = "valid + invalid <= ৪ * registered"\n'
    text = MINIMAL.replace("[protocol]\nrelations = []\n", relation)
    refused = re.escape("protocol.relations.0.rule: 'valid + invalid <= ৪ * registered'")
    with pytest.raises(LawError, match=refused):
        parse_law(text)
    assert parse_law(text.replace("৪", "4")).protocol is not None
