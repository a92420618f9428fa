"""A run's result as one JSON-ready object: figures as integers, shares as strings.

Percentages are rounded for reading ("62.46"); the exact shares travel beside them as
fractions ("5253864/8411757") so nothing is lost on the way out. Every chamber names the
law it was decided under; `counterfactual` says whether the run is the election as held
and published; `generated_figures` names each figure that rests on generated data;
`compared` lists each figure compared with a published one, with the kind of that figure
(`published` by an outside source, `sum_of_inputs` of the files the run reads, or a
`generator_target` a scenario was built to reach);
`indices` holds each chamber's indices of fragmentation and disproportionality
(saylau.analysis.indices), exact and rounded once for reading.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from saylau.analysis.indices import Indices, chamber_indices, list_tier_indices
from saylau.exports.allocation_json import allocation_to_dict
from saylau.protocol.lines import LINES
from saylau.results import (
    ChamberResult,
    ContestDecision,
    ElectionResult,
    ListDecision,
    ProtocolReview,
    Seat,
    StageRecord,
)
from saylau.rules.exact import fixed, percent_of
from saylau.tabulate.totals import COUNTS, ContestTotals, LineTotals


def result_to_dict(result: ElectionResult, stages: bool = True) -> dict[str, Any]:
    """The whole run: each chamber under its id, the stages, rejected protocols and notes."""
    out: dict[str, Any] = {
        "election": {"id": result.election_id, "name": result.name, "seed": result.seed},
        "counterfactual": bool(result.counterfactual),
        "counterfactual_reasons": list(result.counterfactual),
    }
    for chamber in result.chambers:
        out[chamber.chamber_id] = chamber_to_dict(chamber, generated=bool(result.generated))
        decided = result.lists_of(chamber.chamber_id)
        if decided:
            out[chamber.chamber_id]["lists"] = [
                {
                    "contest_id": d.contest_id,
                    "members_known": d.members_known,
                    "members": {party: list(names) for party, names in d.members.items()},
                    "vacant": dict(d.vacant),
                    **seated_to_dict(d),
                    "allocation": allocation_to_dict(d.allocation),
                    **areas_to_dict(d.areas, generated=bool(result.generated)),
                }
                for d in decided
            ]
        if chamber.parties:
            out[chamber.chamber_id]["indices"] = indices_to_dict(chamber, decided)
    if stages:
        out["stages"] = [stage_to_dict(stage) for stage in result.stages]
    out["rejected"] = [review_to_dict(r) for r in result.rejected]
    out["flagged"] = [review_to_dict(r) for r in result.flagged]
    out["notes"] = [{"kind": n.kind, "text": n.text} for n in result.notes]
    out["generated"] = sorted(result.generated)
    return out


def seated_to_dict(decision: ListDecision) -> dict[str, Any]:
    """Who took each list seat and why, where the law says how preference votes apply
    (`preference_rule` and `seated`); nothing under a law without `list_tier.preferences`."""
    if decision.preference_rule is None:
        return {}
    return {
        "preference_rule": decision.preference_rule,
        "seated": {
            party: [
                {
                    "seat": seat,
                    "name": placed.name,
                    "list_rank": placed.rank,
                    "preference_votes": placed.preference_votes,
                    "reason": placed.reason,
                    "why": placed.why(),
                }
                for seat, placed in enumerate(people, start=1)
            ]
            for party, people in decision.seated.items()
        },
    }


def indices_to_dict(
    chamber: ChamberResult, lists: tuple[ListDecision, ...]
) -> dict[str, dict[str, str | None]]:
    """The indices of the list tier (each list's votes against its list seats) and of the
    whole chamber (list votes against all seats held): exact, and rounded for reading."""
    out = {"chamber": _indices(chamber_indices(chamber))}
    if lists:
        out = {"list_tier": _indices(list_tier_indices(chamber, lists[0])), **out}
    return out


def _indices(found: Indices) -> dict[str, str | None]:
    shown: dict[str, str | None] = {
        "effective_parties_votes": _exact(found.effective_parties_votes),
        "effective_parties_seats": _exact(found.effective_parties_seats),
        "gallagher_squared": _exact(found.gallagher_squared),
        "loosemore_hanby": _exact(found.loosemore_hanby),
        "wasted_below_threshold": _exact(found.wasted_below_threshold),
        "wasted_against_all": _exact(found.wasted_against_all),
    }
    for name in ("effective_parties_votes", "effective_parties_seats", "loosemore_hanby"):
        value = getattr(found, name)
        shown[f"{name}_shown"] = None if value is None else fixed(value)
    shown["gallagher"] = found.gallagher
    for name in ("wasted_below_threshold", "wasted_against_all"):
        value = getattr(found, name)
        shown[f"{name}_percent"] = None if value is None else fixed(100 * value)
    return shown


def areas_to_dict(areas: ContestTotals | None, *, generated: bool) -> dict[str, Any]:
    """A list ballot's count in the nation, by territory and by district (none where it was
    not counted from protocols). With generated inputs, `generated` marks the territories
    and districts as generated (no published figure is kept at their level); the nation's
    own figures are labelled one by one in the chamber's `generated_figures`."""
    if areas is None:
        return {}
    return {
        "areas": {
            "generated": generated,
            "nation": totals_to_dict(areas.nation),
            "territories": {t: totals_to_dict(n) for t, n in areas.by_territory.items()},
            "districts": {
                d: {"territory_id": areas.territory_of[d], **totals_to_dict(n)}
                for d, n in areas.by_district.items()
            },
        }
    }


