"""Open lists: the order in which a list's candidates take its seats, under the law's rule.

The law's `list_tier.preferences` says how the preference votes for a list's candidates
reorder it: `none` keeps list order (a closed list); `reorder` ranks every candidate by
preference votes, equal votes in list order; `quota` moves the candidates whose preference
votes reach a share of their list's votes to the top, in order of preference votes, and
the rest keep list order below them. Each place says why it is held.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.errors import InputError
from saylau.law.schema import Preferences
from saylau.law.share import format_share
from saylau.rules.exact import meets_share

PlaceReason = Literal["list_rank", "preferences"]


@dataclass(frozen=True)
class Placed:
    """A candidate's place after the preference votes: `rank` is the place on the list as
    registered; `reason` says whether the place comes from the list rank or from the
    preference votes (`preference_votes`, None where the law counts none); `tied` where
    another candidate placed by preference votes has as many, so the list rank orders them."""

    rank: int
    name: str
    reason: PlaceReason
    preference_votes: int | None = None
    tied: bool = False

    def why(self) -> str:
        """The reason in words: 'list rank 3', '1,204 preference votes' or, among equal
        votes, '0 preference votes, then list rank 3'."""
        if self.reason == "preferences":
            then = f", then list rank {self.rank}" if self.tied else ""
            return f"{self.preference_votes:,} preference votes{then}"
        return f"list rank {self.rank}"


@dataclass(frozen=True)
class Candidate:
    """A candidate of a list, as the rule needs one: the rank as registered and a name."""

    rank: int
    name: str


def ordered(
    candidates: Sequence[Candidate],
    rule: Preferences | None,
    preference_votes: Mapping[int, int],
    list_votes: int,
) -> tuple[Placed, ...]:
    """The list in the order its seats are filled. `preference_votes` maps a rank to its
    candidate's preference votes (a rank missing has none); `list_votes` is the list's
    votes, the base of a quota."""
    by_rank = sorted(candidates, key=lambda c: c.rank)
    unknown = sorted(set(preference_votes) - {c.rank for c in by_rank})
    if unknown:
        raise InputError(
            f"preference votes for rank(s) {', '.join(map(str, unknown))}, which the list lacks"
        )
    for rank, given in preference_votes.items():
        if isinstance(given, bool) or not isinstance(given, int) or given < 0:
            raise InputError(f"rank {rank}: preference votes must be a whole number >= 0")
    if isinstance(list_votes, bool) or not isinstance(list_votes, int) or list_votes < 0:
        raise InputError(f"the list's votes must be a whole number >= 0, got {list_votes!r}")
    if rule is None or rule.rule == "none":
        return tuple(Placed(c.rank, c.name, "list_rank") for c in by_rank)
    votes = {c.rank: preference_votes.get(c.rank, 0) for c in by_rank}
    if rule.rule == "reorder":
        return by_preferences(by_rank, votes)
    share = rule.quota if rule.quota is not None else Fraction(0)
    over = [c for c in by_rank if reaches(votes[c.rank], list_votes, share, rule.inclusive)]
    moved = {c.rank for c in over}
    rest = [c for c in by_rank if c.rank not in moved]
    return by_preferences(over, votes) + tuple(
        Placed(c.rank, c.name, "list_rank", votes[c.rank]) for c in rest
    )


def by_preferences(candidates: Sequence[Candidate], votes: Mapping[int, int]) -> tuple[Placed, ...]:
    """Candidates (in list order) by their preference votes, most first; equal votes keep
    list order, and say so."""
    ranked = sorted(candidates, key=lambda c: (-votes[c.rank], c.rank))
    counts = Counter(votes[c.rank] for c in candidates)
    return tuple(
        Placed(c.rank, c.name, "preferences", votes[c.rank], counts[votes[c.rank]] > 1)
        for c in ranked
    )


def reaches(votes: int, list_votes: int, share: Fraction, inclusive: bool) -> bool:
    """Whether a candidate's preference votes reach `share` of the list's votes, exactly.
    A list with no votes has no quota to reach."""
    if list_votes == 0:
        return False
    return meets_share(votes, list_votes, share, inclusive=inclusive)


def rule_label(rule: Preferences) -> str:
    """The law's preference rule in words, for a result."""
    if rule.rule == "none":
        return "closed lists: seats go to candidates in list order"
    if rule.rule == "reorder":
        return "every candidate by preference votes, equal votes in list order"
    share = rule.quota if rule.quota is not None else Fraction(0)
    sign = "at least" if rule.inclusive else "more than"
    return (
        f"candidates with preference votes of {sign} {format_share(share)} of their list's "
        f"votes first, by preference votes; the rest in list order"
    )
