"""A bad setting of a runoff with one candidate or of a failed district is refused with the
law file and the setting named."""

from __future__ import annotations

import pytest

from saylau.errors import LawError
from saylau.law import parse_law
from saylau.law.loader import law_bytes

LT = law_bytes("lt-2016-seimas").decode("utf-8")


def test_the_uncontested_choice_without_conditions_is_refused_by_name() -> None:
    text = LT.replace(
        "tie_by_round1 = true\n", 'tie_by_round1 = true\nsingle_candidate = "uncontested"\n'
    )
    with pytest.raises(LawError, match=r"^my-law.toml: district_tier: runoff.single_candidate"):
        parse_law(text, "my-law.toml")


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('failed = "repeat_election"\n', 'failed = "again"\n', "district_tier.failed"),
        (
            "tie_by_round1 = true\n",
            'tie_by_round1 = true\nsingle_candidate = "walkover"\n',
            "district_tier.runoff.single_candidate",
        ),
    ],
)
def test_an_unknown_choice_is_refused_by_name(old: str, new: str, named: str) -> None:
    assert old in LT
    with pytest.raises(LawError, match=rf"^my-law.toml: {named}: Input should be"):
        parse_law(LT.replace(old, new), "my-law.toml")
