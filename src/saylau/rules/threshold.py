"""Which lists take part in the allocation: the threshold (a coalition's bar may grow with
its members), the admission of further lists while those admitted hold less than the law's
share of the votes, and the rule for too few passing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.errors import InputError, RuleMissing
from saylau.law.schema import Admission, Threshold, TieBreak, TooFewQualify
from saylau.law.share import format_share
from saylau.rules.allocation import ListEntry, PartyId, Qualification, ThresholdTest
from saylau.rules.decision import share_of
from saylau.rules.exact import meets_share, percent
from saylau.rules.ties import Contender, TieResolution, break_tie
from saylau.said import N_, Name, Said


@dataclass(frozen=True)
class Bases:
    """The numbers a threshold can be a share of; `list_votes` is summed from the lists.

    `took_part` is the ballots issued, `ballots_found` the ballots found in the boxes (the
    voters who took part in Russian law), `valid` every valid ballot, against all included.
    """

    took_part: int | None = None
    valid: int | None = None
    ballots_found: int | None = None

    def of(self, name: str) -> int | None:
        """The base called `name` (not `list_votes`, which the lists' votes give)."""
        if name == "took_part":
            return self.took_part
        if name == "ballots_found":
            return self.ballots_found
        if name == "valid":
            return self.valid
        raise InputError(f"{name} is not a base given with the count")


@dataclass(frozen=True)
class QualifyOutcome:
    qualification: tuple[Qualification, ...]
    test: ThresholdTest | None
    ties: tuple[TieResolution, ...]
    notes: tuple[str, ...]


def threshold_test(
    threshold: Threshold, entries: Sequence[ListEntry], bases: Bases
) -> ThresholdTest:
    """Fix the base of the threshold; a base smaller than the list votes is refused."""
    coalition = threshold.coalition_share
    return ThresholdTest(
        share=threshold.share,
        coalition_share=threshold.share if coalition is None else coalition,
        base=threshold.base,
        base_value=base_value(threshold.base, entries, bases, "threshold"),
        inclusive=threshold.inclusive,
        coalition_steps=tuple((s.members, s.share) for s in threshold.coalition_by_members),
    )


def base_value(name: str, entries: Sequence[ListEntry], bases: Bases, what: str) -> int:
    """The base called `name`, checked: a base smaller than the list votes is refused."""
    list_votes = sum(e.votes for e in entries)
    if name == "list_votes":
        return list_votes
    given = bases.of(name)
    if given is None:
        raise InputError(f"the {what} is a share of {name}, but {name} was not given")
    if isinstance(given, bool) or not isinstance(given, int):
        raise InputError(f"{name} must be a whole number, got {given!r}")
    if given < list_votes:
        raise InputError(
            f"{name} is {given:,}, fewer than the {list_votes:,} votes cast for the lists"
        )
    return given


def qualify(
    entries: Sequence[ListEntry],
    threshold: Threshold | None,
    bases: Bases,
    too_few: TooFewQualify,
    tie_breaks: Sequence[TieBreak],
    seed: int | None = None,
    admission: Admission | None = None,
) -> QualifyOutcome:
    """Test every list against the threshold, admit further lists while those admitted
    hold less than the law's share of the votes (`admission`), then apply the law's rule if
    too few pass."""
    if threshold is None and admission is not None:
        raise InputError("an admission to a share of the votes needs a threshold to admit below")
    if threshold is None:
        rows = tuple(
            Qualification(e.party_id, e.votes, e.kind, None, True, "no threshold") for e in entries
        )
        return QualifyOutcome(rows, None, (), ())
    test = threshold_test(threshold, entries, bases)
    rows_list = [_judge(e, test) for e in entries]
    notes: list[str] = []
    ties: list[TieResolution] = []
    if admission is not None:
        name = admission.base or test.base
        whole = (
            test.base_value if name == test.base else base_value(name, entries, bases, "admission")
        )
        rows_list, tie, note = _admit_to_share(
            rows_list, entries, admission, name, whole, tie_breaks, seed
        )
        ties.extend(tie)
        notes.extend(note)
    passed = sum(r.qualified for r in rows_list)
    if passed < too_few.minimum_lists:
        if too_few.rule == "not_specified":
            raise RuleMissing(
                f"only {passed} list(s) reached the threshold; the law needs at least "
                f"{too_few.minimum_lists} and does not say what happens then "
                f"(setting too_few_qualify.rule is 'not_specified')"
            )
        if too_few.rule == "admit_next":
            rows_list, tie = _admit_next(rows_list, entries, too_few, tie_breaks, seed)
            ties.extend(tie)
            notes.append(
                f"only {passed} list(s) reached the threshold; the next were admitted "
                f"to make {too_few.minimum_lists} (too_few_qualify.rule = admit_next)"
            )
        else:
            notes.append(
                f"only {passed} list(s) reached the threshold; seats are allocated among "
                f"them anyway (too_few_qualify.rule = allocate_anyway)"
            )
    return QualifyOutcome(tuple(rows_list), test, tuple(ties), tuple(notes))


def _judge(entry: ListEntry, test: ThresholdTest) -> Qualification:
    share = Fraction(entry.votes, test.base_value) if test.base_value else None
    try:
        passes = test.passes(entry.votes, entry.kind, entry.members)
    except InputError as error:
        raise InputError(f"list {entry.party_id}: {error}") from None
    bar = test.share_for(entry.kind, entry.members)
    sign = (">=" if test.inclusive else ">") if passes else ("<" if test.inclusive else "<=")
    reason: str = Said(
        N_("%(share)s of %(base)s %(sign)s %(bar)s"),
        share=share_of(entry.votes, test.base_value),
        base=Name(test.base, "base"),
        sign=sign,
        bar=format_share(bar),
    )
    if entry.kind == "coalition" and test.coalition_steps:
        of = Said(N_("coalition threshold for %(members)s members"), members=str(entry.members))
        reason = Said("%(reason)s (%(of)s)", reason=reason, of=of)
    elif entry.kind == "coalition":
        reason = Said(N_("%(reason)s (coalition threshold)"), reason=reason)
    return Qualification(entry.party_id, entry.votes, entry.kind, share, passes, reason)


def _admit_to_share(
    rows: list[Qualification],
    entries: Sequence[ListEntry],
    admission: Admission,
    base: str,
    whole: int,
    tie_breaks: Sequence[TieBreak],
    seed: int | None,
) -> tuple[list[Qualification], list[TieResolution], list[str]]:
    """Admit further lists one at a time in order of votes until the admitted lists hold
    `admission.share` of `whole` (the `base`); a tie for the next place follows the tier's
    tie-breaks."""
    share, inclusive = admission.share, admission.inclusive
    by_id = {e.party_id: e for e in entries}
    out = list(rows)
    held = sum(r.votes for r in out if r.qualified)
    needed = ("at least " if inclusive else "more than ") + format_share(share)
    ties: list[TieResolution] = []
    admitted: list[str] = []
    while not meets_share(held, whole, share, inclusive=inclusive):
        waiting = [r for r in out if not r.qualified and r.votes > 0]
        if not waiting:
            break
        top = max(r.votes for r in waiting)
        tied = [r for r in waiting if r.votes == top]
        chosen = tied[0].party_id
        if len(tied) > 1:
            contenders = [
                Contender(r.party_id, r.votes, by_id[r.party_id].registration_order) for r in tied
            ]
            where = "admission to reach the minimum share"
            resolution = break_tie(contenders, 1, tie_breaks, context=where, seed=seed)
            ties.append(resolution)
            chosen = PartyId(resolution.winners[0])
        before = percent(held, whole)
        held += top
        admitted.append(chosen)
        out = [
            Qualification(
                r.party_id,
                r.votes,
                r.kind,
                r.share_of_base,
                True,
                f"admitted below the threshold ({r.reason}): the lists admitted before it "
                f"held {before} of {base}, not {needed} (list_tier.admission)",
            )
            if r.party_id == chosen
            else r
            for r in out
        ]
    notes = []
    if admitted:
        notes.append(
            f"the lists over the threshold held less than {needed} of {base}; "
            f"{', '.join(admitted)} admitted in order of votes, the admitted lists now hold "
            f"{percent(held, whole)} (list_tier.admission)"
        )
    if not meets_share(held, whole, share, inclusive=inclusive):
        notes.append(
            f"every list with votes is admitted, and together they hold {percent(held, whole)} "
            f"of {base}, not {needed} (list_tier.admission)"
        )
    return out, ties, notes


def _admit_next(
    rows: list[Qualification],
    entries: Sequence[ListEntry],
    too_few: TooFewQualify,
    tie_breaks: Sequence[TieBreak],
    seed: int | None,
) -> tuple[list[Qualification], list[TieResolution]]:
    """Admit the best-placed lists below the threshold until the minimum is reached."""
    by_id = {e.party_id: e for e in entries}
    below = [r for r in rows if not r.qualified and r.votes > 0]
    needed = too_few.minimum_lists - sum(r.qualified for r in rows)
    admitted: list[str] = []
    ties: list[TieResolution] = []
    below.sort(key=lambda r: r.votes, reverse=True)
    if len(below) > needed:
        cut = below[needed - 1].votes
        sure = [r.party_id for r in below if r.votes > cut]
        tied = [r for r in below if r.votes == cut]
        admitted = list(sure)
        places = needed - len(sure)
        if places < len(tied):
            contenders = [
                Contender(r.party_id, r.votes, by_id[r.party_id].registration_order) for r in tied
            ]
            resolution = break_tie(
                contenders, places, tie_breaks, context="admission below the threshold", seed=seed
            )
            ties.append(resolution)
            admitted.extend(resolution.winners)
        else:
            admitted.extend(r.party_id for r in tied)
    else:
        admitted = [r.party_id for r in below]
    weight = too_few.admitted_weight
    out = []
    for r in rows:
        if r.party_id in admitted:
            note = f"admitted below the threshold ({r.reason})"
            if weight != 1:
                note += f", votes weighted by {format_share(weight)}"
            out.append(
                Qualification(r.party_id, r.votes, r.kind, r.share_of_base, True, note, weight)
            )
        else:
            out.append(r)
    return out, ties
