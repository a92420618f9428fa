"""Pieces of a law that its tiers share: the bases a share is of, the alternatives of a
validity rule, the steps of a coalition threshold that grows with the members, and the
admission of lists below the threshold to a share of the votes."""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import BaseModel, Field

from saylau.law.section import Section
from saylau.law.share import Share
from saylau.limits import MAX_ENTRIES

ThresholdBase = Literal["took_part", "ballots_found", "valid", "list_votes"]
"""What a list's share is measured against: ballots issued, ballots found in the boxes, all
valid ballots (against all included), or the votes for the lists alone."""
MajorityBase = Literal["took_part", "ballots_found", "valid", "candidate_votes"]
"""What a candidate's share is measured against: ballots issued, ballots found in the
boxes, all valid ballots (against all included), or the votes for the candidates alone."""
ConditionBase = Literal["took_part", "ballots_found", "valid", "candidate_votes", "registered"]
"""What a validity condition's share is of: a majority base, or the registered voters."""


class Condition(Section):
    """One alternative of a round's validity rule. It applies where the turnout (those who
    took part, of the registered) reaches `turnout` (at least it when `turnout_inclusive`,
    else more than it), or always when `turnout` is not set. Where it applies, the leader is
    elected with more than `share` of `base` (at least it when `inclusive`), and no one is
    elected otherwise. Each alternative cites its own sources."""

    turnout: Share | None = None
    turnout_inclusive: bool = True
    share: Share
    base: ConditionBase
    inclusive: bool = False


def alternatives(conditions: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """Alternatives are tried in order, the first that applies decides: so each but the last
    needs a turnout, or those after it could never apply."""
    for number, condition in enumerate(conditions[:-1], start=1):
        if condition.turnout is None:
            raise ValueError(
                f"alternative {number} has no turnout, so it always applies and the "
                f"alternatives after it never would; only the last may omit turnout"
            )
    return conditions


def validity_replaces(section: BaseModel) -> None:
    """A validity rule replaces the settings its section's `replaced` names for it: setting
    both would leave one unused, so it is refused."""
    for field, names in getattr(type(section), "replaced", {}).items():
        both = sorted(set(names) & section.model_fields_set)
        if getattr(section, field) and both:
            raise ValueError(
                f"{field} replaces {', '.join(names)}: set {field} or {', '.join(both)}, not both"
            )


def replaced_settings(section: BaseModel) -> set[str]:
    """The settings of `section` that a validity rule given in it replaces."""
    table: dict[str, tuple[str, ...]] = getattr(type(section), "replaced", {})
    return {name for field, names in table.items() if getattr(section, field) for name in names}


class CoalitionBar(Section):
    """One step of a coalition threshold that grows with the number of members: a
    coalition of `members` members or more needs `share`. Each step cites its own sources."""

    members: int = Field(ge=2, le=MAX_ENTRIES)
    share: Share


def ascending(steps: tuple[CoalitionBar, ...]) -> tuple[CoalitionBar, ...]:
    """The steps of a coalition threshold name ever more members."""
    for before, after in itertools.pairwise(steps):
        if after.members <= before.members:
            raise ValueError(
                f"the steps must name ever more members: {after.members} comes after "
                f"{before.members}"
            )
    return steps


def college_bases(*conditions: Condition) -> None:
    """A college's conditions are shares of those who took part, the electors or the votes."""
    for condition in conditions:
        if condition.base not in ("took_part", "registered", "candidate_votes"):
            raise ValueError(
                f"a college's validity condition is a share of took_part, registered "
                f"(the electors) or candidate_votes, not {condition.base}"
            )


class Admission(Section):
    """Lists admitted below the threshold while those admitted hold less than `share` of
    the votes: one at a time in order of votes (a tie for the next place follows the tier's
    tie-breaks), until the admitted lists hold `share` of `base` (at least it when
    `inclusive`, else more than it); `base` is by default the threshold's. Then
    `too_few_qualify` applies to the lists admitted so far."""

    share: Share
    base: ThresholdBase | None = None
    inclusive: bool = True