def totals_to_dict(total: LineTotals) -> dict[str, Any]:
    """An area's counts of protocols, its lines (null where not recorded) and its votes."""
    return {
        **{name: getattr(total, name) for name in COUNTS},
        **{line: total.line(line) for line in LINES},
        "votes": dict(total.votes),
    }


def review_to_dict(review: ProtocolReview) -> dict[str, Any]:
    """A protocol kept for review: which, and every check it breaks."""
    return {
        "contest_id": review.contest_id,
        "round": review.round,
        "station_id": review.station_id,
        "codes": list(review.codes),
        "messages": list(review.messages),
    }


def chamber_to_dict(chamber: ChamberResult, *, generated: bool = False) -> dict[str, Any]:
    """A chamber's composition and national figures, in the published table's terms.

    With `generated`, every seat says it was decided on generated counts.
    """
    law = chamber.law
    out: dict[str, Any] = {
        "name": chamber.name,
        "law": None if law is None else {"id": law.law_id, "name": law.name, "sha256": law.sha256},
        "seats_total": chamber.seats_total,
        "majority": chamber.majority,
        "seats_filled": chamber.seats_filled,
        "seats_vacant": chamber.seats_vacant,
        "seats_not_in_data": chamber.seats_not_in_data,
        "seats_not_decided": chamber.seats_not_decided,
        "gaps": [
            {"tier": g.tier, "seats": g.seats, "reason": g.reason, "kind": g.kind}
            for g in chamber.gaps
        ],
        "generated_figures": sorted(chamber.generated_figures),
        "compared": [
            {
                "figure": c.figure,
                "published": c.published,
                "computed": c.computed,
                "kind": c.kind,
                "source": c.source,
            }
            for c in chamber.compared
        ],
    }
    if chamber.parties:
        turnout = chamber.turnout
        before = chamber.turnout_before
        places = chamber.turnout_before_places
        out |= {
            "registered": chamber.registered,
            "took_part": chamber.took_part,
            "ballots_found": chamber.ballots_found,
            "valid": chamber.valid,
            "against_all": chamber.against_all,
            "invalid": chamber.invalid,
            "turnout": _exact(turnout),
            "turnout_percent": fixed(100 * turnout) if turnout is not None else None,
            "turnout_before_percent": fixed(100 * before, places) if before is not None else None,
            "turnout_before_derived": chamber.turnout_before_derived,
            "turnout_change_points": (
                fixed(100 * (turnout - before), places) if turnout is not None and before else None
            ),
            "list_percent_base": chamber.percent_base,
            "list_percent_base_value": chamber.percent_base_value,
            "parties": [
                {
                    "party_id": p.party_id,
                    "name": p.name,
                    "list_votes": p.list_votes,
                    "list_share": _exact(p.list_share),
                    "list_percent": fixed(100 * p.list_share) if p.list_share else None,
                    "list_seats": p.list_seats,
                    "list_vacant": p.list_vacant,
                    "district_seats": p.district_seats,
                    "total_seats": p.total_seats,
                    "published_total_seats": p.published_total,
                    "published_total_seats_kind": (
                        None
                        if p.published_total is None
                        else chamber.compared_kind(f"total_seats.{p.party_id}")
                    ),
                    "seats_before": p.seats_before,
                    "seat_change": p.seat_change,
                }
                for p in chamber.parties
            ],
            "districts_decided_round1": chamber.districts_decided_round1,
            "runoffs": chamber.runoffs,
            "new_voting": chamber.new_voting,
            "registered_parties": chamber.registered_parties,
            "party_lists": chamber.party_lists,
        }
        runoff = chamber.runoff_turnout
        if runoff is not None:
            out["runoff_took_part"] = chamber.runoff_took_part
            out["runoff_registered"] = chamber.runoff_registered
            out["runoff_turnout_percent"] = fixed(100 * runoff)
        base = chamber.percent_base_value
        if chamber.against_all is not None and base and chamber.percent_base != "list_votes":
            out["against_all_percent"] = percent_of(chamber.against_all, base)
        if chamber.invalid is not None and base and chamber.percent_base in _WITH_INVALID:
            out["invalid_percent"] = percent_of(chamber.invalid, base)
    if chamber.seats_contested:
        out["seats_contested"] = chamber.seats_contested
        out["seats_elected"] = chamber.seats_elected
        out["appointed_seats"] = chamber.appointed_seats
        out["elected"] = [seat_to_dict(seat, generated) for seat in chamber.seats]
    else:
        out["seats"] = [seat_to_dict(seat, generated) for seat in chamber.seats]
    out["vacancies"] = [
        {"contest_id": v.contest_id, "tier": v.tier, "seats": v.seats, "reason": v.reason}
        for v in chamber.vacancies
    ]
    return out


