"""The two checks a replay ends with: the service's live result equals the batch run of
the same protocols (`saylau run`), and the audit chain verifies.

The batch side is the core's, run here on the election's own inputs (only the played
territories' protocols, if the replay played some): each chamber's result as the results
JSON writes it (`chamber_to_dict`), and each contest's national totals as the core
tabulates them. The live side is what the service serves to the public (`/api/results`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from saylau.exports.results_json import chamber_to_dict
from saylau.inputs import ElectionInputs
from saylau.pipeline.run import decide
from saylau.service.replay.client import Api
from saylau.tabulate import tabulate

SHOWN = 5
"""Differences named at most."""


@dataclass(frozen=True)
class Check:
    """One check: passed or not, and what it found."""

    passed: bool
    text: str


def played_inputs(inputs: ElectionInputs, territories: frozenset[str] | None) -> ElectionInputs:
    """`inputs` with only the protocols of `territories` (all, if None)."""
    if territories is None:
        return inputs
    stations = inputs.election.stations_table
    kept = stations.filter(pc.is_in(stations["territory_id"], pa.array(sorted(territories))))
    ids = kept["station_id"]
    tables = {}
    for key, table in inputs.protocols.items():
        found = table.filter(pc.is_in(table["station_id"], ids))
        if found.num_rows:
            tables[key] = found
    return replace(inputs, protocols=tables)


def batch(inputs: ElectionInputs, root: Path | None) -> dict[str, Any]:
    """The batch run's figures: {"chambers": {id: result}, "totals": {(contest, round): ...}}."""
    result = decide(inputs, root)
    chambers = {c.chamber_id: _plain(chamber_to_dict(c)) for c in result.chambers}
    totals = {}
    for (contest_id, round), table in inputs.protocols.items():
        contest = inputs.election.contest_by_id[contest_id]
        stations = inputs.election.stations_table_for(contest)
        nation = tabulate(table, None, stations, contest_id=contest_id, round=round).nation
        found = asdict(nation)
        found["votes"] = _cast({str(k): v for k, v in nation.votes.items()})
        for name in ("rejected", "missing", "flagged"):
            found.pop(name)
        totals[f"{contest_id} round {round}"] = _plain(found)
    return {"chambers": chambers, "totals": totals}


def _cast(votes: dict[str, int]) -> dict[str, int]:
    """The entries with votes: one with none is the same figure whether the ballot lists it
    (the service's totals name every candidate of a district) or not (a runoff's table)."""
    return {entry: n for entry, n in votes.items() if n}


def _plain(value: Any) -> Any:
    """`value` as JSON reads it back (tuples as lists)."""
    return json.loads(json.dumps(value))


def live(api: Api) -> dict[str, Any]:
    """The service's figures, in the shape of `batch`."""
    served = api.call("GET", "/api/results", None)
    chambers = {c["chamber_id"]: c.get("result") for c in served["chambers"]}
    totals = {
        f"{c['contest_id']} round {c['round']}": {
            **c["totals"],
            "votes": _cast(c["totals"]["votes"]),
        }
        for c in served["contests"]
    }
    return {"chambers": chambers, "totals": totals, "problem": served.get("problem")}


def differences(have: Any, want: Any, where: str = "") -> list[str]:
    """Every place where `have` (live) differs from `want` (batch)."""
    if isinstance(want, dict) and isinstance(have, dict):
        found = []
        for key in sorted(set(want) | set(have)):
            if key not in have:
                found.append(f"{where}{key}: missing live")
            elif key not in want:
                found.append(f"{where}{key}: live only")
            else:
                found += differences(have[key], want[key], f"{where}{key}.")
        return found
    if isinstance(want, list) and isinstance(have, list) and len(want) == len(have):
        return [
            f
            for i, (h, w) in enumerate(zip(have, want, strict=True))
            for f in differences(h, w, f"{where}{i}.")
        ]
    return [] if have == want else [f"{where.rstrip('.')}: live {have!r}, batch {want!r}"]


def live_equals_batch(api: Api, inputs: ElectionInputs, root: Path | None) -> Check:
    """Whether every chamber's result and every contest's national totals served live equal
    the batch run's."""
    want = batch(inputs, root)
    have = live(api)
    if have["problem"]:
        return Check(False, f"live result: {have['problem']}")
    found = differences({k: have[k] for k in want}, want)
    figures = sum(len(_leaves(v)) for v in want.values())
    if found:
        more = f" (and {len(found) - SHOWN} more)" if len(found) > SHOWN else ""
        return Check(False, f"live != batch: {'; '.join(found[:SHOWN])}{more}")
    return Check(
        True,
        f"live = batch: {len(want['chambers'])} chambers and the national totals of "
        f"{len(want['totals'])} contest rounds, {figures:,} figures, equal the batch run",
    )


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def audit_verified(api: Api, admin: str) -> Check:
    """The service's own verification of its audit chain (`/api/audit/verify`)."""
    found = api.call("GET", "/api/audit/verify", admin)
    if found["verified"]:
        return Check(
            True,
            f"audit verified: {found['entries']:,} entries, every hash, link "
            "and signature, and the live totals recounted",
        )
    return Check(False, f"audit NOT verified: {found['first_problem']}")
