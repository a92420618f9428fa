"""Read back what `saylau.exports.nist.document` writes: every count by contest, round and
unit, the list seats, who won, and each candidate's nominator.

It reads the standard's fields and Saylau's own extensions (`saylau:` external identifiers
and `BallotCounts` of type `other`), so that a document Saylau wrote gives back the figures
of the run. A document that lacks what it needs is an InputError naming the place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from saylau.errors import InputError
from saylau.exports.nist.counts import EXTENSION

Key = tuple[str, int, str]
"""(contest id, round, unit id)."""


@dataclass
class Count:
    """One contest's count at one unit in one round: its lines and each entry's votes."""

    lines: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class NistResults:
    """What a NIST document says of a run."""

    counts: Mapping[Key, Count]
    seats: Mapping[str, Mapping[str, int]]
    """Each list contest's seats by party."""
    winners: Mapping[str, tuple[str, ...]]
    """Each contest's candidates who won (a list's by its candidates' ids)."""
    nominators: Mapping[str, str]
    parties: Mapping[str, tuple[str, str | None]]
    """Each party's name and colour (#rrggbb)."""
    counterfactual: bool


def _ext(item: Mapping[str, Any], kind: str) -> str | None:
    for found in item.get("ExternalIdentifier", []):
        if found.get("OtherType") == f"{EXTENSION}{kind}":
            return str(found["Value"])
    return None


def _strip(value: str, prefix: str, where: str) -> str:
    if not value.startswith(prefix):
        raise InputError(f"{where}: {value!r} does not start with {prefix!r}")
    return value[len(prefix) :]


def _name(text: Mapping[str, Any]) -> str:
    return str(text["Text"][0]["Content"])


def read_nist(doc: Mapping[str, Any], where: str = "NIST document") -> NistResults:
    """The counts, seats, winners and nominators of a document `nist_report` wrote."""
    try:
        return _read(doc, where)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise InputError(
            f"{where}: not a Saylau NIST export ({type(exc).__name__}: {exc})"
        ) from None


def _read(doc: Mapping[str, Any], where: str) -> NistResults:
    if doc.get("@type") != "ElectionResults.ElectionReport":
        raise InputError(
            f"{where}: @type is {doc.get('@type')!r}, not ElectionResults.ElectionReport"
        )
    counts: dict[Key, Count] = {}
    seats: dict[str, dict[str, int]] = {}
    winners: dict[str, list[str]] = {}
    nominators: dict[str, str] = {}
    for n, election in enumerate(doc.get("Election", [])):
        place = f"{where}: Election[{n}]"
        owner: dict[tuple[str, int], str] = {}
        for contest in election.get("Contest", []):
            cid = _ext(contest, "contest") or _strip(contest["@id"], "contest-", place)
            for selection in contest.get("ContestSelection", []):
                key = _selection_key(selection, place)
                for vote in selection.get("VoteCounts", []):
                    if vote["Type"] == "seats":
                        seats.setdefault(cid, {})[key] = int(vote["Count"])
                        continue
                    unit, round = vote["GpUnitId"], int(vote["Round"])
                    counts.setdefault((cid, round, unit), Count()).votes[key] = int(vote["Count"])
                    owner[(unit, round)] = cid
        for ballot in election.get("BallotCounts", []):
            unit, round = ballot["GpUnitId"], int(ballot["Round"])
            if (unit, round) not in owner:
                raise InputError(f"{place}: BallotCounts of {unit}, round {round}, has no contest")
            lines = counts[(owner[(unit, round)], round, unit)].lines
            if ballot["Type"] == "total":
                lines["ballots_found"] = int(ballot["BallotsCast"])
                lines["invalid"] = int(ballot["BallotsRejected"])
            else:
                lines[_strip(ballot["OtherType"], EXTENSION, place)] = int(ballot["BallotsCast"])
        for candidate in election.get("Candidate", []):
            cid = _strip(candidate["@id"], "cand-", place)
            nominator = _ext(candidate, "nominator")
            if nominator is not None:
                nominators[cid] = nominator
            if candidate.get("PostElectionStatus") == "winner":
                contest = _ext(candidate, "contest") or ""
                winners.setdefault(contest, []).append(cid)
    parties = {
        _strip(p["@id"], "party-", where): (
            _name(p["Name"]),
            f"#{p['Color']}" if "Color" in p else None,
        )
        for p in doc.get("Party", [])
    }
    return NistResults(
        counts,
        seats,
        {contest: tuple(found) for contest, found in winners.items()},
        nominators,
        parties,
        bool(doc.get("IsTest")) and doc.get("TestType") == "counterfactual",
    )


def _selection_key(selection: Mapping[str, Any], where: str) -> str:
    if selection.get("PartyIds"):
        return _strip(selection["PartyIds"][0], "party-", where)
    if selection.get("CandidateIds"):
        return _strip(selection["CandidateIds"][0], "cand-", where)
    raise InputError(f"{where}: selection {selection.get('@id')!r} names no party or candidate")
