"""The report's per-contest tables: each district with its candidates, nominators, both
rounds and any new voting or repeat election, and each seat an electoral college filled;
each with the rule the law applied and the reason the decision gives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.protocol.lines import EntryId
from saylau.report import i18n
from saylau.report.data import ReportData
from saylau.report.i18n import gettext
from saylau.report.sections import Grid
from saylau.report.words import base_label
from saylau.results import GENERATED_MARK, ChamberResult, ContestDecision
from saylau.rules.exact import percent_of
from saylau.tabulate.totals import LineTotals


@dataclass(frozen=True)
class ContestBlock:
    """One district (or college seat): its tables and the reason of each decision."""

    anchor: str
    title: str
    grids: tuple[Grid, ...]
    reasons: tuple[str, ...]
    outcome: str = ""
    """Who won, in which round; or why no one holds the seat."""


def district_blocks(data: ReportData, chamber: ChamberResult) -> list[ContestBlock]:
    """Every district of the chamber, in registry order; those without any decision too."""
    contests = data.election.contest_by_id
    rounds = data.district_decisions(chamber)
    districts = data.election.district_by_id
    territories = data.election.territory_by_id
    mark = GENERATED_MARK if data.below_nation_generated else ""
    blocks = []
    for contest in data.election.contests_of(chamber.chamber_id, "district"):
        decided = rounds.get(contest.contest_id, [])
        district = districts.get(contest.district_id or "")
        title = contest.contest_id
        if district is not None:
            place = territories.get(district.territory_id)
            title = f"{district.district_id} {district.name}" + (f", {place.name}" if place else "")
        by_contest: dict[str, list[ContestDecision]] = {}
        for d in decided:
            by_contest.setdefault(d.contest_id, []).append(d)
        grids = []
        for contest_id, own in by_contest.items():
            grids.append(_contest_grid(data, contest_id, own, contests[contest_id].tier, mark))
        reasons = [
            _round_of(contests[d.contest_id].tier, d.round)
            + f": {data.say(d.reason)}"
            + "".join(f" ({data.say(n)})" for n in d.notes)
            for d in decided
        ]
        if not decided:
            reasons.append(gettext("no protocols were counted for this district in this data"))
        outcome = _outcome(data, decided[-1] if decided else None)
        blocks.append(
            ContestBlock(contest.contest_id, title, tuple(grids), tuple(reasons), outcome)
        )
    return blocks


def _round_of(tier: str, number: int) -> str:
    """A round of a district's contest: its own, a new voting's or a repeat election's."""
    if tier == "new_voting":
        return gettext("new voting round %(round)s") % {"round": number}
    if tier == "repeat_election":
        return gettext("repeat election round %(round)s") % {"round": number}
    return gettext("round %(round)s") % {"round": number}


def _outcome(data: ReportData, last: ContestDecision | None) -> str:
    """The last decision of a seat as a few words: who was elected, and when; or none."""
    if last is None:
        return gettext("not elected in this data")
    winner = getattr(last.decision, "winner", None)
    if winner is None:
        return gettext("no one elected (%(kind)s)") % {"kind": last.decision.kind}
    person = data.election.candidate_by_id.get(winner)
    name = person.name if person else winner
    nominator = data.nominator_name(person.nominator) if person else ""
    tier = data.election.contest_by_id[last.contest_id].tier
    said = {"name": name, "nominator": nominator, "round": last.round}
    if tier == "repeat_election":
        if nominator:
            return gettext("%(name)s (%(nominator)s), elected in the repeat election") % said
        return gettext("%(name)s, elected in the repeat election") % said
    if tier == "new_voting":
        if nominator:
            return gettext("%(name)s (%(nominator)s), elected in the new voting") % said
        return gettext("%(name)s, elected in the new voting") % said
    if nominator:
        return gettext("%(name)s (%(nominator)s), elected in round %(round)s") % said
    return gettext("%(name)s, elected in round %(round)s") % said


