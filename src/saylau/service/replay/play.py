"""A plan played into a running service, as its commissions would: the administrator makes
the generated users, each protocol is entered by one operator and verified blind by the
other, a supervisor resolves each disagreement, and the administrator runs the stages.

The phases follow the calendar: round 1; the runoffs scheduled, then round 2; the new
votings ordered (the invalidations the data holds), then their protocols; then each round
of each chamber closed, and the result published. The service decides nothing before the
new votings are ordered (every new-voting contest of the registry must be named by one), so
the rounds are closed once they are.

Protocols go out in the plan's order at `speed` a second (0: as fast as the service takes
them), on `clients` connections at once, as commissions work side by side.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from saylau.inputs import ElectionInputs
from saylau.service.replay.client import Api, ReplayError
from saylau.service.replay.plan import Entry, Phase, Plan, supervisor_of

Say = Callable[[str], None]
"""Where the replay says what it did, a line at a time."""

Progress = Callable[[str, int, int], None]
"""Told (phase, protocols done, protocols in the phase) as protocols are counted."""


@dataclass
class Played:
    """What a replay did: each phase's protocols and seconds, the disagreements resolved,
    the stage transitions made, and what publishing said."""

    phases: list[tuple[str, int, float]] = field(default_factory=list)
    resolved: int = 0
    stages: list[str] = field(default_factory=list)
    published: str = ""


@dataclass(frozen=True)
class Pace:
    """How fast protocols go out: `speed` a second (0: no limit), on `clients` connections."""

    speed: float = 50.0
    clients: int = 8


def _nothing(phase: str, done: int, total: int) -> None:
    return None


def play(
    url: str,
    plan: Plan,
    inputs: ElectionInputs,
    admin: tuple[str, str],
    pace: Pace = Pace(),
    say: Say = print,
    progress: Progress = _nothing,
) -> Played:
    """Play `plan` into the service at `url` as administrator `admin` (name, password)."""
    with _connections(url, pace.clients) as apis:
        api = apis[0]
        api.login(*admin)
        _ready(api, admin[0], inputs, plan)
        staff = Staff(plan, admin[0])
        played = Played()
        ordered = False
        for phase in plan.phases:
            if "runoffs" in phase.name:
                _runoffs(api, admin[0], inputs, phase, played, say)
            if phase.name == "new voting":
                _new_votings(api, admin[0], inputs, played, say)
                ordered = True
            start = time.monotonic()
            played.resolved += _phase(apis, staff, plan.seed, phase, pace, progress)
            seconds = time.monotonic() - start
            played.phases.append((phase.name, len(phase.entries), seconds))
            say(f"{phase.name}: {len(phase.entries):,} protocols counted in {seconds:.1f} s")
        say(
            f"{len(staff.made)} users made as their commissions first reported: two operators "
            f"of each of {len(plan.operators)} commissions, {len(plan.supervisors)} supervisor(s)"
        )
        if not ordered:
            _new_votings(api, admin[0], inputs, played, say)
        _close(api, admin[0], inputs, plan, played, say)
        return played


@contextmanager
def _connections(url: str, clients: int) -> Iterator[list[Api]]:
    apis = [Api(url) for _ in range(max(1, clients))]
    for api in apis[1:]:
        api.tokens = apis[0].tokens  # one set of logins, every connection
    try:
        yield apis
    finally:
        for api in apis:
            api.close()


def _ready(api: Api, admin: str, inputs: ElectionInputs, plan: Plan) -> None:
    """Refuse a service that serves another election, or holds protocols already."""
    served = api.call("GET", "/api/registry", admin)["election"]["id"]
    wanted = inputs.election.election_id
    if served != wanted:
        raise ReplayError(f"the service serves election {served}, not {wanted}")
    held = api.call("GET", "/api/protocols", admin, params={"limit": 1})["total"]
    if held:
        raise ReplayError(
            f"the service holds {held:,} protocol(s) already: a replay starts from an empty "
            "count (a fresh database, or saylau replay --serve)"
        )


class Staff:
    """The plan's users, each made by the administrator with a random password it logs in
    with (never shown), when its commission first reports: the count starts at once, and
    a commission's users are ready before its first protocol."""

    def __init__(self, plan: Plan, admin: str) -> None:
        self.admin = admin
        self.members: dict[str, list[tuple[str, str]]] = {
            commission: [(name, "operator") for name in pair]
            for commission, pair in plan.operators.items()
        }
        for commission, name in plan.supervisors.items():
            self.members[commission].append((name, "supervisor"))
        self.locks = {commission: threading.Lock() for commission in self.members}
        self.made: list[str] = []

    def ready(self, api: Api, commission: str) -> None:
        """Make the commission's users and log them in, unless made already."""
        with self.locks[commission]:
            if api.tokens.keys() >= {name for name, _ in self.members[commission]}:
                return
            for name, role in self.members[commission]:
                password = secrets.token_urlsafe(18)
                body = {
                    "username": name,
                    "password": password,
                    "role": role,
                    "commission_id": commission,
                }
                api.call("POST", "/api/users", self.admin, body)
                api.login(name, password)
                self.made.append(name)


