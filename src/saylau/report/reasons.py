"""The reason of each contest's decision in the current language.

A reason the rules made as a `Said` (saylau.said) is said by its template. A district's
reason is still made as English text by saylau.rules.district; for the decisions the 1999
laws take there (an absolute majority or the most votes, a second round, a second round
that elects no one) the same sentence is made again here from the facts the decision
carries, and said in the language only where its English is the reason word for word, so a
reason worded otherwise stays as the rules wrote it rather than being said wrongly.
"""

from __future__ import annotations

from collections.abc import Iterator

from saylau.report import i18n
from saylau.report.data import ReportData
from saylau.results import ContestDecision
from saylau.rules.decision import Elected, Failed, base_words, share_of
from saylau.rules.district import RunoffNeeded
from saylau.said import N_, Param, Said


def reason(data: ReportData, decided: ContestDecision) -> str:
    """The decision's reason in the current language, where it can be said in it."""
    found = decided.reason
    if isinstance(found, Said) or i18n.language() == i18n.DEFAULT:
        return data.say(found)
    for made in _district_reasons(decided):
        if made == found:
            return data.say(made)
    return found


def _district_reasons(decided: ContestDecision) -> Iterator[Said]:
    """The sentences saylau.rules.district makes for this kind of decision, from its facts."""
    decision = decided.decision
    if isinstance(decision, Elected) and decision.base_name in _LABELS:
        said: dict[str, Param] = {
            "winner": decision.winner,
            "votes": decision.votes,
            "base": decision.base,
            "label": base_words(decision.base_name),
            "share": share_of(decision.votes, decision.base),
        }
        if decision.round == 1:
            yield Said(
                N_(
                    "%(winner)s has %(votes)s of %(base)s %(label)s (%(share)s), more than "
                    "half: elected in round 1"
                ),
                **said,
            )
            yield Said(
                N_(
                    "%(winner)s has the most votes, %(votes)s of %(base)s %(label)s "
                    "(%(share)s): elected by plurality"
                ),
                **said,
            )
        elif decision.round == 2:
            del said["share"]
            yield Said(N_("%(winner)s has %(votes)s of %(base)s %(label)s, more than half"), **said)
            ranked = decision.standings
            rest = ranked[1][1] if len(ranked) > 1 else Said(N_("no other candidate"))
            yield Said(
                N_(
                    "%(winner)s has more votes (%(votes)s) than the other (%(rest)s): elected "
                    "in round 2"
                ),
                winner=decision.winner,
                votes=decision.votes,
                rest=rest,
            )
    elif isinstance(decision, RunoffNeeded) and decision.base_name in _LABELS:
        leader = decision.standings[0][0] if decision.standings else ""
        yield Said(
            N_(
                "no one has more than half (the leader %(leader)s has %(votes)s of %(base)s "
                "%(label)s (%(share)s)): %(pair)s go to a second round"
            ),
            leader=leader,
            votes=decision.leader_votes,
            base=decision.base,
            label=base_words(decision.base_name),
            share=share_of(decision.leader_votes, decision.base),
            pair=decision.pair.candidates,
        )
    elif isinstance(decision, Failed) and decision.cause == "no_majority" and decision.round == 2:
        for name in _LABELS:
            yield Said(
                N_("no one has more than half of the %(base)s %(label)s in round 2"),
                base=decision.base,
                label=base_words(name),
            )


_LABELS = (
    "took_part",
    "ballots_found",
    "valid",
    "candidate_votes",
    "list_votes",
    "electors",
    "registered",
)
"""The bases a district's reason may name (saylau.rules.decision's BASE_LABELS)."""
