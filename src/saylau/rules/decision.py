"""What a contest decides: the typed decisions shared by district and indirect votes.

Each decision carries its explanation: who, with how many votes, of what base, by which rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, NewType

from saylau.errors import InputError
from saylau.law.schema import Condition, TieBreak
from saylau.law.share import format_share
from saylau.rules.exact import meets_share, percent_of
from saylau.rules.ties import Contender, TieResolution, break_tie
from saylau.said import N_, Figure, Param, Said

CandidateId = NewType("CandidateId", str)
Standings = tuple[tuple[CandidateId, int], ...]
"""Candidates with their votes, most votes first, then by id."""
HALF = Fraction(1, 2)
FailureCause = Literal[
    "turnout", "against_all", "no_majority", "below_min_share", "too_few_candidates"
]
AgainstAllWins = Literal["no_effect", "new_voting"]

BASE_LABELS = {
    "took_part": "voters who took part",
    "ballots_found": "ballots found in the boxes",
    "valid": "valid ballots",
    "candidate_votes": "votes for the candidates",
    "list_votes": "votes for the lists",
    "electors": "electors",
    "registered": "registered voters",
}
"""How a reason names each base of a share."""


def base_words(name: str) -> Said:
    """The words of a base of a share in a reason (marked for the catalogs in
    saylau.report.words)."""
    return Said(BASE_LABELS[name].replace("%", "%%"))


def share_of(part: int, whole: int) -> Said:
    """A share for a reason, as `percent` writes it ("30.89%"), kept as a figure."""
    shown = percent_of(part, whole)
    return Said(N_("no base")) if shown is None else Said("%(share)s%%", share=Figure(shown))


@dataclass(frozen=True)
class Elected:
    """A winner: `votes` of `base` (the `base_name` count), by `rule`."""

    kind: Literal["elected"] = field(default="elected", init=False)
    winner: CandidateId
    votes: int
    base: int
    base_name: str
    rule: str
    round: int
    reason: str
    standings: Standings
    context: str = ""
    ties: tuple[TieResolution, ...] = ()


@dataclass(frozen=True)
class Undecided:
    """A tie the law leaves open: a recorded resolution is required before anyone is seated."""

    kind: Literal["undecided"] = field(default="undecided", init=False)
    tied: tuple[CandidateId, ...]
    votes: int
    round: int
    reason: str
    standings: Standings
    context: str = ""
    base: int = 0
    base_name: str = ""
    rule: str = ""
    """The rule the winner would have been elected by, but for the tie."""


ResolutionMethod = Literal["lot", "commission_decision", "court_decision"]
"""How a commission settled a tie the law left open: a lot it drew, or a decision."""

RESOLUTION_WORDS: dict[ResolutionMethod, str] = {
    "lot": N_("a lot drawn by the commission"),
    "commission_decision": N_("a decision of the commission"),
    "court_decision": N_("a court decision"),
}


def resolve_tie(
    undecided: Undecided, winner: CandidateId, method: ResolutionMethod, reference: str
) -> Elected:
    """A tie the law left open, settled as the commission recorded it [the law's `tie` is
    `undecided`]: the winner must be one of the tied."""
    if winner not in undecided.tied:
        raise InputError(
            f"{lead(undecided.context)}round {undecided.round}: the recorded resolution names "
            f"{winner}, who is not among the tied ({', '.join(undecided.tied)})"
        )
    if method not in RESOLUTION_WORDS:
        raise InputError(
            f"{lead(undecided.context)}round {undecided.round}: resolution method {method!r} "
            f"is not one of {', '.join(RESOLUTION_WORDS)}"
        )
    said: dict[str, Param] = {
        "tied": undecided.tied,
        "votes": undecided.votes,
        "round": undecided.round,
        "how": Said(RESOLUTION_WORDS[method]),
        "winner": winner,
    }
    reason = Said(
        N_(
            "%(tied)s were tied with %(votes)s votes each in round %(round)s; settled by "
            "%(how)s: %(winner)s elected"
        ),
        **said,
    )
    if reference:
        reason = Said(
            N_(
                "%(tied)s were tied with %(votes)s votes each in round %(round)s; settled by "
                "%(how)s (%(reference)s): %(winner)s elected"
            ),
            reference=reference,
            **said,
        )
    return Elected(
        winner,
        undecided.votes,
        undecided.base,
        undecided.base_name,
        f"recorded_{method}",
        undecided.round,
        reason,
        undecided.standings,
        undecided.context,
    )


@dataclass(frozen=True)
class Failed:
    """No one is elected: `value` of `base` fell short of `share` (or `cause` says why)."""

    kind: Literal["failed"] = field(default="failed", init=False)
    cause: FailureCause
    value: int
    base: int
    share: Fraction | None
    inclusive: bool
    round: int
    reason: str
    standings: Standings
    context: str = ""


@dataclass(frozen=True)
class Violation:
    """A broken rule in the input, with a code a program can match on."""

    code: Literal["original_candidate_barred"]
    candidate: CandidateId
    message: str


def standings(votes: Mapping[CandidateId, int]) -> Standings:
    """Most votes first; equal votes by id, so the input order never matters."""
    return tuple(sorted(votes.items(), key=lambda item: (-item[1], item[0])))


def whole_number(value: object, what: str, context: str = "") -> int:
    """A count must be a non-negative int: floats and booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{lead(context)}{what} must be a whole number, got {value!r}")
    if value < 0:
        raise InputError(f"{lead(context)}{what} cannot be negative, got {value}")
    return value


