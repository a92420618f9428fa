"""Every setting of the law schema is applied or refused: none is accepted and then ignored.

The walk finds every setting by introspection: each field of the law and of every model
inside it (sections, control relations, validity conditions, ...), so a setting added later
is walked too. Each setting needs an entry in VARIATIONS: a change of its value, made to a
law that runs a small election, whose result (or refusal) must differ from the result under
the law unchanged. A setting that only describes or cites (a name, a citation) is listed in
METADATA with why it decides nothing. A setting with neither fails the test: add a
variation that shows its effect, or make the loader refuse it as not supported.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Union, get_args, get_origin

import pyarrow as pa
import pytest
from pydantic import BaseModel, ValidationError, create_model

from saylau.errors import SaylauError
from saylau.exports.results_json import result_to_dict
from saylau.inputs import (
    CollegeBallot,
    ElectionInputs,
    Invalidation,
    PreferenceVotes,
    Withdrawal,
)
from saylau.law.schema import Law
from saylau.registry.election import Chamber, Election
from saylau.registry.model import Candidate, Contest, Party, Territory
from saylau.stages.calendar import run_calendar
from tests.stages.demo import demo_inputs, demo_laws

METADATA: Mapping[str, str] = {
    "id": "the law's name for people and files; decides nothing",
    "name": "the law's title; decides nothing",
    "country": "where the law applies, for people; decides nothing",
    "chamber": "the chamber's name in the law, for people; decides nothing",
    "year": "the year of the law's text, for people; decides nothing",
    "references": "the documents the citations name; decides nothing",
    "sources": "the citation of each setting; decides nothing",
    "*.sources": "the citation of each setting of a section; decides nothing",
    "protocol.relations.*.source": "the citation of a control relation; decides nothing",
    "protocol.relations.*.label": (
        "the rule in words, for people (saylau protocols relations); decides nothing"
    ),
    "list_tier.constituency": (
        "the name of the tier's one constituency, for people: a list contest always covers "
        "the whole election (no district, no territory), whatever the name"
    ),
    "indirect_tier.electors": "who the electors are, in words, for people; decides nothing",
}
"""Settings that describe or cite, and why none of them decides anything."""


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's annotation holds: itself, inside `| None`, or inside a tuple."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if get_origin(annotation) in (Union, types.UnionType, tuple):
        return [m for arg in get_args(annotation) for m in _models(arg)]
    return []


def _optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def walk(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every setting of a model, by dotted path (`*` for each member of a tuple). A field
    that holds a model is walked into; it is a setting itself where it may be left out
    (None) or holds a tuple of models."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        inner = _models(info.annotation)
        if not inner:
            yield path
            continue
        many = get_origin(info.annotation) is tuple
        if many or _optional(info.annotation):
            yield path
        for sub in inner:
            yield from walk(sub, f"{path}.*." if many else f"{path}.")


def metadata_reason(path: str) -> str | None:
    """Why a setting decides nothing, if it is one that only describes or cites."""
    if path in METADATA:
        return METADATA[path]
    if path.endswith(".sources"):
        return METADATA["*.sources"]
    return None


# --- the elections --------------------------------------------------------------------------


def _table(rows: list[dict[str, int | str]]) -> pa.Table:
    columns = list(rows[0])
    return pa.table(
        {
            c: pa.array([r[c] for r in rows], pa.string() if c == "station_id" else pa.int64())
            for c in columns
        }
    )


def _cells(
    inputs: ElectionInputs, key: tuple[str, int], **changes: dict[str, int]
) -> ElectionInputs:
    """The inputs with cells of one protocol table changed: station -> {column: value}."""
    table = inputs.protocols[key]
    rows = table.to_pylist()
    for row in rows:
        row.update(changes.get(str(row["station_id"]), {}))
    return dataclasses.replace(inputs, protocols={**inputs.protocols, key: _table(rows)})


def demo() -> ElectionInputs:
    """The demo election: a list tier of 4 seats and three districts in two rounds."""
    return demo_inputs()


def demo_broken() -> ElectionInputs:
    """A list protocol that breaks received_balance (one ballot received too many)."""
    return _cells(demo(), ("house-list", 1), s1={"ballots_received": 751})


def preferred() -> ElectionInputs:
    """Preference votes at s1: red's third candidate 100 (of red's 1,290 list votes, exactly
    10/129), its second 5."""
    votes = (
        PreferenceVotes("house-list", "red", 3, 100, "s1"),
        PreferenceVotes("house-list", "red", 2, 5, "s1"),
    )
    return dataclasses.replace(demo(), preferences=votes)


def list_tie() -> ElectionInputs:
    """Blue and green tie on list votes (910 each)."""
    return _cells(demo(), ("house-list", 1), s1={"blue": 80, "green": 240})


def _without(inputs: ElectionInputs, key: tuple[str, int]) -> ElectionInputs:
    protocols = {k: v for k, v in inputs.protocols.items() if k != key}
    return dataclasses.replace(inputs, protocols=protocols)


def district_tie() -> ElectionInputs:
    """District d1's two candidates tie in round 1 (595 each); one round only."""
    tied = _cells(demo(), ("house-d1", 1), s1={"d1-red": 255, "d1-blue": 385})
    return _without(tied, ("house-d2", 2))


