"""The public pages' figures, read from the live totals and the result as the count stands:
how many stations report each contest (nation, territory, district), each district's state,
votes with their share of the law's base, and the seats. Values only: ids, names, integers
and exact shares; the templates word and round them.

A contest's round is open once it can have protocols: the party list and every district's
first round from the start, a district's second round once its first round is decided on a
complete count as a runoff (or has counted protocols), a new voting once it is ordered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from saylau.law.form import LINES
from saylau.law.schema import Law
from saylau.protocol.lines import LINE_LABELS
from saylau.registry.colours import party_colours
from saylau.registry.election import Election, in_language
from saylau.registry.model import Contest
from saylau.report import i18n
from saylau.results import ChamberResult, ElectionResult
from saylau.rules.district import DistrictDecision, RunoffNeeded
from saylau.service.election import Loaded, loaded
from saylau.service.outcome import DISTRICT, Public, public
from saylau.service.reported import Key, counts, ordered, updated_at
from saylau.service.standing import NOTHING, Reporting, State, Wait, state, summed
from saylau.tabulate.totals import LineTotals


@dataclass(frozen=True)
class Group:
    """Contests a reader counts together: a chamber's party list, its districts in a round,
    or its new votings."""

    chamber: str
    tier: str
    round: int


@dataclass(frozen=True)
class Area:
    """The stations of one contest's round in one district."""

    key: Key
    group: Group
    district: str


def decision_of(result: ElectionResult | None, key: Key) -> DistrictDecision | None:
    """The law's decision of a district contest's round on the votes counted so far."""
    if result is None:
        return None
    for stage in result.stages:
        for decided in stage.decisions:
            found = decided.decision
            if (decided.contest_id, decided.round) == key and isinstance(found, DISTRICT):
                return found
    return None


