"""What a report reads: a run's result, its counts at every level, the infobox facts and
the party colours, with the few questions every part of the report asks of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from saylau.analysis.counts import RunCounts, below_nation_generated
from saylau.registry.colours import party_colours
from saylau.registry.election import Election, in_language
from saylau.registry.facts import ElectionFacts
from saylau.registry.model import SELF
from saylau.report import i18n
from saylau.report.i18n import N_
from saylau.report.words import base_label
from saylau.results import ChamberResult, ContestDecision, ElectionResult
from saylau.rules.decision import BASE_LABELS

DISTRICT_TIERS = ("district", "new_voting", "repeat_election")
"""The tiers whose contests fill a district's seat: its own, a new voting after an
invalidated result, and a repeat election after a failed voting."""

NOMINATORS = (N_("maslikhat"),)
"""Who else nominates to a seat, as a college's candidates name them
(saylau.stages.registration's COLLEGE_NOMINATORS)."""


@dataclass(frozen=True)
class ReportData:
    """A run and everything a report shows beside it. `district` names the district whose
    rounds are charted (a district id or a contest id), or None for the first with a
    second round."""

    result: ElectionResult
    counts: RunCounts
    facts: ElectionFacts = field(default_factory=ElectionFacts)
    district: str | None = None
    _named: dict[str, Election] = field(default_factory=dict, repr=False, compare=False)
    _kinds: dict[str, dict[str, dict[str, str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def election(self) -> Election:
        """The registry, its names in the current language where the data give them."""
        language = i18n.language()
        if language not in self._named:
            self._named[language] = in_language(self.counts.inputs.election, language)
        return self._named[language]

    @cached_property
    def colours(self) -> dict[str, str]:
        """Each party's colour, and one for each nominator outside the registry."""
        nominators = [s.party_id for c in self.result.chambers for s in c.seats]
        return party_colours(self.election.parties, nominators)

    @property
    def names(self) -> dict[str, str]:
        """Each party's name by id, in the current language where the data give it."""
        language = i18n.language()
        return {p.party_id: p.name_in(language) for p in self.election.parties}

    def names_in(self, language: str) -> dict[str, str]:
        """Each party's name in `language` by id, where the data give one."""
        return (
            {p.party_id: p.name_in(language) for p in self.election.parties if p.names}
            if language
            else {}
        )

    def say(self, text: str) -> str:
        """Text the run made (saylau.said) in the current language, the parties, chambers,
        territories and districts it names as the data name them in that language, and a
        base of a share (took_part, ...) in the language's words."""
        language = i18n.language()
        if language not in self._kinds:
            election = self.election
            self._kinds[language] = {
                "party": self.names_in(language),
                "chamber": {c.chamber_id: c.name_in(language) for c in election.chambers},
                "territory": {t.territory_id: t.name_in(language) for t in election.territories},
                "district": {d.district_id: d.name_in(language) for d in election.districts},
                "base": {name: base_label(name) for name in BASE_LABELS},
            }
        return i18n.say(text, self._kinds[language])

    def nominator_name(self, nominator: str) -> str:
        """A nominator as a reader knows it: a party's name, or self-nominated."""
        if nominator == SELF:
            return i18n.gettext("self-nominated")
        if nominator in self.names:
            return self.names[nominator]
        return i18n.gettext(nominator) if nominator in NOMINATORS else nominator

    @property
    def below_nation_generated(self) -> bool:
        """Whether counts below the nation rest on generated data."""
        return below_nation_generated(self.result)

    def district_decisions(self, chamber: ChamberResult) -> dict[str, list[ContestDecision]]:
        """Each district's decisions in calendar order, a new voting's and a repeat
        election's (one that replaces another repeat election too) under the district's own
        contest; by that contest's id, in the order the districts were decided."""
        contests = self.election.contest_by_id
        found: dict[str, list[ContestDecision]] = {}
        for decided in self.result.decisions_of(chamber.chamber_id):
            contest = contests.get(decided.contest_id)
            if contest is None or contest.tier not in DISTRICT_TIERS:
                continue
            for _ in contests:  # a chain of replacements, at most one step a contest
                replaced = contests.get(contest.replaces or "")
                if contest.tier == "district" or replaced is None:
                    break
                contest = replaced
            found.setdefault(contest.contest_id, []).append(decided)
        return found

    def elected_chambers(self) -> tuple[ChamberResult, ...]:
        """Chambers with a popular vote (parties and a list or districts)."""
        return tuple(c for c in self.result.chambers if c.parties)

    def college_chambers(self) -> tuple[ChamberResult, ...]:
        """Chambers filled by electoral colleges."""
        return tuple(c for c in self.result.chambers if c.seats_contested)
