"""Decisions and results from the accepted protocols, by the core, as the count stands.

The counted version of every protocol becomes the core's protocol tables; the recorded
stage transitions (new votings ordered, ties settled by a recorded lot) become its
invalidations and resolutions; `saylau.pipeline.run.decide` does the rest, exactly as `saylau
run` does. A result is computed once per state of the audit chain and kept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.errors import SaylauError
from saylau.inputs import ElectionInputs, Invalidation, Resolution
from saylau.pipeline.run import decide
from saylau.protocol.table import table_from_protocols
from saylau.results import ElectionResult
from saylau.rules.decision import Elected, Failed, Undecided
from saylau.rules.district import RunoffNeeded
from saylau.service.election import Loaded, loaded
from saylau.service.live import counted_rows
from saylau.service.models import AuditHead, StageRow
from saylau.service.protocols import core_protocol, parse
from saylau.service.standing import Reporting, StateKind, Wait, state

DISTRICT = (Elected, RunoffNeeded, Undecided, Failed)
"""The decisions of a district contest (a college's are another kind)."""


@dataclass(frozen=True)
class Outcome:
    """The result as the count stands at audit entry `seq`, or why there is none yet."""

    seq: int
    result: ElectionResult | None
    problem: str | None = None


_lock = threading.Lock()
_kept: dict[str, Outcome] = {}


def inputs_now(session: Session, election: Loaded) -> ElectionInputs:
    """The election's inputs with the counted protocols and the recorded transitions."""
    groups: dict[tuple[str, int], list[Any]] = {}
    for row in counted_rows(session):
        protocol = core_protocol(row.station_id, row.contest_id, row.round, parse(row.data))
        groups.setdefault((row.contest_id, row.round), []).append(protocol)
    tables = {key: table_from_protocols(found) for key, found in groups.items()}
    invalidations, resolutions = [], list(election.inputs.resolutions)
    for stage in session.scalars(select(StageRow).order_by(StageRow.id)):
        detail = json.loads(stage.detail)
        if stage.action == "order_new_voting":
            invalidations.append(
                Invalidation(
                    detail["contest_id"],
                    detail["round"],
                    detail["reason"],
                    detail["new_contest_id"],
                )
            )
        elif stage.action == "schedule_runoffs":
            resolutions += [
                Resolution(
                    r["contest_id"], r["round"], r["winner"], r["method"], r.get("reference", "")
                )
                for r in detail.get("resolutions", [])
            ]
    return replace(
        election.inputs,
        protocols=tables,
        invalidations=tuple(invalidations),
        resolutions=tuple(resolutions),
    )


def current(session: Session, url: str) -> Outcome:
    """The result as the count stands, computed at most once per audit entry."""
    head = session.get(AuditHead, 1)
    seq = head.seq if head is not None else 0
    with _lock:
        kept = _kept.get(url)
        if kept is not None and kept.seq == seq:
            return kept
    election = loaded(session)
    inputs = inputs_now(session, election)
    try:
        result = decide(inputs, election.root) if inputs.protocols else None
        found = Outcome(seq, result, None if result else "no protocol has been accepted yet")
    except SaylauError as exc:
        found = Outcome(seq, None, f"not decidable yet: {exc}")
    with _lock:
        _kept[url] = found
    return found


@dataclass(frozen=True)
class Public:
    """The result the public pages show at audit entry `seq`, and what it waits for.

    Where the strict result (`current`) waits for new votings the registry foresees but no
    one has ordered yet, this one is decided without them, and says so in `waits`."""

    seq: int
    result: ElectionResult | None
    waits: tuple[Wait, ...] = ()


_public: dict[str, Public] = {}


def public(session: Session, url: str) -> Public:
    """The result as the count stands for a reader: never an error, a `Wait` instead."""
    strict = current(session, url)
    with _lock:
        kept = _public.get(url)
        if kept is not None and kept.seq == strict.seq:
            return kept
    found = _public_of(session, strict)
    with _lock:
        _public[url] = found
    return found


def _public_of(session: Session, strict: Outcome) -> Public:
    if strict.result is not None:
        return Public(strict.seq, strict.result)
    election = loaded(session)
    inputs = inputs_now(session, election)
    if not inputs.protocols:
        return Public(strict.seq, None, (Wait("no_protocol"),))
    ordered = {i.new_contest_id for i in inputs.invalidations}
    registry = inputs.election
    pending = [c for c in registry.contests if c.replaces and c.contest_id not in ordered]
    districts = registry.district_by_id
    waits = tuple(
        Wait("new_voting_not_ordered", (districts[c.district_id].name,), (c.district_id,))
        if c.district_id is not None and c.district_id in districts
        else Wait("new_voting_not_ordered")
        for c in pending
    )
    dropped = {c.contest_id for c in pending}
    without = replace(
        registry,
        contests=tuple(c for c in registry.contests if c.contest_id not in dropped),
        candidates=tuple(c for c in registry.candidates if c.contest_id not in dropped),
    )
    kept = {key: table for key, table in inputs.protocols.items() if key[0] not in dropped}
    try:
        result = decide(replace(inputs, election=without, protocols=kept), election.root)
    except SaylauError:
        return Public(strict.seq, None, (*waits, Wait("undecidable")))
    return Public(strict.seq, result, waits)


STATUS: dict[StateKind, str] = {
    "elected": "decided",
    "runoff": "runoff",
    "not_elected": "undecided",
    "new_voting": "new voting",
}
"""The API's word for each final state (`standing.State.final`); any other is "leading"."""


def district_status(
    result: ElectionResult | None, chamber: str, reporting: Callable[[str, int], Reporting]
) -> dict[str, str]:
    """Each district contest's standing in the API's words, from its state as the public
    pages show it (`standing.state`, on the round's `reporting(contest, round)`): decided,
    runoff, undecided or new voting once final, leading until then."""
    if result is None:
        return {}
    replaced = {
        note.split(" ", 1)[0]
        for stage in result.stages
        if stage.stage == "new_voting" and stage.chamber == chamber
        for note in stage.notes
    }
    found: dict[str, str] = {}
    for decided in result.decisions_of(chamber):
        decision = decided.decision if isinstance(decided.decision, DISTRICT) else None
        key = (decided.contest_id, decided.round)
        shown = state(decided.round, reporting(*key), {}, decision, key[0] in replaced)
        found[decided.contest_id] = STATUS[shown.kind] if shown.final else "leading"
    found.update((contest, STATUS["new_voting"]) for contest in replaced)
    return found
