"""The infobox facts of 1999 as the seed gives them, and the colours chosen for the parties."""

from __future__ import annotations

from saylau.pipeline.run import facts_of, load_inputs
from saylau.registry.facts import Officer
from saylau.scenarios.kz_1999 import tables

SEED_LEADERS = {
    # party_id: (infobox name, leader, leader since), as the seed's infobox gives them
    "otan": ("Otan", "Nursultan Nazarbayev", "1999-03-01"),
    "civic": ("Civic Party", "Azat Peruashev", "1998-11-17"),
    "trade_unions": ("Federation of Trade Unions", "Siyazbek Mukashev", "1992-10-23"),
    "communist": ("Communist Party", "Serikbolsyn Abdildin", "1996-04"),
    "agrarian": ("Agrarian Party", "Romin Madinov", "1999-01-06"),
    "peoples_coop": ("People's Cooperative Party", "Omirzaq Sarsenov", "1994-12-15"),
}


def test_the_facts_are_the_seed_infobox() -> None:
    facts = facts_of("kz-1999")
    for party_id, (name, leader, since) in SEED_LEADERS.items():
        found = facts.party(party_id)
        assert (found.short_name, found.leader, found.leader_since) == (name, leader, since)
    assert facts.office_title == "Chairman"
    assert facts.before == Officer("Marat Ospanov", "otan")
    assert facts.after == Officer("Zharmakhan Tuyakbay", "otan")
    assert all("seed" in source for source in facts.sources)


def test_every_party_has_a_colour_said_to_be_chosen() -> None:
    inputs, _ = load_inputs("kz-1999")
    rows = {row.party_id: row for row in tables.parties()}
    for party in inputs.election.parties:
        assert party.colour == rows[party.party_id].colour
        assert party.colour is not None and party.colour.startswith("#")
        assert "colour: chosen by Saylau" in rows[party.party_id].source


def test_other_elections_have_no_facts() -> None:
    assert facts_of("spb-2021").parties == {}