def place_tie() -> ElectionInputs:
    """In d2, green and the self-nominee tie (320 each) for the second place in round 2,
    whose protocols are not in yet."""
    tied = _cells(demo(), ("house-d2", 1), s3={"d2-self": 220, "d2-green": 130})
    return _without(tied, ("house-d2", 2))


def runoff_tie() -> ElectionInputs:
    """The second round of d2 ends in a tie (425 each)."""
    return _cells(demo(), ("house-d2", 2), s3={"d2-blue": 255, "d2-green": 215})


def against_all_district() -> ElectionInputs:
    """Against all leads in d3's round 1."""
    inputs = _cells(
        demo(),
        ("house-d3", 1),
        s5={"d3-self": 30, "against_all": 325},
        s6={"d3-self": 70, "against_all": 220},
    )
    return inputs


def withdrawal() -> ElectionInputs:
    """d2's green withdraws before the second round; its protocol has the other two."""
    inputs = demo()
    rows = inputs.protocols[("house-d2", 2)].to_pylist()
    for row in rows:
        row["d2-self"] = row.pop("d2-green")
    inputs = dataclasses.replace(
        inputs,
        protocols={**inputs.protocols, ("house-d2", 2): _table(rows)},
        withdrawals=(Withdrawal("house-d2", "d2-green", "withdrew"),),
    )
    return inputs


def lone_runoff() -> ElectionInputs:
    """d2's green withdraws and no one moves up (under `withdrawal = "remaining_only"`):
    blue stands alone in round 2, whose protocol has blue's votes only."""
    inputs = demo()
    rows = inputs.protocols[("house-d2", 2)].to_pylist()
    for row in rows:
        row["invalid"] += row.pop("d2-green")
    return dataclasses.replace(
        inputs,
        protocols={**inputs.protocols, ("house-d2", 2): _table(rows)},
        withdrawals=(Withdrawal("house-d2", "d2-green", "withdrew"),),
    )


def new_voting() -> ElectionInputs:
    """d3's round 1 is invalidated and voted again by the same candidates."""
    inputs = demo()
    election = inputs.election
    again = Contest("house-d3n", "house", "new_voting", district_id="d3", replaces="house-d3")
    people = tuple(
        Candidate(f"n-{c.candidate_id}", "house-d3n", c.name, c.nominator)
        for c in election.candidates_in("house-d3")
    )
    rows = inputs.protocols[("house-d3", 1)].to_pylist()
    for row in rows:
        for c in people:
            row[c.candidate_id] = row.pop(c.candidate_id.removeprefix("n-"))
    election = dataclasses.replace(
        election,
        contests=(*election.contests, again),
        candidates=(*election.candidates, *people),
    )
    return dataclasses.replace(
        inputs,
        election=election,
        protocols={**inputs.protocols, ("house-d3n", 1): _table(rows)},
        invalidations=(Invalidation("house-d3", 1, "annulled", "house-d3n"),),
    )


def uncontested() -> ElectionInputs:
    """d3 with one candidate on the ballot: the self-nominee's 600 of the 1,040 who took part
    (69.3% of 1,500); d3-red's votes are counted as invalid ballots."""
    inputs = demo()
    election = inputs.election
    rows = inputs.protocols[("house-d3", 1)].to_pylist()
    for row in rows:
        row["invalid"] += row.pop("d3-red")
    election = dataclasses.replace(
        election, candidates=tuple(c for c in election.candidates if c.candidate_id != "d3-red")
    )
    return dataclasses.replace(
        inputs, election=election, protocols={**inputs.protocols, ("house-d3", 1): _table(rows)}
    )