class Board:
    """The public figures at one state of the count."""

    def __init__(self, session: Session, url: str) -> None:
        self.election: Loaded = loaded(session)
        self.registry: Election = in_language(self.election.inputs.election, i18n.language())
        self.outcome: Public = public(session, url)
        self.counts = counts(session)
        self.updated = updated_at(session)
        self.ordered = ordered(session) | {
            c.contest_id for c in self.registry.contests if (c.contest_id, 1) in self.counts.items
        }
        self.areas = self._areas()

    @property
    def result(self) -> ElectionResult | None:
        return self.outcome.result

    @property
    def waits(self) -> tuple[Wait, ...]:
        """What the count waits for, its districts named in the reader's language."""
        districts = self.registry.district_by_id
        return tuple(
            replace(w, names=tuple(districts[d].name for d in w.district_ids if d in districts))
            if w.district_ids
            else w
            for w in self.outcome.waits
        )

    def districts_of(self, contest: Contest) -> list[str]:
        if contest.district_id is None:
            return list(self.counts.stations)
        return [contest.district_id]

    def rounds(self, contest: Contest) -> list[int]:
        """The open rounds of a contest."""
        if contest.tier == "college":
            return []
        if contest.tier == "new_voting":
            return [1] if contest.contest_id in self.ordered else []
        found = [1]
        key = (contest.contest_id, 2)
        first = self.reporting_of((contest.contest_id, 1), self.districts_of(contest))
        runoff = isinstance(decision_of(self.result, (contest.contest_id, 1)), RunoffNeeded)
        if key in self.counts.items or (first.complete and runoff):
            found.append(2)
        return found

    def _areas(self) -> list[Area]:
        found = []
        for contest in self.registry.contests:
            for round in self.rounds(contest):
                group = Group(contest.chamber, contest.tier, round)
                for district in self.districts_of(contest):
                    found.append(Area((contest.contest_id, round), group, district))
        return found

    def reporting_of(self, key: Key, districts: list[str]) -> Reporting:
        return summed([self.counts.reporting(key, d) for d in districts])

    def groups(self, where: str | None = None) -> list[tuple[Group, Reporting]]:
        """Each group's reporting in the nation (`where` None), a territory or a district."""
        found: dict[Group, Reporting] = {}
        for area in self.areas:
            if where is not None and where not in (
                area.district,
                self.counts.territory_of.get(area.district),
            ):
                continue
            found[area.group] = found.get(area.group, NOTHING) + self.counts.reporting(
                area.key, area.district
            )
        return list(found.items())

    def law(self, chamber: str) -> Law:
        return self.election.laws[chamber]

    def entry_names(self, contest: Contest) -> dict[str, dict[str, Any]]:
        """Each entry's name, party and colour: a list's party, or a candidate and who
        nominated them."""
        parties = self.registry.party_by_id
        colours = party_colours(self.registry.parties, self._nominators())
        if contest.tier == "list":
            return {
                p.party_id: {"name": p.name, "party": None, "colour": colours.get(p.party_id)}
                for p in self.registry.parties
            }
        found = {}
        for c in self.registry.candidates_in(contest.contest_id):
            party = parties.get(c.party_id)
            found[c.candidate_id] = {
                "name": c.name,
                "party": party.name if party is not None else None,
                "colour": colours.get(c.party_id),
            }
        return found

    def _nominators(self) -> list[str]:
        known = self.registry.party_by_id
        return sorted({c.party_id for c in self.registry.candidates if c.party_id not in known})

    def base_name(self, contest: Contest, round: int) -> str:
        """The base the law measures this contest's shares against: the list threshold's,
        or the district majority's (a runoff's own in round 2)."""
        law = self.law(contest.chamber)
        if contest.tier == "list" and law.list_tier is not None:
            return law.list_tier.share_base
        tier = law.district_tier
        if tier is None:
            return "took_part"
        if round == 2 and tier.runoff is not None:
            return tier.runoff.majority_base
        return tier.majority_base

    def votes(self, contest: Contest, round: int, districts: list[str]) -> dict[str, Any]:
        """A contest's round over some districts: reporting, the lines, and each entry's
        votes with its exact share of the law's base, most votes first."""
        key = (contest.contest_id, round)
        names = self.entry_names(contest)
        totals = self.counts.totals(key, districts, list(names))
        base_name = self.base_name(contest, round)
        base = totals.base(base_name)
        rows = [
            {
                "entry_id": entry,
                **names.get(entry, {"name": entry, "party": None, "colour": None}),
                "votes": votes,
                "share": Fraction(votes, base) if base else None,
            }
            for entry, votes in sorted(totals.votes.items(), key=lambda item: -item[1])
        ]
        if totals.against_all is not None:
            share = Fraction(totals.against_all, base) if base else None
            rows.append(
                {
                    "entry_id": None,
                    "name": "against all",
                    "party": None,
                    "colour": "#6b6b6b",
                    "votes": totals.against_all,
                    "share": share,
                }
            )
        lines = [(line, value) for line, value in _lines(totals)]
        return {
            "reporting": self.reporting_of(key, districts),
            "base_name": base_name,
            "base": base,
            "rows": rows,
            "lines": lines,
        }

    def district_state(self, contest: Contest, district: str) -> tuple[int, Reporting, State]:
        """The state of a district contest in its latest open round."""
        rounds = self.rounds(contest) or [1]
        return self.district_state_in(contest, rounds[-1], district)

    def district_state_in(
        self, contest: Contest, round: int, district: str
    ) -> tuple[int, Reporting, State]:
        """The state of a district contest in one round."""
        key = (contest.contest_id, round)
        reporting = self.counts.reporting(key, district)
        names = list(self.entry_names(contest))
        votes = {str(e): n for e, n in self.counts.totals(key, [district], names).votes.items()}
        replaced = any(
            c.replaces == contest.contest_id and c.contest_id in self.ordered
            for c in self.registry.contests
        )
        if round == 2 and reporting.counted == 0 and not replaced:
            first = decision_of(self.result, (contest.contest_id, 1))
            if isinstance(first, RunoffNeeded):
                return round, reporting, State("runoff", 1, tuple(first.pair.candidates))
        decided = decision_of(self.result, key)
        return round, reporting, state(round, reporting, votes, decided, replaced)

    def district_rows(self) -> list[dict[str, Any]]:
        """Every district, with or without a protocol: its current contest's state."""
        found = []
        territories = self.registry.territory_by_id
        for district in self.registry.districts:
            for contest in self.registry.contests:
                if contest.district_id != district.district_id or contest.tier != "district":
                    continue
                current = next(
                    (
                        c
                        for c in self.registry.contests
                        if c.replaces == contest.contest_id and c.contest_id in self.ordered
                    ),
                    contest,
                )
                round, reporting, shown = self.district_state(current, district.district_id)
                territory = territories.get(district.territory_id)
                found.append(
                    {
                        "district_id": district.district_id,
                        "name": district.name,
                        "territory": territory.name if territory else "",
                        "chamber": self.chamber_name(contest.chamber),
                        "new_voting": current is not contest,
                        "round": round,
                        "reporting": reporting,
                        "state": shown,
                        "who": self.who(current, shown),
                    }
                )
        return found

    def who(self, contest: Contest, shown: State) -> list[dict[str, Any]]:
        names = self.entry_names(contest)
        return [names.get(c, {"name": c, "party": None, "colour": None}) for c in shown.who]

    def chamber_name(self, chamber: str) -> str:
        return next((c.name for c in self.registry.chambers if c.chamber_id == chamber), chamber)

    def provisional(self, chamber: str) -> bool:
        """Whether a chamber's seats rest on a partial count: a station not in, or a stage
        waiting."""
        if self.waits:
            return True
        return any(
            not self.counts.reporting(a.key, a.district).complete
            for a in self.areas
            if a.group.chamber == chamber
        )

    def seats(self) -> list[dict[str, Any]]:
        """Each chamber with seats decided so far: its parties' seats, and whether the seats
        are provisional."""
        found: list[dict[str, Any]] = []
        if self.result is None:
            return found
        for chamber in self.result.chambers:
            if not chamber.parties:
                continue
            found.append(
                {
                    "chamber_id": chamber.chamber_id,
                    "name": self.chamber_name(chamber.chamber_id),
                    "seats_total": chamber.seats_total,
                    "majority": chamber.majority,
                    "provisional": self.provisional(chamber.chamber_id),
                    "parties": seat_rows(chamber, self.registry),
                    "generated": any(chamber.generated_figures),
                }
            )
        return found


