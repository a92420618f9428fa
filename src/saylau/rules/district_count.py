"""A district's count for one round, the bases a share of it can be measured against, and
the tests a round fails before anyone is elected: too low a turnout, or against all winning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.errors import InputError
from saylau.law.schema import DistrictTier
from saylau.law.share import format_share
from saylau.rules.decision import (
    AgainstAllWins,
    CandidateId,
    Failed,
    Standings,
    check_votes,
    lead,
    share_of,
    standings,
    whole_number,
)
from saylau.rules.exact import meets_share
from saylau.said import N_, Said


@dataclass(frozen=True)
class DistrictCount:
    """One district's count for one round; `took_part` is the ballots issued and
    `ballots_found` (where known) the ballots found in the boxes."""

    votes: Mapping[CandidateId, int]
    took_part: int
    valid: int
    registered: int
    against_all: int = 0
    registration_order: Mapping[CandidateId, int] | None = None
    ballots_found: int | None = None


def validate_count(count: DistrictCount, context: str = "") -> None:
    """The count's relations: votes + against all <= valid <= ballots found (or, where they
    are not given, took part), and took part <= registered."""
    cast = check_votes(count.votes, context)
    took_part = whole_number(count.took_part, "took_part", context)
    valid = whole_number(count.valid, "valid", context)
    registered = whole_number(count.registered, "registered", context)
    cast += whole_number(count.against_all, "against_all", context)
    prefix = lead(context)
    if count.ballots_found is None:
        limit, what = took_part, "voters who took part"
    else:
        limit = whole_number(count.ballots_found, "ballots_found", context)
        what = "ballots found in the boxes"
    if cast > valid:
        added = f"{prefix}candidate votes and against all add up to {cast}"
        raise InputError(f"{added}, more than the {valid} valid ballots")
    if valid > limit:
        raise InputError(f"{prefix}{valid} valid ballots, but only {limit} {what}")
    if took_part > registered:
        raise InputError(f"{prefix}{took_part} took part, but only {registered} are registered")
    for candidate, order in (count.registration_order or {}).items():
        whole_number(order, f"registration order of candidate {candidate}", context)


def base_of(count: DistrictCount) -> Callable[[str], int]:
    """The bases of a validity condition, as the count gives them."""
    return lambda name: count_base(count, name)


def count_base(count: DistrictCount, name: str) -> int:
    """The base of a share the law names: took_part, ballots_found, valid or candidate_votes."""
    if name == "took_part":
        return count.took_part
    if name == "valid":
        return count.valid
    if name == "candidate_votes":
        return sum(count.votes.values())
    if name == "registered":
        return count.registered
    if count.ballots_found is None:
        raise InputError(f"the law measures against {name}, which the count does not give")
    return count.ballots_found


def round_one(
    count: DistrictCount, tier: DistrictTier, context: str
) -> tuple[Standings, Failed | None]:
    validate_count(count, context)
    tests = (tier.min_turnout, tier.turnout_inclusive, tier.against_all_wins)
    return standings(count.votes), precheck(count, *tests, 1, context)


def precheck(
    count: DistrictCount,
    min_turnout: Fraction | None,
    inclusive: bool,
    against_all_wins: AgainstAllWins,
    round_no: int,
    context: str,
) -> Failed | None:
    """The voting fails on low turnout, or, where the law says so, when against all wins."""
    ranked = standings(count.votes)
    took, registered, against = count.took_part, count.registered, count.against_all
    if min_turnout is not None and not meets_share(
        took, registered, min_turnout, inclusive=inclusive
    ):
        words = (
            N_(
                "turnout %(took)s of %(registered)s registered (%(share)s) is not at least "
                "%(needed)s: the voting failed"
            )
            if inclusive
            else N_(
                "turnout %(took)s of %(registered)s registered (%(share)s) is not more than "
                "%(needed)s: the voting failed"
            )
        )
        reason = Said(
            words,
            took=took,
            registered=registered,
            share=share_of(took, registered),
            needed=format_share(min_turnout),
        )
        return Failed(
            "turnout", took, registered, min_turnout, inclusive, round_no, reason, ranked, context
        )
    top = ranked[0][1]
    if against_all_wins == "new_voting" and against > top:
        reason = Said(
            N_(
                "against all (%(against)s) beats every candidate (best %(top)s): new voting "
                "is needed"
            ),
            against=against,
            top=top,
        )
        return Failed("against_all", against, took, None, False, round_no, reason, ranked, context)
    return None
