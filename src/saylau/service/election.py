"""The loaded election as the service sees it: its inputs and laws, read once per process
from the source the database names, and the registry lookups the workflow needs.

A database serves one election, whose registry never changes once loaded (`saylau load`
refuses another), so a process reads it once: `served` holds, per database, the election,
its contests with their entries, and a bounded cache of station places (stations are looked
up one at a time and kept, at most `PLACES` of them, never all of a national election).
`saylau serve` reads all this before it takes its first request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import URL, Engine, func, select
from sqlalchemy.orm import Session

from saylau.inputs import ElectionInputs
from saylau.law.form import ProtocolForm
from saylau.law.schema import Law
from saylau.pipeline.run import laws_of, load_inputs
from saylau.registry.model import Contest
from saylau.said import N_, Said
from saylau.service.errors import NoElection, NotFound
from saylau.service.models import ContestRow, DistrictRow, ElectionRow, EntryRow, StationRow


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
            raise unknown_contest(contest_id)
        return found

    def form(self, contest_id: str) -> ProtocolForm:
        """The protocol form of the contest's chamber law."""
        law = self.laws[self.contest(contest_id).chamber]
        if law.protocol is None:
            raise NotFound(
                Said(N_("contest %(contest)s: its law names no protocol form"), contest=contest_id)
            )
        return law.protocol

    def rounds(self, contest: Contest) -> int:
        """How many rounds the contest's law allows (list ballots and colleges: one)."""
        tier = self.laws[contest.chamber].district_tier
        if contest.tier in ("district", "new_voting", "repeat_election") and tier is not None:
            return int(tier.rounds)
        return 1


@dataclass(frozen=True)
class ContestInfo:
    """A contest as the workflow needs it: where it is voted and its ballot, in order."""

    contest_id: str
    chamber: str
    tier: str
    district_id: str | None
    rounds: int
    entries: tuple[str, ...]


PLACES = 200_000
"""How many station places a process keeps at most (per database); a registry this size or
smaller is read whole at start."""


@dataclass
class Served:
    """What one process knows of one database's election, read once."""

    election: Loaded
    contests: dict[str, ContestInfo]
    places: dict[str, Place] = field(default_factory=dict)
    plausibility: str | None = None
    """The election's plausibility setting as `saylau load` kept it (`plausible`)."""
    voters: dict[str, int] | None = None
    """Each station's own voters on the list, once read (`plausible.own_voters`)."""
    spread: frozenset[str] = frozenset()
    """The districts with a station outside their own territory (`spread_districts`)."""

    def contest(self, contest_id: str) -> ContestInfo:
        found = self.contests.get(contest_id)
        if found is None:
            raise unknown_contest(contest_id)
        return found


_lock = threading.Lock()
_cache: dict[tuple[str, int | None], Loaded] = {}
_served: dict[str, Served] = {}


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


def _key(session: Session) -> str:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _rendered(engine.url)


@lru_cache(maxsize=64)
def _rendered(url: URL) -> str:
    """A database's URL as the key of what it serves (an engine's URL never changes)."""
    return url.render_as_string(hide_password=False)


def served(session: Session) -> Served:
    """The election the database serves, its contests and station places, read once per
    process (the first call reads them; every later one finds them kept)."""
    key = _key(session)
    found = _served.get(key)
    if found is not None:
        return found
    row = election_row(session)
    election = read_source(row.source, row.seed)
    ballots: dict[str, list[str]] = {}
    for contest_id, entry_id in session.execute(
        select(EntryRow.contest_id, EntryRow.entry_id).order_by(
            EntryRow.contest_id, EntryRow.position
        )
    ):
        ballots.setdefault(contest_id, []).append(entry_id)
    contests = {
        c.contest_id: ContestInfo(
            c.contest_id,
            c.chamber,
            c.tier,
            c.district_id,
            c.rounds,
            tuple(ballots.get(c.contest_id, ())),
        )
        for c in session.scalars(select(ContestRow))
    }
    stations = session.scalar(select(func.count()).select_from(StationRow)) or 0
    places: dict[str, Place] = {}
    if stations <= PLACES:  # all of them at once: a write then asks nothing of the registry
        query = select(StationRow.station_id, StationRow.district_id, StationRow.territory_id)
        places = {s: Place(s, d, t) for s, d, t in session.execute(query)}
    found = Served(election, contests, places, row.plausibility, spread=spread_districts(session))
    with _lock:
        _served.setdefault(key, found)
        return _served[key]


def spread_districts(session: Session) -> frozenset[str]:
    """The districts that do not lie wholly in their own territory: those with a station
    whose territory is another (a registry may let districts cross territories: the
    territorial commissions of St Petersburg's, `importers.spb2021`)."""
    query = (
        select(StationRow.district_id)
        .join(DistrictRow, DistrictRow.district_id == StationRow.district_id)
        .where(StationRow.territory_id != DistrictRow.territory_id)
        .distinct()
    )
    return frozenset(session.scalars(query))


def forget(url: str) -> None:
    """Drop what this process keeps of the database at `url` (tests, a new load)."""
    with _lock:
        for key in [k for k in _served if k == url or k.startswith(url)]:
            del _served[key]


def loaded(session: Session) -> Loaded:
    """The election the database serves."""
    return served(session).election


def chambers(session: Session) -> list[dict[str, str]]:
    found: list[dict[str, str]] = json.loads(election_row(session).chambers)
    return found


def place(session: Session, station_id: str) -> Place:
    """Where a station lies; each station is read from the database once per process."""
    places = served(session).places
    found = places.get(station_id)
    if found is not None:
        return found
    row = session.execute(
        select(StationRow.district_id, StationRow.territory_id).where(
            StationRow.station_id == station_id
        )
    ).one_or_none()
    if row is None:
        raise NotFound(Said(N_("station %(station)s is not in the registry"), station=station_id))
    found = Place(station_id, row[0], row[1])
    if len(places) >= PLACES:
        places.clear()
    places[station_id] = found
    return found


def contest_row(session: Session, contest_id: str) -> ContestRow:
    row = session.get(ContestRow, contest_id)
    if row is None:
        raise unknown_contest(contest_id)
    return row


def entries_of(session: Session, contest_id: str) -> list[EntryRow]:
    """A contest's entries in ballot order."""
    query = select(EntryRow).where(EntryRow.contest_id == contest_id).order_by(EntryRow.position)
    return list(session.scalars(query))


def reports(contest: ContestRow | ContestInfo, where: Place) -> bool:
    """Whether a station reports a contest: every station a list, a district's its own."""
    if contest.tier == "college":
        return False
    return contest.district_id is None or contest.district_id == where.district_id


def unknown_contest(contest_id: str) -> NotFound:
    """The refusal of a contest the registry does not hold."""
    return NotFound(Said(N_("contest %(contest)s is not in the registry"), contest=contest_id))