def named(registry: Election, party_id: str, name: str) -> str:
    """A party's name as the registry gives it (in the reader's language), else `name`."""
    party = registry.party_by_id.get(party_id)
    return party.name if party is not None else name


def seat_rows(chamber: ChamberResult, registry: Election) -> list[dict[str, Any]]:
    """A chamber's parties that hold or held seats, most seats first, with their colour."""
    colours = party_colours(registry.parties, [p.party_id for p in chamber.parties])
    rows = [p for p in chamber.parties if p.total_seats or p.list_votes or p.seats_before]
    rows.sort(key=lambda p: (-p.total_seats, -(p.list_votes or 0)))
    return [
        {
            "party_id": p.party_id,
            "name": named(registry, p.party_id, p.name),
            "colour": colours.get(p.party_id),
            "district_seats": p.district_seats,
            "list_seats": p.list_seats,
            "total_seats": p.total_seats,
            "change": p.seat_change,
            "generated": chamber.generated(f"total_seats.{p.party_id}"),
        }
        for p in rows
    ]


def _lines(totals: LineTotals) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for line in LINES:
        value = totals.line(line)
        if value is not None and line != "against_all":
            found.append((LINE_LABELS[line], value))
    return found


def territory_rows(board: Board) -> list[dict[str, Any]]:
    return [
        {
            "territory_id": t.territory_id,
            "name": t.name,
            "groups": dict(board.groups(t.territory_id)),
        }
        for t in board.registry.territories
        if t.territory_id in board.counts.territory_of.values()
    ]