def _college(
    first: Mapping[str, int], second: Mapping[str, int] | None = None, *, seats: int = 1
) -> ElectionInputs:
    """A senate seat (or two) in territory t1, elected by 100 electors, 90 present."""
    contests = tuple(
        Contest(f"c{n}", "senate", "college", territory_id="t1") for n in range(1, seats + 1)
    )
    candidates = tuple(
        Candidate(f"{c.contest_id}-{who}", c.contest_id, f"{who} {c.contest_id}", "maslikhat")
        for c in contests
        for who in first
    )
    election = Election(
        election_id="college",
        name="College",
        chambers=(Chamber("senate", "Senate", "senate.toml"),),
        territories=(Territory("t1", "One"), Territory("t2", "Two")),
        contests=contests,
        candidates=candidates,
    )
    ballots = [
        CollegeBallot(
            c.contest_id, 1, 100, 90, {f"{c.contest_id}-{k}": v for k, v in first.items()}
        )
        for c in contests
    ]
    if second is not None:
        ballots += [
            CollegeBallot(
                c.contest_id, 2, 100, 90, {f"{c.contest_id}-{k}": v for k, v in second.items()}
            )
            for c in contests
        ]
    return ElectionInputs(election=election, protocols={}, college_ballots=tuple(ballots), seed=3)


def coalition() -> ElectionInputs:
    """Green's list is a coalition's: the bloc of g1, g2 and g3, with 790 of the 3,490 who
    took part (22.64%)."""
    inputs = demo()
    election = inputs.election
    parties = tuple(
        dataclasses.replace(p, kind="coalition", members=("g1", "g2", "g3"))
        if p.party_id == "green"
        else p
        for p in election.parties
    )
    parties += tuple(Party(g, f"Member {g}") for g in ("g1", "g2", "g3"))
    return dataclasses.replace(inputs, election=dataclasses.replace(election, parties=parties))


def college() -> ElectionInputs:
    """Round 1: a 55, b 30, c 5 of 90; round 2: a 50, b 40."""
    return _college({"a": 55, "b": 30, "c": 5}, {"a": 50, "b": 40})


def college_two_seats() -> ElectionInputs:
    """Two college seats in one territory."""
    return _college({"a": 55, "b": 30, "c": 5}, {"a": 50, "b": 40}, seats=2)


def college_place_tie() -> ElectionInputs:
    """Round 1: a 40, b 25, c 25: b and c tie for the second place."""
    return _college({"a": 40, "b": 25, "c": 25}, {"a": 50, "b": 40})


def college_runoff_tie() -> ElectionInputs:
    """Round 1 decides nothing; round 2 ties, 45 each."""
    return _college({"a": 40, "b": 30, "c": 20}, {"a": 45, "b": 45})


SENATE: Mapping[str, Any] = {
    "id": "senate",
    "name": "A senate",
    "country": "XX",
    "chamber": "Senate",
    "year": 2030,
    "seats_total": 2,
    "majority": 2,
    "indirect_tier": {
        "seats_elected": 2,
        "seats_contested": 2,
        "seats_per_territory": 2,
        "electors": "the assembly of the territory",
        "quorum": "50%",
        "win_share": "50%",
        "second_round_min_share": None,
    },
}


# --- running a law over an election ---------------------------------------------------------


@dataclass(frozen=True)
class Variation:
    """`changes` (dotted path -> value) made to the law, over `election`; `base` are changes
    made to both laws compared, so that the election reaches the rule."""

    changes: Mapping[str, Any]
    election: Callable[[], ElectionInputs] = demo
    base: Mapping[str, Any] = field(default_factory=dict)
    refused: str | None = None
    """Where the change is refused, a text the refusal names (the setting)."""

    @property
    def senate(self) -> bool:
        return self.election.__name__.startswith("college")


UNSET = object()
"""A change's value that removes the setting from the law, as if it were never written."""


