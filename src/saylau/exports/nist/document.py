"""A run as a NIST SP 1500-100 version 2 Election Results Reporting document (JSON).

The schema is the project's copy in `saylau/exports/nist/schema/` (see SOURCES.md there). Each
ballot of each chamber is an `Election` of its own (the party lists, the districts, the
new votings, the electoral colleges), so that the ballots counted at a unit and round
belong to one ballot. Its contests are a `PartyContest` for a list ballot and a
`CandidateContest` for each district, new voting or college seat; rounds are the `Round`
of every count. Candidates name their nominator by an external identifier
(`saylau:nominator`), and their party where the nominator is one. Parties carry their
colour and leaders. The geography and the counts are described in `saylau.exports.nist.counts`.

A counterfactual run is a test report (`IsTest`, `TestType` = `counterfactual`) whose
`Notes` give the reasons; the notes also name the laws and what rests on generated data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from saylau.analysis.counts import RunCounts
from saylau.analysis.summary import VOTING_DATES
from saylau.errors import InputError
from saylau.exports.nist.contests import candidates, contest_entry
from saylau.exports.nist.counts import NATION, ext, text, units
from saylau.registry.colours import party_colours
from saylau.registry.facts import ElectionFacts
from saylau.registry.model import INDEPENDENT, Contest
from saylau.results import GENERATED_MARK, ElectionResult
from saylau.version import __version__

TIERS: Final = {
    "list": ("party lists", "general"),
    "district": ("districts", "general"),
    "new_voting": ("new voting", "special"),
    "repeat_election": ("repeat elections", "special"),
    "college": ("electoral colleges", "other"),
}
"""Each ballot's name in an Election's title, and its NIST election type."""


def nist_report(
    result: ElectionResult,
    counts: RunCounts,
    facts: ElectionFacts | None = None,
    *,
    generated: datetime,
    stations: bool = True,
) -> dict[str, Any]:
    """The whole run as one ElectionReport; with `stations` False, a summary without the
    polling stations (districts the finest level)."""
    facts = facts or ElectionFacts()
    election = counts.inputs.election
    start, end = _dates(election.dates)
    doc: dict[str, Any] = {
        "@type": "ElectionResults.ElectionReport",
        "Format": "precinct-level" if stations else "summary-contest",
        "GeneratedDate": generated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Issuer": "Saylau",
        "IssuerAbbreviation": "Saylau",
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "unofficial-complete",
        "VendorApplicationId": f"Saylau {__version__}",
        "Notes": notes(result),
        "GpUnit": units(counts, stations=stations),
        "Party": _parties(counts, facts),
        "Election": [],
    }
    persons = _persons(counts, facts)
    if persons:
        doc["Person"] = persons
    if result.counterfactual:
        doc["IsTest"] = True
        doc["TestType"] = "counterfactual"
    groups: dict[tuple[str, str], list[Contest]] = {}
    for contest in election.contests:
        groups.setdefault((contest.chamber, contest.tier), []).append(contest)
    for (chamber, tier), contests in groups.items():
        found = _election(result, counts, chamber, tier, contests, stations)
        if found["Contest"]:
            doc["Election"].append(found | {"StartDate": start, "EndDate": end})
    return doc


def notes(result: ElectionResult) -> str:
    """What a reader must know, one paragraph each."""
    lines = []
    if result.counterfactual:
        lines.append(
            "COUNTERFACTUAL: not the election as held and published. "
            + " ".join(result.counterfactual)
        )
    for chamber in result.chambers:
        if chamber.law is not None:
            law = chamber.law
            lines.append(f"{chamber.name}: law {law.law_id}, {law.name} (sha256 {law.sha256}).")
    if result.generated:
        lines.append(
            f"{GENERATED_MARK} Rests on generated data, never published (seed {result.seed}): "
            + ", ".join(sorted(result.generated))
            + ". Published national figures are unaffected."
        )
    if result.rejected:
        lines.append(
            f"{len(result.rejected)} protocol(s) rejected and not counted; their rows are in "
            "the CSV and Parquet exports."
        )
    lines += [f"[{note.kind}] {note.text}" for note in result.notes]
    return "\n".join(lines)


def _dates(dates: Mapping[str, str]) -> tuple[str, str]:
    voting = [dates[key] for key in VOTING_DATES if key in dates] or list(dates.values())
    if not voting:
        raise InputError(
            "the election names no dates (election.toml [dates]); the NIST format needs the "
            "first and last day of voting"
        )
    return min(voting), max(voting)


def _parties(counts: RunCounts, facts: ElectionFacts) -> list[dict[str, Any]]:
    election = counts.inputs.election
    colours = party_colours(election.parties)
    found = []
    for party in election.parties:
        if party.kind == "independent" or party.party_id == INDEPENDENT:
            continue
        entry: dict[str, Any] = {
            "@id": f"party-{party.party_id}",
            "@type": "ElectionResults.Party",
            "Name": text(party.name),
            "Color": colours[party.party_id].removeprefix("#"),
            "ExternalIdentifier": [ext("party", party.party_id)],
        }
        known = facts.party(party.party_id)
        if known.short_name:
            entry["Abbreviation"] = text(known.short_name)
        if known.leader:
            entry["LeaderPersonIds"] = [f"person-leader-{party.party_id}"]
        found.append(entry)
    return found


def _persons(counts: RunCounts, facts: ElectionFacts) -> list[dict[str, Any]]:
    found = []
    for party in counts.inputs.election.parties:
        known = facts.party(party.party_id)
        if known.leader and party.kind != "independent":
            found.append(
                {
                    "@id": f"person-leader-{party.party_id}",
                    "@type": "ElectionResults.Person",
                    "FullName": text(known.leader),
                    "PartyId": f"party-{party.party_id}",
                }
            )
    return found


def _election(
    result: ElectionResult,
    counts: RunCounts,
    chamber_id: str,
    tier: str,
    contests: list[Contest],
    stations: bool,
) -> dict[str, Any]:
    chamber = result.chamber(chamber_id)
    label, kind = TIERS.get(tier, (tier, "other"))
    found: dict[str, Any] = {
        "@type": "ElectionResults.Election",
        "ElectionScopeId": NATION,
        "Name": text(f"{result.name}: {chamber.name}, {label}", "en"),
        "Type": kind,
        "ExternalIdentifier": [ext("chamber", chamber_id), ext("tier", tier)],
        "Contest": [],
        "Candidate": [],
        "BallotCounts": [],
    }
    if kind == "other":
        found["OtherType"] = "indirect"
    parties = {p.party_id for p in counts.inputs.election.parties if p.kind != "independent"}
    winners = {seat.candidate_id for seat in chamber.seats}
    seats = {d.contest_id: d for d in result.lists_of(chamber_id)}
    for contest in contests:
        entry, ballots = contest_entry(counts, contest, seats.get(contest.contest_id), stations)
        if entry is not None:
            found["Contest"].append(entry)
            found["BallotCounts"] += ballots
            found["Candidate"] += candidates(
                counts, contest, parties, winners, seats.get(contest.contest_id)
            )
    return found


__all__ = ["nist_report", "notes"]