def check_votes(votes: Mapping[CandidateId, int], context: str = "") -> int:
    """Every candidate has a whole, non-negative number of votes; returns their sum."""
    if not votes:
        raise InputError(f"{lead(context)}no candidates: the count has no votes")
    for candidate, n in votes.items():
        if not isinstance(candidate, str) or not candidate:
            raise InputError(f"{lead(context)}a candidate id must be a non-empty string")
        whole_number(n, f"votes for candidate {candidate}", context)
    return sum(votes.values())


def lead(context: str) -> str:
    """The context as the start of a message."""
    return f"{context}: " if context else ""


def at(context: str, what: str) -> str:
    """The context of a tie-break or lot: the contest, then the place in it (`what` may be
    a `Said`, said in the reader's language where a reason names the place)."""
    return Said("%(context)s %(what)s", context=context, what=what) if context else what


def top_places(
    votes: Mapping[CandidateId, int],
    places: int,
    chain: Sequence[TieBreak],
    registration_order: Mapping[CandidateId, int] | None,
    seed: int | None,
    where: str,
) -> tuple[tuple[CandidateId, ...], tuple[TieResolution, ...]]:
    """The `places` with the most votes; a tie at the cut follows the law's `chain`."""
    ranked = standings(votes)
    if places >= len(ranked):
        return tuple(c for c, _ in ranked), ()
    cut = ranked[places - 1][1]
    sure = [c for c, v in ranked if v > cut]
    at_cut = [c for c, v in ranked if v == cut]
    if len(sure) + len(at_cut) == places:
        return (*sure, *at_cut), ()
    order = registration_order or {}
    contenders = [Contender(c, cut, order.get(c)) for c in at_cut]
    resolution = break_tie(contenders, places - len(sure), chain, context=where, seed=seed)
    return (*sure, *(CandidateId(w) for w in resolution.winners)), (resolution,)


@dataclass(frozen=True)
class Judged:
    """How a round fared under the law's alternative conditions of validity: the one that
    applied (its place, from 1), or None where the turnout reached none of them."""

    condition: Condition | None
    number: int
    met: bool
    base: int
    reason: Said


def judge_validity(
    conditions: Sequence[Condition],
    top: int,
    took_part: int,
    registered: int,
    base_of: Callable[[str], int],
    who: str = "registered",
) -> Judged:
    """The first alternative whose turnout (`took_part` of `registered`, who are `who`) the
    round reaches decides whether the leader, with `top` votes, is elected: with more than
    (or at least) its share of its base, which `base_of` gives by name."""
    words = Said(N_("registered")) if who == "registered" else Said(who.replace("%", "%%"))
    turnout = Said(
        N_("turnout %(took)s of %(registered)s %(who)s (%(share)s)"),
        took=took_part,
        registered=registered,
        who=words,
        share=share_of(took_part, registered),
    )
    for number, condition in enumerate(conditions, start=1):
        guard = condition.turnout
        inclusive = condition.turnout_inclusive
        if guard is not None and not meets_share(took_part, registered, guard, inclusive=inclusive):
            continue
        where = Said(N_("at any turnout"))
        if guard is not None:
            applies = (
                N_("as %(turnout)s is at least %(share)s")
                if inclusive
                else N_("as %(turnout)s is more than %(share)s")
            )
            where = Said(applies, turnout=turnout, share=format_share(guard))
        base = base_of(condition.base)
        met = meets_share(top, base, condition.share, inclusive=condition.inclusive)
        label = words if condition.base == "registered" else base_words(condition.base)
        reason = Said(
            _VALIDITY[met, condition.inclusive],
            votes=top,
            base=base,
            label=label,
            share=share_of(top, base),
            needed=format_share(condition.share),
            number=number,
            where=where,
        )
        return Judged(condition, number, met, base, reason)
    reason = Said(
        N_("%(turnout)s reaches the turnout of no validity alternative: the voting failed"),
        turnout=turnout,
    )
    return Judged(None, 0, False, registered, reason)


_VALIDITY: dict[tuple[bool, bool], str] = {
    (True, True): N_(
        "the leader's %(votes)s of %(base)s %(label)s (%(share)s) reaches at least "
        "%(needed)s, under validity alternative %(number)s, which applies %(where)s"
    ),
    (True, False): N_(
        "the leader's %(votes)s of %(base)s %(label)s (%(share)s) reaches more than "
        "%(needed)s, under validity alternative %(number)s, which applies %(where)s"
    ),
    (False, True): N_(
        "the leader's %(votes)s of %(base)s %(label)s (%(share)s) does not reach at least "
        "%(needed)s, under validity alternative %(number)s, which applies %(where)s"
    ),
    (False, False): N_(
        "the leader's %(votes)s of %(base)s %(label)s (%(share)s) does not reach more than "
        "%(needed)s, under validity alternative %(number)s, which applies %(where)s"
    ),
}
"""A condition of validity met or not (first) with its share inclusive or not (second)."""


def below_share(
    top: int,
    judged: Judged,
    condition: Condition,
    round_no: int,
    reason: str,
    ranked: Standings,
    context: str,
) -> Failed:
    """The alternative that applies at this turnout is not met: the voting failed, the
    leader's `top` votes below the condition's share of `judged.base`."""
    return Failed(
        "below_min_share",
        top,
        judged.base,
        condition.share,
        condition.inclusive,
        round_no,
        reason,
        ranked,
        context,
    )


def no_condition(
    conditions: Sequence[Condition],
    took_part: int,
    registered: int,
    round_no: int,
    reason: str,
    ranked: Standings,
    context: str,
) -> Failed:
    """No validity alternative applies at this turnout: the voting failed, short of the
    lowest turnout named."""
    guards = [c for c in conditions if c.turnout is not None]
    lowest = min(guards, key=lambda c: c.turnout or 0)
    return Failed(
        "turnout",
        took_part,
        registered,
        lowest.turnout,
        lowest.turnout_inclusive,
        round_no,
        reason,
        ranked,
        context,
    )