def _set(tree: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = tree
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if value is UNSET:
        node.pop(last, None)
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _listed(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_listed(v) for v in value]
    if isinstance(value, dict):
        return {k: _listed(v) for k, v in value.items()}
    return value


def changed_law(original: Mapping[str, Any], changes: Mapping[str, Any]) -> Law:
    tree = _listed(dict(original))
    for path, value in changes.items():
        _set(tree, path, value)
    return Law.model_validate(tree)


def outcome(law: Law, inputs: ElectionInputs, chamber: str) -> str:
    """The whole result (every stage and decision), or the refusal, as text."""
    try:
        result = run_calendar(inputs, {chamber: law})
    except SaylauError as exc:
        return f"refused: {exc}"
    return json.dumps(result_to_dict(result, stages=True), sort_keys=True, default=str)


@cache
def _demo_law() -> dict[str, Any]:
    law: dict[str, Any] = demo_laws()["house"].model_dump(exclude_unset=True)
    return law


def outcomes(variation: Variation) -> tuple[str, str]:
    original = dict(SENATE) if variation.senate else _demo_law()
    chamber = "senate" if variation.senate else "house"
    inputs = variation.election()
    base = changed_law(original, variation.base)
    try:
        varied = changed_law(original, {**variation.base, **variation.changes})
    except ValidationError as exc:
        return outcome(base, inputs, chamber), f"refused by the loader: {exc}"
    return outcome(base, inputs, chamber), outcome(varied, inputs, chamber)


SEATS_5 = {"list_tier.seats": 5, "seats_total": 8, "majority": 5}
ONE_ROUND = {
    "district_tier.rounds": 1,
    "district_tier.win": "plurality",
    "district_tier.runoff": None,
}
RUNOFF_MAJORITY = {"district_tier.runoff.win": "absolute_majority"}
ADMIT = {"list_tier.threshold.share": "30%", "list_tier.too_few_qualify.rule": "admit_next"}
STEPS = "list_tier.threshold.coalition_by_members"
SHARE_ADMIT = "list_tier.admission"
VALIDITY = {"district_tier.win": UNSET, "district_tier.majority_base": UNSET}
"""The demo's round-1 rule removed, so that a validity rule may take its place."""


def _round_one() -> dict[str, Any]:
    """d1 (turnout 68.4%: 760 > 1/2 of 1,300) and d3 elected by alternative 1; d2 (turnout
    56.1%) by alternative 2, its leader's 410 exactly 1/5 of the 2,050 registered."""
    alternatives = [
        {"turnout": "60%", "share": "1/2", "base": "took_part"},
        {"share": "1/5", "base": "registered", "inclusive": True},
    ]
    return {**VALIDITY, "district_tier.validity": alternatives}


RUNOFF_VALIDITY = {"district_tier.runoff.win": UNSET, "district_tier.runoff.majority_base": UNSET}


def _runoff(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """d2's second round: green 460, blue 390 of the 930 who took part (45.4% of 2,050)."""
    return {**RUNOFF_VALIDITY, "district_tier.runoff.validity": list(alternatives)}


def _new_voting(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """d3 voted again: the self-nominee's 600 of 1,040 who took part (69.3% of 1,500)."""
    return {
        "district_tier.new_voting.original_candidates_barred": False,
        "district_tier.new_voting.validity": list(alternatives),
    }


def _uncontested(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """d3, uncontested: the self-nominee's 600 of 1,040 who took part (69.3% of 1,500)."""
    return {"district_tier.uncontested": list(alternatives)}


def _college_one(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """Round 1 of the college: a 55 of the 90 who took part (90 of 100 electors)."""
    return {"indirect_tier.win_share": UNSET, "indirect_tier.validity": list(alternatives)}


def _college_two(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """Round 2 of the college (round 1 elects no one under 2/3): a 50 of the 90."""
    return {
        "indirect_tier.win_share": "2/3",
        "indirect_tier.second_round_min_share": UNSET,
        "indirect_tier.second_round_validity": list(alternatives),
    }


def _college_steps() -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        {"turnout": "95%", "share": "3/5", "base": "took_part"},
        {"share": "5/9", "base": "took_part", "inclusive": True},
    )


VARIATIONS: Mapping[str, Variation] = {
    # the whole chamber
    "seats_total": Variation(SEATS_5),
    "majority": Variation({"majority": 5}, refused="majority is 5"),
    "appointed_seats": Variation({"appointed_seats": 1, "seats_total": 8, "majority": 5}),
    # the protocol form
    "protocol": Variation({"protocol": None}, refused="[protocol]"),
    "protocol.relations": Variation({"protocol.relations": []}, demo_broken),
    "protocol.relations.*.code": Variation({"protocol.relations.0.code": "received"}, demo_broken),
    "protocol.relations.*.rule": Variation(
        {"protocol.relations.0.rule": "ballots_received >= took_part"}, demo_broken
    ),
    "protocol.relations.*.severity": Variation(
        {"protocol.relations.0.severity": "flag"}, demo_broken
    ),
    "protocol.relations.*.requires": Variation({"protocol.relations.2.requires": []}),
    # the list tier
    "list_tier": Variation(
        {"list_tier": None, "seats_total": 3, "majority": 2}, refused="has no such tier"
    ),
    "list_tier.seats": Variation(SEATS_5),
    "list_tier.threshold": Variation({"list_tier.threshold": None}),
    "list_tier.threshold.share": Variation({"list_tier.threshold.share": "30%"}),
    "list_tier.threshold.base": Variation(
        {"list_tier.threshold.base": "list_votes"}, base={"list_tier.threshold.share": "4%"}
    ),
    "list_tier.threshold.inclusive": Variation(
        {"list_tier.threshold.inclusive": False}, base={"list_tier.threshold.share": "13/349"}
    ),
    "list_tier.method": Variation({"list_tier.method": "dhondt"}),
    "list_tier.tie_breaks": Variation({"list_tier.tie_breaks": ["refuse"]}, list_tie, base=SEATS_5),
    "list_tier.too_few_qualify.minimum_lists": Variation(
        {"list_tier.too_few_qualify.minimum_lists": 1}, base=ADMIT
    ),
    "list_tier.too_few_qualify.rule": Variation(
        {"list_tier.too_few_qualify.rule": "admit_next"},
        base={"list_tier.threshold.share": "30%"},
    ),
    "list_tier.too_few_qualify.admitted_weight": Variation(
        {"list_tier.too_few_qualify.admitted_weight": "1/4"}, base=ADMIT
    ),
    "list_tier.max_list_length": Variation(
        {"list_tier.max_list_length": 2}, refused="the law allows 2"
    ),
    "list_tier.against_all": Variation(
        {"list_tier.against_all": "not_on_ballot"}, refused="list_tier.against_all"
    ),
    "list_tier.percent_base": Variation({"list_tier.percent_base": "valid"}),
    "list_tier.preferences": Variation({"list_tier.preferences": {"rule": "reorder"}}, preferred),
    "list_tier.preferences.rule": Variation(
        {"list_tier.preferences.rule": "reorder"},
        preferred,
        base={"list_tier.preferences": {"rule": "none"}},
    ),
    "list_tier.preferences.quota": Variation(
        {"list_tier.preferences.quota": "50%"},
        preferred,
        base={"list_tier.preferences": {"rule": "quota", "quota": "1%"}},
    ),
    "list_tier.preferences.inclusive": Variation(
        {"list_tier.preferences.inclusive": False},
        preferred,
        base={"list_tier.preferences": {"rule": "quota", "quota": "10/129"}},
    ),
    # the district tier
    "district_tier": Variation(
        {"district_tier": None, "seats_total": 4, "majority": 3}, refused="has no such tier"
    ),
    "district_tier.seats": Variation(
        {"district_tier.seats": 2, "seats_total": 6, "majority": 4}, refused="district"
    ),
    "district_tier.rounds": Variation(ONE_ROUND),
    "district_tier.win": Variation({"district_tier.win": "plurality"}),
    "district_tier.majority_base": Variation({"district_tier.majority_base": "candidate_votes"}),
    "district_tier.min_turnout": Variation({"district_tier.min_turnout": "70%"}),
    "district_tier.turnout_inclusive": Variation(
        {"district_tier.turnout_inclusive": True}, base={"district_tier.min_turnout": "13/19"}
    ),
    "district_tier.tie": Variation({"district_tier.tie": ["refuse"]}, district_tie, base=ONE_ROUND),
    "district_tier.against_all_wins": Variation(
        {"district_tier.against_all_wins": "new_voting"}, against_all_district
    ),
    "district_tier.runoff": Variation(ONE_ROUND),
    "district_tier.runoff.candidates": Variation({"district_tier.runoff.candidates": 3}),
    "district_tier.runoff.days_after": Variation(
        {"district_tier.runoff.days_after": 15}, refused="district_tier.runoff.days_after"
    ),
    "district_tier.runoff.latest_days": Variation(
        {"district_tier.runoff.latest_days": 10},
        base={"district_tier.runoff.days_after": 7},
        refused="district_tier.runoff.latest_days",
    ),
    "district_tier.runoff.place_tie": Variation(
        {"district_tier.runoff.place_tie": ["refuse"]}, place_tie
    ),
    "district_tier.runoff.win": Variation(RUNOFF_MAJORITY),
    "district_tier.runoff.majority_base": Variation(
        {"district_tier.runoff.majority_base": "candidate_votes"}, base=RUNOFF_MAJORITY
    ),
    "district_tier.runoff.tie": Variation({"district_tier.runoff.tie": "lot"}, runoff_tie),
    "district_tier.runoff.withdrawal": Variation(
        {"district_tier.runoff.withdrawal": "remaining_only"}, withdrawal
    ),
    "district_tier.runoff.min_turnout": Variation({"district_tier.runoff.min_turnout": "50%"}),
    "district_tier.runoff.min_round1_candidates": Variation(
        {"district_tier.runoff.min_round1_candidates": 4}
    ),
    "district_tier.runoff.tie_by_round1": Variation(
        {"district_tier.runoff.tie_by_round1": True}, runoff_tie
    ),
    "district_tier.runoff.single_candidate": Variation(
        {"district_tier.runoff.single_candidate": "failed"},
        lone_runoff,
        base={"district_tier.runoff.withdrawal": "remaining_only"},
    ),
    "district_tier.failed": Variation(
        {"district_tier.failed": "repeat_election"}, base={"district_tier.min_turnout": "70%"}
    ),
    "district_tier.new_voting.original_candidates_barred": Variation(
        {"district_tier.new_voting.original_candidates_barred": True},
        new_voting,
        base={"district_tier.new_voting.original_candidates_barred": False},
        refused="may not run again",
    ),
    # the indirect tier
    "indirect_tier": Variation(
        {"indirect_tier": None, "district_tier": None}, college, refused="seats_total"
    ),
    "indirect_tier.seats_elected": Variation(
        {"indirect_tier.seats_elected": 3, "seats_total": 3}, college
    ),
    "indirect_tier.seats_contested": Variation({"indirect_tier.seats_contested": 1}, college),
    "indirect_tier.seats_per_territory": Variation(
        {"indirect_tier.seats_per_territory": 1},
        college_two_seats,
        refused="indirect_tier.seats_per_territory",
    ),
    "indirect_tier.quorum": Variation({"indirect_tier.quorum": "95%"}, college),
    "indirect_tier.quorum_inclusive": Variation(
        {"indirect_tier.quorum_inclusive": True}, college, base={"indirect_tier.quorum": "9/10"}
    ),
    "indirect_tier.win_share": Variation({"indirect_tier.win_share": "2/3"}, college),
    "indirect_tier.win_inclusive": Variation(
        {"indirect_tier.win_inclusive": True}, college, base={"indirect_tier.win_share": "11/18"}
    ),
    "indirect_tier.win_base": Variation(
        {"indirect_tier.win_base": "electors"}, college, base={"indirect_tier.win_share": "3/5"}
    ),
    "indirect_tier.second_round_candidates": Variation(
        {"indirect_tier.second_round_candidates": 3},
        college,
        base={"indirect_tier.win_share": "2/3"},
    ),
    "indirect_tier.second_round_place_tie": Variation(
        {"indirect_tier.second_round_place_tie": ["refuse"]}, college_place_tie
    ),
    "indirect_tier.second_round_min_share": Variation(
        {"indirect_tier.second_round_min_share": "60%"},
        college,
        base={"indirect_tier.win_share": "2/3"},
    ),
    "indirect_tier.tie": Variation({"indirect_tier.tie": "lot"}, college_runoff_tie),
    # coalitions and the admission of lists to a share of the votes
    "list_tier.threshold.coalition_share": Variation(
        {"list_tier.threshold.coalition_share": "25%"}, coalition
    ),
    STEPS: Variation({STEPS: [{"members": 3, "share": "25%"}]}, coalition),
    f"{STEPS}.*.members": Variation(
        {f"{STEPS}.0.members": 4}, coalition, base={STEPS: [{"members": 3, "share": "25%"}]}
    ),
    f"{STEPS}.*.share": Variation(
        {f"{STEPS}.0.share": "20%"}, coalition, base={STEPS: [{"members": 3, "share": "25%"}]}
    ),
    SHARE_ADMIT: Variation(
        {SHARE_ADMIT: {"share": "60%"}}, base={"list_tier.threshold.share": "30%"}
    ),
    f"{SHARE_ADMIT}.share": Variation(
        {f"{SHARE_ADMIT}.share": "70%"},
        base={"list_tier.threshold.share": "30%", SHARE_ADMIT: {"share": "60%"}},
    ),
    f"{SHARE_ADMIT}.base": Variation(
        {f"{SHARE_ADMIT}.base": "list_votes"},
        base={"list_tier.threshold.share": "30%", SHARE_ADMIT: {"share": "70%"}},
    ),
    f"{SHARE_ADMIT}.inclusive": Variation(
        {f"{SHARE_ADMIT}.inclusive": False},
        base={"list_tier.threshold.share": "30%", SHARE_ADMIT: {"share": "232/349"}},
    ),
    # validity rules as alternative conditions
    "district_tier.validity": Variation(
        {"district_tier.validity": [{"share": "1/2", "base": "took_part"}]}, base=VALIDITY
    ),
    "district_tier.validity.*.turnout": Variation(
        {"district_tier.validity.0.turnout": "50%"}, base=_round_one()
    ),
    "district_tier.validity.*.turnout_inclusive": Variation(
        {"district_tier.validity.0.turnout_inclusive": False},
        base={**_round_one(), "district_tier.validity.0.turnout": "23/41"},
    ),
    "district_tier.validity.*.share": Variation(
        {"district_tier.validity.1.share": "1/4"}, base=_round_one()
    ),
    "district_tier.validity.*.base": Variation(
        {"district_tier.validity.0.base": "registered"}, base=_round_one()
    ),
    "district_tier.validity.*.inclusive": Variation(
        {"district_tier.validity.1.inclusive": False}, base=_round_one()
    ),
    "district_tier.runoff.validity": Variation(
        {"district_tier.runoff.validity": [{"share": "1/2", "base": "took_part"}]},
        base=RUNOFF_VALIDITY,
    ),
    "district_tier.runoff.validity.*.turnout": Variation(
        {"district_tier.runoff.validity.0.turnout": "40%"},
        base=_runoff(
            {"turnout": "50%", "share": "1/2", "base": "took_part"},
            {"share": "1/5", "base": "registered", "inclusive": True},
        ),
    ),
    "district_tier.runoff.validity.*.turnout_inclusive": Variation(
        {"district_tier.runoff.validity.0.turnout_inclusive": False},
        base=_runoff(
            {"turnout": "93/205", "share": "1/2", "base": "took_part"},
            {"share": "1/5", "base": "registered", "inclusive": True},
        ),
    ),
    "district_tier.runoff.validity.*.share": Variation(
        {"district_tier.runoff.validity.0.share": "3/5"},
        base=_runoff({"share": "1/2", "base": "candidate_votes"}),
    ),
    "district_tier.runoff.validity.*.base": Variation(
        {"district_tier.runoff.validity.0.base": "took_part"},
        base=_runoff({"share": "1/2", "base": "candidate_votes"}),
    ),
    "district_tier.runoff.validity.*.inclusive": Variation(
        {"district_tier.runoff.validity.0.inclusive": False},
        base=_runoff({"share": "46/205", "base": "registered", "inclusive": True}),
    ),
    "district_tier.new_voting.validity": Variation(
        {"district_tier.new_voting.validity": [{"share": "3/5", "base": "took_part"}]},
        new_voting,
        base={"district_tier.new_voting.original_candidates_barred": False},
    ),
    "district_tier.new_voting.validity.*.turnout": Variation(
        {"district_tier.new_voting.validity.0.turnout": "60%"},
        new_voting,
        base=_new_voting(
            {"turnout": "70%", "share": "3/5", "base": "took_part"},
            {"share": "1/2", "base": "took_part"},
        ),
    ),
    "district_tier.new_voting.validity.*.turnout_inclusive": Variation(
        {"district_tier.new_voting.validity.0.turnout_inclusive": True},
        new_voting,
        base=_new_voting(
            {"turnout": "52/75", "turnout_inclusive": False, "share": "3/5", "base": "took_part"},
            {"share": "1/2", "base": "took_part"},
        ),
    ),
    "district_tier.new_voting.validity.*.share": Variation(
        {"district_tier.new_voting.validity.0.share": "3/5"},
        new_voting,
        base=_new_voting({"share": "1/2", "base": "took_part"}),
    ),
    "district_tier.new_voting.validity.*.base": Variation(
        {"district_tier.new_voting.validity.0.base": "registered"},
        new_voting,
        base=_new_voting({"share": "1/2", "base": "took_part"}),
    ),
    "district_tier.new_voting.validity.*.inclusive": Variation(
        {"district_tier.new_voting.validity.0.inclusive": False},
        new_voting,
        base=_new_voting({"share": "15/26", "base": "took_part", "inclusive": True}),
    ),
    "district_tier.uncontested": Variation(
        _uncontested({"share": "3/5", "base": "took_part"}), uncontested
    ),
    "district_tier.uncontested.*.turnout": Variation(
        {"district_tier.uncontested.0.turnout": "60%"},
        uncontested,
        base=_uncontested(
            {"turnout": "70%", "share": "1/2", "base": "took_part"},
            {"share": "3/5", "base": "took_part"},
        ),
    ),
    "district_tier.uncontested.*.turnout_inclusive": Variation(
        {"district_tier.uncontested.0.turnout_inclusive": True},
        uncontested,
        base=_uncontested(
            {"turnout": "52/75", "turnout_inclusive": False, "share": "1/2", "base": "took_part"},
            {"share": "3/5", "base": "took_part"},
        ),
    ),
    "district_tier.uncontested.*.share": Variation(
        {"district_tier.uncontested.0.share": "3/5"},
        uncontested,
        base=_uncontested({"share": "1/2", "base": "took_part"}),
    ),
    "district_tier.uncontested.*.base": Variation(
        {"district_tier.uncontested.0.base": "registered"},
        uncontested,
        base=_uncontested({"share": "1/2", "base": "took_part"}),
    ),
    "district_tier.uncontested.*.inclusive": Variation(
        {"district_tier.uncontested.0.inclusive": False},
        uncontested,
        base=_uncontested({"share": "15/26", "base": "took_part", "inclusive": True}),
    ),
    "indirect_tier.validity": Variation(
        _college_one({"share": "2/3", "base": "took_part"}), college
    ),
    "indirect_tier.validity.*.turnout": Variation(
        {"indirect_tier.validity.0.turnout": "80%"},
        college,
        base=_college_one(
            {"turnout": "95%", "share": "1/2", "base": "took_part"},
            {"share": "3/5", "base": "registered"},
        ),
    ),
    "indirect_tier.validity.*.turnout_inclusive": Variation(
        {"indirect_tier.validity.0.turnout_inclusive": False},
        college,
        base=_college_one(
            {"turnout": "9/10", "share": "1/2", "base": "took_part"},
            {"share": "3/5", "base": "registered"},
        ),
    ),
    "indirect_tier.validity.*.share": Variation(
        {"indirect_tier.validity.0.share": "1/2"},
        college,
        base=_college_one({"share": "3/5", "base": "registered"}),
    ),
    "indirect_tier.validity.*.base": Variation(
        {"indirect_tier.validity.0.base": "took_part"},
        college,
        base=_college_one({"share": "3/5", "base": "registered"}),
    ),
    "indirect_tier.validity.*.inclusive": Variation(
        {"indirect_tier.validity.0.inclusive": False},
        college,
        base=_college_one({"share": "11/18", "base": "took_part", "inclusive": True}),
    ),
    "indirect_tier.second_round_validity": Variation(
        {"indirect_tier.second_round_validity": [{"share": "3/5", "base": "took_part"}]},
        college,
        base=_college_two(),
    ),
    "indirect_tier.second_round_validity.*.turnout": Variation(
        {"indirect_tier.second_round_validity.0.turnout": "80%"},
        college,
        base=_college_two(*_college_steps()),
    ),
    "indirect_tier.second_round_validity.*.turnout_inclusive": Variation(
        {"indirect_tier.second_round_validity.0.turnout_inclusive": False},
        college,
        base={
            **_college_two(*_college_steps()),
            "indirect_tier.second_round_validity.0.turnout": "9/10",
        },
    ),
    "indirect_tier.second_round_validity.*.share": Variation(
        {"indirect_tier.second_round_validity.1.share": "3/5"},
        college,
        base=_college_two(*_college_steps()),
    ),
    "indirect_tier.second_round_validity.*.base": Variation(
        {"indirect_tier.second_round_validity.1.base": "registered"},
        college,
        base=_college_two(*_college_steps()),
    ),
    "indirect_tier.second_round_validity.*.inclusive": Variation(
        {"indirect_tier.second_round_validity.1.inclusive": False},
        college,
        base=_college_two(*_college_steps()),
    ),
}
"""For each setting, a change of its value and the election that shows its effect."""

SETTINGS = list(walk(Law))


def test_the_walk_finds_settings_of_every_kind() -> None:
    """The walk reaches nested sections, tuples of models and optional sections."""
    for path in (
        "list_tier.threshold.share",
        "district_tier.runoff.days_after",
        "protocol.relations.*.severity",
        "indirect_tier.tie",
        "district_tier.runoff",
    ):
        assert path in SETTINGS


def test_every_table_entry_names_a_setting() -> None:
    stale = sorted((set(VARIATIONS) | set(METADATA) - {"*.sources"}) - set(SETTINGS))
    assert not stale, f"entries for settings the schema does not have: {stale}"


@pytest.mark.parametrize("path", SETTINGS)
def test_every_setting_is_applied_or_refused(path: str) -> None:
    reason = metadata_reason(path)
    if reason is not None:
        assert path not in VARIATIONS, f"{path} is both metadata and a rule"
        return
    variation = VARIATIONS.get(path)
    assert variation is not None, (
        f"the law setting {path} has no entry in VARIATIONS (tests/law/test_every_setting.py): "
        f"add a change of it and an election whose result the change alters, or make the "
        f"loader refuse the setting as not supported, naming it"
    )
    before, after = outcomes(variation)
    assert not before.startswith("refused"), f"{path}: the unchanged law is refused: {before}"
    assert before != after, f"{path}: changing it ({dict(variation.changes)}) changes nothing"
    if variation.refused is not None:
        assert after.startswith("refused") and variation.refused in after, (
            f"{path}: expected a refusal naming {variation.refused!r}, got {after[:300]}"
        )


def test_a_setting_added_later_is_walked_and_needs_an_entry() -> None:
    """A setting added to the schema without an entry is found, and so fails the test above."""
    wider = create_model("Wider", __base__=Law, new_rule=(int, 0))
    found = list(walk(wider))
    assert "new_rule" in found
    assert "new_rule" not in VARIATIONS and metadata_reason("new_rule") is None


def test_a_change_that_alters_nothing_is_caught() -> None:
    """The comparison sees a change with no effect as none: an ignored setting fails."""
    before, after = outcomes(Variation({"list_tier.threshold.share": "5%"}))
    assert before == after
    assert not before.startswith("refused")