def seat_to_dict(seat: Seat, generated: bool = False) -> dict[str, Any]:
    """Who holds a seat, for whom, and the decision that gave it."""
    decision = seat.decision
    return {
        "generated": generated,
        "contest_id": seat.contest_id,
        "candidate_id": seat.candidate_id,
        "name": seat.name,
        "nominator": seat.nominator,
        "party_id": seat.party_id,
        "round": decision.round,
        "votes": decision.votes,
        "base": decision.base,
        "base_name": decision.base_name,
        "rule": decision.rule,
        "reason": decision.reason,
    }


def stage_to_dict(stage: StageRecord) -> dict[str, Any]:
    """What a stage decided and why."""
    return {
        "stage": stage.stage,
        "chamber": stage.chamber,
        "date": stage.date,
        "summary": stage.summary,
        "decisions": [decision_to_dict(d) for d in stage.decisions],
        "notes": list(stage.notes),
    }


def decision_to_dict(decided: ContestDecision) -> dict[str, Any]:
    """One contest's decision in one round, and the count it was taken on."""
    decision = decided.decision
    out: dict[str, Any] = {
        "contest_id": decided.contest_id,
        "round": decided.round,
        "kind": decision.kind,
        "reason": decision.reason,
    }
    for name in ("winner", "votes", "base", "base_name", "rule"):
        if hasattr(decision, name):
            out[name] = getattr(decision, name)
    if hasattr(decision, "pair"):
        out["runoff"] = list(decision.pair.candidates)
    if hasattr(decision, "candidates"):
        out["second_round"] = list(decision.candidates)
    ties = getattr(decision, "ties", ())
    if ties:
        out["ties"] = [t.describe() for t in ties]
    if decided.notes:
        out["notes"] = list(decided.notes)
    count = decided.count
    if count is not None:
        out["count"] = {
            "registered": count.registered,
            "took_part": count.took_part,
            "valid": count.counted_valid,
            "invalid": count.invalid,
            "against_all": count.against_all,
            "votes": dict(count.votes),
            "ballots_found": count.ballots_found,
            "protocols": count.protocols,
            "rejected": count.rejected,
            "missing": count.missing,
            "flagged": count.flagged,
        }
    return out


_WITH_INVALID = ("took_part", "ballots_found")
"""Bases that hold the invalid ballots, so that a share of them can be shown."""


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"
