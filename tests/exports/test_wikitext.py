"""The wikitext of 1999: the infobox as the seed's article prints it, and the results table."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from saylau.cli import app
from saylau.exports.wikitext import wikitext
from saylau.pipeline.run import decide_with_laws, facts_of, load_inputs
from tests.cli.test_counterfactual import dhondt_law

# The infobox of the seed (the English Wikipedia article on the election), field by field:
# percentages to one decimal, as the article prints them, each rounded once from the exact
# share of the voters who took part (1,622,895 / 5,253,864 = 30.889...%, and so on).
SEED_INFOBOX = """\
| registered = 8,411,757
| turnout = 62.5% ({{decrease}} 17.3[[percentage point|pp]])
<!-- Otan (Fatherland) -->
| leader1 = Nursultan Nazarbayev
| party1 = Otan
| leader_since1 = 1 March 1999
| last_election1 = 25
| seats1 = 23
| seat_change1 = {{decrease}} 2
| popular_vote1 = 1,622,895
| percentage1 = 30.9%
<!-- Civic Party of Kazakhstan -->
| leader2 = Azat Peruashev
| party2 = Civic Party
| leader_since2 = 17 November 1998
| last_election2 = New party
| seats2 = 13
| seat_change2 = {{increase}} 13
| popular_vote2 = 590,184
| percentage2 = 11.2%
<!-- Federation of Trade Unions of Kazakhstan -->
| leader3 = Siyazbek Mukashev
| party3 = Federation of Trade Unions
| leader_since3 = 23 October 1992
| last_election3 = 5
| seats3 = 11
| seat_change3 = {{increase}} 6
<!-- Communist Party of Kazakhstan -->
| leader4 = Serikbolsyn Abdildin
| party4 = Communist Party
| leader_since4 = April 1996
| last_election4 = 2
| seats4 = 3
| seat_change4 = {{increase}} 1
| popular_vote4 = 932,549
| percentage4 = 17.7%
<!-- Agrarian Party of Kazakhstan -->
| leader5 = Romin Madinov
| party5 = Agrarian Party
| leader_since5 = 6 January 1999
| last_election5 = New party
| seats5 = 3
| seat_change5 = {{increase}} 3
| popular_vote5 = 663,351
| percentage5 = 12.6%
<!-- People's Cooperative Party of Kazakhstan -->
| leader6 = Omirzaq Sarsenov
| party6 = People's Cooperative Party
| leader_since6 = 15 December 1994
| last_election6 = 2
| seats6 = 1
| seat_change6 = {{decrease}} 1
| title = Chairman
| before_election = Marat Ospanov
| before_party = Otan
| after_election = Zharmakhan Tuyakbay
| after_party = Otan
}}"""


def kz_wikitext() -> str:
    inputs, root = load_inputs("kz-1999")
    result, _ = decide_with_laws(inputs, root)
    return wikitext(result, inputs.election, facts_of("kz-1999"))


def test_the_infobox_is_the_seed_s() -> None:
    text = kz_wikitext()
    assert text.startswith("<!-- Majilis -->\n\n{{Infobox legislative election\n")
    assert "| majority_seats = 39\n" in text
    assert (
        "| election_date = 10 October 1999 (first round)<br>24 October 1999 (second round)" in text
    )
    assert "| previous_year = 1995\n| next_election = 2004 Kazakh legislative election" in text
    assert SEED_INFOBOX in text


def test_the_results_table_gives_votes_and_seats_by_tier() -> None:
    text = kz_wikitext()
    table = text.split("{{Election results\n", 1)[1]
    assert table.startswith("|seattype1=Party list|seattype2=Districts\n")
    otan = "|party1=Otan (Fatherland)|color1=#1f78b4|votes1=1,622,895"
    assert f"{otan}|st1t1=4|st1t2=19|seats1=23|sc1=\u22122\n" in table
    independents = "|party12=Independent (self-nominated)|color12=#999999"
    assert f"{independents}|st12t1=0|st12t2=23|seats12=23|sc12=+16\n" in table
    assert (
        "|row13=Against all|votes13=373,440\n|invalid=361,534\n|electorate=8,411,757\n}}" in table
    )
    assert "<!--" not in table  # nothing of it rests on generated data


def test_a_counterfactual_wikitext_says_so_first(tmp_path: Path) -> None:
    law = dhondt_law(str(tmp_path))
    out = tmp_path / "out"
    args = ["export", "kz-1999", "--out", str(out), "--format", "wikitext"]
    done = CliRunner().invoke(app, [*args, "--law", f"majilis={law}"])
    assert done.exit_code == 0, done.output
    text = (out / "results.wiki").read_text(encoding="utf-8")
    assert text.startswith("<!-- COUNTERFACTUAL: not the election as held and published.")


def test_an_unknown_format_is_a_one_line_error(tmp_path: Path) -> None:
    args = ["export", "kz-1999", "--out", str(tmp_path), "--format", "xml"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2
    assert done.output.strip() == "error: --format xml: not one of nist, csv, parquet, wikitext"
