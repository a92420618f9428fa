"""Each contest of a NIST export: its selections and their counts, its ballots, and its
candidates. A list ballot is a `PartyContest` whose selections are the lists (with their
seats); a district, new voting or college seat a `CandidateContest` of one seat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from saylau.analysis.counts import RunCounts
from saylau.exports.nist.counts import (
    NATION,
    ballot_counts,
    ext,
    gp,
    levels,
    station_rows,
    text,
    totals_lines,
    vote_count,
)
from saylau.protocol.lines import EntryId
from saylau.registry.model import Contest
from saylau.results import ListDecision
from saylau.rules.allocation import PartyId

Counts = dict[str, list[dict[str, Any]]]
"""VoteCounts by entry (a candidate or party id)."""


def contest_entry(
    counts: RunCounts, contest: Contest, decision: ListDecision | None, stations: bool
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The contest with its selections, and the BallotCounts of its units and rounds; None
    when it has no counts at all."""
    if contest.tier == "college":
        votes, ballots = _college(counts, contest)
    else:
        votes, ballots = _counted(counts, contest, stations)
    if not votes:
        return None, []
    cid = contest.contest_id
    area = _area(contest)
    entry: dict[str, Any] = {
        "@id": f"contest-{cid}",
        "Name": cid,
        "ElectionDistrictId": area,
        "ExternalIdentifier": [ext("contest", cid)],
        "ContestSelection": [],
    }
    for number, (key, found) in enumerate(votes.items(), start=1):
        selection: dict[str, Any] = {"@id": f"sel-{cid}-{key}", "SequenceOrder": number}
        if contest.tier == "list":
            selection |= {"@type": "ElectionResults.PartySelection", "PartyIds": [f"party-{key}"]}
        else:
            selection |= {
                "@type": "ElectionResults.CandidateSelection",
                "CandidateIds": [f"cand-{key}"],
            }
        if decision is not None:
            won = decision.allocation.seats.get(PartyId(key), 0)
            found = [*found, vote_count(NATION, 1, won, "seats")]
        entry["ContestSelection"].append(selection | {"VoteCounts": found})
    if contest.tier == "list":
        entry["@type"] = "ElectionResults.PartyContest"
    else:
        entry |= {
            "@type": "ElectionResults.CandidateContest",
            "VotesAllowed": 1,
            "NumberElected": 1,
        }
    return entry, ballots


def _area(contest: Contest) -> str:
    if contest.district_id is not None:
        return gp("district", contest.district_id)
    if contest.territory_id is not None:
        return gp("territory", contest.territory_id)
    return NATION


def _counted(
    counts: RunCounts, contest: Contest, stations: bool
) -> tuple[Counts, list[dict[str, Any]]]:
    """Votes and ballots of every round, at every level counted, stations included."""
    votes: Counts = {}
    ballots: list[dict[str, Any]] = []
    rounds = [r for c, r in counts.ballots if c.contest_id == contest.contest_id]
    for round in rounds:
        counted = counts.counted(contest, round)
        if counted is None:
            continue
        for entry in counted.totals.entries:
            votes.setdefault(entry, [])
        for unit, total in levels(counts, contest, round).items():
            lines, protocols = totals_lines(total)
            ballots += ballot_counts(unit, round, lines, protocols)
            _add(votes, unit, round, total.votes)
        if stations:
            for unit, lines, entries in station_rows(counts, contest, round):
                ballots += ballot_counts(unit, round, lines)
                _add(votes, unit, round, entries)
    return votes, ballots


def _add(
    votes: Counts,
    unit: str,
    round: int,
    entries: Mapping[str, int | None] | Mapping[EntryId, int],
) -> None:
    for entry, count in entries.items():
        if count is not None:
            votes.setdefault(entry, []).append(vote_count(unit, round, count))


def _college(counts: RunCounts, contest: Contest) -> tuple[Counts, list[dict[str, Any]]]:
    """An electoral college's rounds: its electors and who voted, and every vote."""
    unit = _area(contest)
    votes: Counts = {
        c.candidate_id: [] for c in counts.inputs.election.candidates_in(contest.contest_id)
    }
    ballots: list[dict[str, Any]] = []
    for ballot in counts.inputs.college_ballots:
        if ballot.contest_id != contest.contest_id:
            continue
        took = ballot.took_part if ballot.took_part is not None else ballot.present
        lines = {"ballots_found": took, "invalid": took - sum(ballot.votes.values())}
        lines |= {"electors": ballot.electors, "present": ballot.present, "took_part": took}
        ballots += ballot_counts(unit, ballot.round, lines)
        _add(votes, unit, ballot.round, ballot.votes)
    return {k: v for k, v in votes.items() if v}, ballots


def candidates(
    counts: RunCounts,
    contest: Contest,
    parties: Iterable[str],
    winners: set[str],
    decision: ListDecision | None,
) -> list[dict[str, Any]]:
    """The contest's candidates: a district's or a college's, or a list's ranked candidates
    with those who took its seats."""
    known = set(parties)
    election = counts.inputs.election
    found = []
    withdrawn = {w.candidate_id for w in counts.inputs.withdrawals}
    for person in election.candidates_in(contest.contest_id):
        status = "winner" if person.candidate_id in winners else "defeated"
        if person.candidate_id in withdrawn:
            status = "withdrawn"
        entry: dict[str, Any] = {
            "@id": f"cand-{person.candidate_id}",
            "@type": "ElectionResults.Candidate",
            "BallotName": text(person.name),
            "PostElectionStatus": status,
            "ExternalIdentifier": [
                ext("contest", contest.contest_id),
                ext("nominator", person.nominator),
            ],
        }
        if person.nominator in known:
            entry["PartyId"] = f"party-{person.nominator}"
        found.append(entry)
    if contest.tier == "list":
        members = decision.members if decision is not None else {}
        for member in election.lists:
            took = member.name in members.get(member.party_id, ())
            found.append(
                {
                    "@id": f"cand-{contest.contest_id}-{member.party_id}-{member.rank}",
                    "@type": "ElectionResults.Candidate",
                    "BallotName": text(member.name),
                    "PartyId": f"party-{member.party_id}",
                    "PostElectionStatus": "winner" if took else "defeated",
                    "ExternalIdentifier": [
                        ext("contest", contest.contest_id),
                        ext("list_rank", str(member.rank)),
                    ],
                }
            )
    return found