def _phase(
    apis: list[Api], staff: Staff, seed: int, phase: Phase, pace: Pace, progress: Progress
) -> int:
    """Play one phase's entries in order, at the pace; the disagreements resolved."""
    free: queue.Queue[Api] = queue.Queue()
    for api in apis:
        free.put(api)
    lock = threading.Lock()
    slots = threading.BoundedSemaphore(2 * len(apis))
    counts = {"done": 0, "resolved": 0}
    failed: list[BaseException] = []
    total = len(phase.entries)

    def one(entry: Entry) -> None:
        api = free.get()
        try:
            staff.ready(api, entry.commission)
            resolved = enter(api, seed, entry)
        finally:
            free.put(api)
        with lock:
            counts["done"] += 1
            counts["resolved"] += resolved
            done = counts["done"]
        progress(phase.name, done, total)

    def finished(future: Future[None]) -> None:
        slots.release()
        error = future.exception()
        if error is not None:
            failed.append(error)

    progress(phase.name, 0, total)
    start = time.monotonic()
    with ThreadPoolExecutor(len(apis)) as pool:
        for i, entry in enumerate(phase.entries):
            if failed:
                break
            if pace.speed > 0:
                time.sleep(max(0.0, start + i / pace.speed - time.monotonic()))
            slots.acquire()
            pool.submit(one, entry).add_done_callback(finished)
    if failed:
        raise failed[0]
    return counts["resolved"]


def enter(api: Api, seed: int, entry: Entry) -> int:
    """One protocol through the workflow: entered, verified blind, and, where the two
    disagree, resolved by the supervisor; 1 if it was resolved, else 0."""
    key = f"replay-{seed}-{entry.station_id}-{entry.contest_id}-{entry.round}"
    where = f"station {entry.station_id}, {entry.contest_id} round {entry.round}"
    body = {
        "station_id": entry.station_id,
        "contest_id": entry.contest_id,
        "round": entry.round,
        "values": entry.entered("first"),
        "client_key": f"{key}-first",
    }
    made = api.call("POST", "/api/protocols", entry.first, body)
    if made["status"] != "entered":
        raise ReplayError(f"{where}: entered as {made['status']}: {made['errors']}")
    path = f"/api/protocols/{made['id']}"
    second = {"values": entry.entered("second"), "client_key": f"{key}-second"}
    checked = api.call("POST", f"{path}/verify", entry.second, second)
    if entry.slip is None:
        _expect(checked, "accepted", where)
        return 0
    _expect(checked, "mismatch", where)
    supervisor = supervisor_of(entry.commission)
    choice = {"choice": entry.resolution, "client_key": f"{key}-resolution"}
    _expect(api.call("POST", f"{path}/resolve", supervisor, choice), "accepted", where)
    return 1


def _expect(answer: dict[str, object], status: str, where: str) -> None:
    if answer["status"] != status:
        raise ReplayError(f"{where}: {answer['status']}, where the replay expected {status}")


def _stage(api: Api, admin: str, path: str, body: object, played: Played, said: str) -> None:
    api.call("POST", f"/api/stages/{path}", admin, body)
    played.stages.append(said)


def _runoffs(
    api: Api, admin: str, inputs: ElectionInputs, phase: Phase, played: Played, say: Say
) -> None:
    """Schedule the runoffs of each chamber the phase plays (the data's lots and decisions
    are the service's already: it holds the election's resolutions)."""
    contests = {e.contest_id for e in phase.entries}
    for chamber in sorted({inputs.election.contest_by_id[c].chamber for c in contests}):
        mine = [c for c in contests if inputs.election.contest_by_id[c].chamber == chamber]
        said = f"{chamber}: runoffs scheduled in {len(mine)} districts"
        _stage(api, admin, "runoffs", {"chamber": chamber, "resolutions": []}, played, said)
        say(said)


def _new_votings(api: Api, admin: str, inputs: ElectionInputs, played: Played, say: Say) -> None:
    for cancel in inputs.invalidations:
        body = {
            "contest_id": cancel.contest_id,
            "round": cancel.round,
            "reason": cancel.reason,
            "new_contest_id": cancel.new_contest_id,
        }
        said = (
            f"{cancel.contest_id} round {cancel.round} invalidated: new voting "
            f"{cancel.new_contest_id} ordered"
        )
        _stage(api, admin, "new-voting", body, played, said)
        say(said)


def _close(
    api: Api, admin: str, inputs: ElectionInputs, plan: Plan, played: Played, say: Say
) -> None:
    """Close every round of every chamber, then publish."""
    rounds: dict[str, int] = {}
    for entry in plan.entries:
        chamber = inputs.election.contest_by_id[entry.contest_id].chamber
        rounds[chamber] = max(rounds.get(chamber, 1), entry.round)
    for held in inputs.election.chambers:
        for round in range(1, rounds.get(held.chamber_id, 1) + 1):
            body = {"chamber": held.chamber_id, "round": round}
            said = f"{held.chamber_id}: round {round} closed"
            _stage(api, admin, "close-round", body, played, said)
            say(said)
    answer = api.call("POST", "/api/stages/publish", admin, allowed=(409,))
    if "detail" in answer:
        played.published = f"published: {answer['detail']['files']} snapshot files"
    else:
        played.published = f"not published: {answer.get('error')}"
    say(played.published)