def _contest_grid(
    data: ReportData, contest_id: str, decided: Sequence[ContestDecision], tier: str, mark: str
) -> Grid:
    """Candidates down, rounds across: votes and % of the voters who took part."""
    counted = [d for d in decided if d.count is not None]
    counts = [d.count for d in counted if d.count is not None]
    people = data.election.candidates_in(contest_id)
    headers = [gettext("Candidate"), gettext("Nominated by")]
    for d in counted:
        headers += [_votes_of(d.round) + mark, "%"]
    winners = {getattr(d.decision, "winner", None) for d in decided}
    rows: list[tuple[str | None, tuple[str, ...]]] = []
    for person in people:
        cells = [
            _elected(person.name) if person.candidate_id in winners else person.name,
            data.nominator_name(person.nominator),
        ]
        for count in counts:
            cells += _share(count.votes.get(EntryId(person.candidate_id)), count.took_part)
        rows.append((person.party_id, tuple(cells)))
    for label, line in ((gettext("Against all"), "against_all"), (gettext("Invalid"), "invalid")):
        values: list[int | None] = [getattr(count, line) for count in counts]
        if any(v is not None for v in values):
            cells = [label, ""]
            for count, value in zip(counts, values, strict=True):
                cells += _share(value, count.took_part)
            rows.append((None, tuple(cells)))
    rows.append((None, (gettext("Took part (turnout %)"), "", *_turnouts(counts))))
    title = ""
    if tier == "new_voting":
        title = gettext("New voting %(contest)s") % {"contest": contest_id}
    elif tier == "repeat_election":
        title = gettext("Repeat election %(contest)s") % {"contest": contest_id}
    return Grid(title, tuple(headers), tuple(rows), _base_note(decided), text_columns=2)


def _share(value: int | None, base: int) -> list[str]:
    if value is None:
        return ["", ""]
    return [i18n.number(value), i18n.decimal(percent_of(value, base) or "")]


def _turnouts(counts: Sequence[LineTotals]) -> list[str]:
    cells = []
    for count in counts:
        turnout = i18n.decimal(percent_of(count.took_part, count.registered) or "")
        cells += [i18n.number(count.took_part), turnout]
    return cells


def _base_note(decided: Sequence[ContestDecision]) -> str:
    names = {getattr(d.decision, "base_name", "") for d in decided} - {""}
    shown = ", ".join(base_label(n) for n in sorted(names))
    note = gettext("Percentages of the voters who took part in that round.")
    if not shown:
        return note
    return f"{note} " + gettext("The law decides on the %(base)s.") % {"base": shown}


def college_blocks(data: ReportData, chamber: ChamberResult) -> list[ContestBlock]:
    """Every seat a college filled: its candidates, nominators and each round's votes."""
    ballots: dict[str, list[tuple[int, int, int, Mapping[str, int]]]] = {}
    for ballot in data.counts.inputs.college_ballots:
        took = ballot.took_part if ballot.took_part is not None else ballot.present
        ballots.setdefault(ballot.contest_id, []).append(
            (ballot.round, ballot.electors, took, ballot.votes)
        )
    mark = GENERATED_MARK if data.below_nation_generated else ""
    decisions: dict[str, list[ContestDecision]] = {}
    for one in data.result.decisions_of(chamber.chamber_id):
        decisions.setdefault(one.contest_id, []).append(one)
    territories = data.election.territory_by_id
    blocks = []
    for contest in data.election.contests_of(chamber.chamber_id, "college"):
        rounds = sorted(ballots.get(contest.contest_id, []), key=lambda b: b[0])
        decided = decisions.get(contest.contest_id, [])
        winners = {getattr(d.decision, "winner", None) for d in decided}
        headers = [gettext("Candidate"), gettext("Nominated by")]
        for number, _, _, _ in rounds:
            headers += [_votes_of(number) + mark, "%"]
        rows: list[tuple[str | None, tuple[str, ...]]] = []
        for person in data.election.candidates_in(contest.contest_id):
            cells = [
                _elected(person.name) if person.candidate_id in winners else person.name,
                data.nominator_name(person.nominator),
            ]
            for _, _, took, votes in rounds:
                cells += _share(votes.get(person.candidate_id), took)
            rows.append((person.party_id, tuple(cells)))
        took_cells = []
        for _, electors, took, _ in rounds:
            of = {"took": i18n.number(took), "electors": i18n.number(electors)}
            shown = i18n.decimal(percent_of(took, electors) or "")
            took_cells += [gettext("%(took)s of %(electors)s") % of, shown]
        rows.append((None, (gettext("Electors who voted"), "", *took_cells)))
        place = territories.get(contest.territory_id or "")
        note = gettext("Percentages of the electors who voted.")
        grid = Grid("", tuple(headers), tuple(rows), note, text_columns=2)
        blocks.append(
            ContestBlock(
                contest.contest_id,
                f"{contest.contest_id}" + (f", {place.name}" if place else ""),
                (grid,),
                tuple(f"{_round_of('college', d.round)}: {data.say(d.reason)}" for d in decided),
                _outcome(data, decided[-1] if decided else None),
            )
        )
    return blocks


def _votes_of(number: int) -> str:
    return gettext("Round %(round)s votes") % {"round": number}


def _elected(name: str) -> str:
    return gettext("%(name)s (elected)") % {"name": name}
