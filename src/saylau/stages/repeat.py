"""Repeat elections after a failed district (`district_tier.failed = "repeat_election"`).

Where a district's voting fails (too low a turnout, too few candidates, a condition of
validity or of an uncontested vote not met), a law may call a repeat election there.
Lithuania, Law on Elections to the Seimas art. 88(4) and art. 90 (2016): repeat elections
(pakartotiniai rinkimai) are held where a constituency's election failed or was declared
invalid. The election directory may hold the repeat election as its own contest, of tier
`repeat_election`, that `replaces` the failed one; it is decided like round 1 and its
runoff, and, unlike a new voting after an invalidation, those who stood before may stand
again. A repeat election that fails in turn may be replaced by another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from saylau.law.schema import DistrictTier, Law
from saylau.registry.model import Contest
from saylau.results import StageRecord
from saylau.rules.decision import Elected, Failed
from saylau.rules.district_cases import repeat_election_held, repeat_not_due, repeat_summary
from saylau.stages.counting import Counting
from saylau.stages.districts import ContestPath, decide_rounds


@dataclass
class Repeats:
    """The repeat elections of one chamber: every path decided, the final one of each
    district by its original contest, the districts where one is due and not in the data,
    and what was noted on the way."""

    paths: list[ContestPath] = field(default_factory=list)
    final: dict[str, ContestPath] = field(default_factory=dict)
    due: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def repeat_elections(
    counting: Counting,
    tier: DistrictTier,
    contests: Sequence[Contest],
    finals: Sequence[ContestPath],
) -> Repeats:
    """Each failed district of `finals` (the paths that stand after any new voting) goes to
    the repeat election of `contests` that replaces it, where the law calls one; a district
    that fails with none in the data has one due."""
    found = Repeats()
    replacing = {c.replaces: c for c in contests if c.replaces is not None}
    used: set[str] = set()
    for original in finals:
        path = original
        while tier.failed == "repeat_election" and isinstance(path.final, Failed):
            repeat = replacing.get(path.contest_id)
            if repeat is None or repeat.contest_id in used:
                found.due.add(path.contest_id)
                break
            used.add(repeat.contest_id)
            found.notes.append(repeat_election_held(repeat.contest_id, path.final.reason))
            path = decide_rounds(counting, repeat, tier, last_round=tier.rounds)
            found.paths.append(path)
        if path is not original:
            found.final[original.contest_id] = path
    decided = {p.contest_id for p in [*finals, *found.paths]}
    for contest in contests:
        replaced = contest.replaces or ""
        if contest.contest_id in used:
            continue
        if tier.failed != "repeat_election":
            why = "vacant"
        elif replaced not in decided:
            why = "not_decided"
        else:
            why = "not_failed"
        found.notes.append(repeat_not_due(contest.contest_id, replaced, why))
    return found


def repeat_stage(
    counting: Counting, chamber_id: str, law: Law, finals: Sequence[ContestPath]
) -> tuple[Repeats, StageRecord | None]:
    """The repeat elections of one chamber, and the stage's record where there is any."""
    tier, election = law.district_tier, counting.inputs.election
    if tier is None:
        return Repeats(), None
    contests = election.contests_of(chamber_id, "repeat_election")
    found = repeat_elections(counting, tier, contests, finals)
    if not found.paths and not found.due and not found.notes:
        return found, None
    decisions = tuple(d for p in found.paths for d in p.decisions)
    filled = sum(isinstance(p.final, Elected) for p in found.final.values())
    summary = repeat_summary(len(found.final), filled, len(found.due))
    date = election.dates.get("repeat_elections")
    notes = tuple(found.notes)
    return found, StageRecord("repeat_elections", chamber_id, date, summary, decisions, (), notes)
