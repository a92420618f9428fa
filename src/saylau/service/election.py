"""The loaded election as the service sees it: its inputs and laws, read once per process
from the source the database names, and the registry lookups the workflow needs.

Stations are read only through `Election.stations_table` (never a Python object per
station), so the registry can grow to a national election.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.law.form import ProtocolForm
from saylau.law.schema import Law
from saylau.registry.model import Contest
from saylau.runner import laws_of, load_inputs
from saylau.service.errors import NoElection, NotFound
from saylau.service.models import ContestRow, ElectionRow, EntryRow, StationRow
from saylau.stages.inputs import ElectionInputs


@dataclass(frozen=True)
class Place:
    """Where a station lies: its district and territory."""

    station_id: str
    district_id: str
    territory_id: str


def source_of(value: str) -> tuple[str, Path | None]:
    """The text a database records for a source: a name, or an absolute directory path."""
    path = Path(value)
    if path.is_dir():
        resolved = path.resolve()
        return str(resolved), resolved
    return value, None


@dataclass(frozen=True)
class Loaded:
    """The election a database serves: inputs, laws, and its contests' forms and rounds."""

    source: str
    seed: int | None
    inputs: ElectionInputs
    laws: Mapping[str, Law]
    root: Path | None

    def contest(self, contest_id: str) -> Contest:
        found = self.inputs.election.contest_by_id.get(contest_id)
        if found is None:
            raise NotFound(f"contest {contest_id} is not in the registry")
        return found

    def form(self, contest_id: str) -> ProtocolForm:
        """The protocol form of the contest's chamber law."""
        law = self.laws[self.contest(contest_id).chamber]
        if law.protocol is None:
            raise NotFound(f"contest {contest_id}: its law names no protocol form")
        return law.protocol

    def rounds(self, contest: Contest) -> int:
        """How many rounds the contest's law allows (list ballots and colleges: one)."""
        tier = self.laws[contest.chamber].district_tier
        if contest.tier in ("district", "new_voting") and tier is not None:
            return int(tier.rounds)
        return 1


_lock = threading.Lock()
_cache: dict[tuple[str, int | None], Loaded] = {}


def read_source(source: str, seed: int | None) -> Loaded:
    """The inputs and laws of a source, read once per process."""
    key = (source, seed)
    with _lock:
        found = _cache.get(key)
        if found is None:
            inputs, root = load_inputs(source, seed=seed)
            found = Loaded(source, seed, inputs, laws_of(inputs, root), root)
            _cache[key] = found
        return found


def election_row(session: Session) -> ElectionRow:
    row = session.get(ElectionRow, 1)
    if row is None:
        raise NoElection("no election is loaded: run `saylau load ELECTION` first")
    return row


def loaded(session: Session) -> Loaded:
    """The election the database serves."""
    row = election_row(session)
    return read_source(row.source, row.seed)


def chambers(session: Session) -> list[dict[str, str]]:
    found: list[dict[str, str]] = json.loads(election_row(session).chambers)
    return found


def place(session: Session, station_id: str) -> Place:
    row = session.get(StationRow, station_id)
    if row is None:
        raise NotFound(f"station {station_id} is not in the registry")
    return Place(row.station_id, row.district_id, row.territory_id)


def contest_row(session: Session, contest_id: str) -> ContestRow:
    row = session.get(ContestRow, contest_id)
    if row is None:
        raise NotFound(f"contest {contest_id} is not in the registry")
    return row


def entries_of(session: Session, contest_id: str) -> list[EntryRow]:
    """A contest's entries in ballot order."""
    query = select(EntryRow).where(EntryRow.contest_id == contest_id).order_by(EntryRow.position)
    return list(session.scalars(query))


def reports(contest: ContestRow, where: Place) -> bool:
    """Whether a station reports a contest: every station a list, a district's its own."""
    if contest.tier == "college":
        return False
    return contest.district_id is None or contest.district_id == where.district_id
