"""What a replay plays, made from the election's protocols and a seed: the same seed makes
the same plan.

- **Who.** Each commission has two generated operators: a station's party-list protocol
  is entered at its territorial commission (`tec-<territory>`), its district protocols
  (every round, and a new voting) at its district commission (`dec-<district>`). Every
  protocol is entered by one of the two, chosen by the seed, and verified blind by the
  other. A commission whose entries disagree has a supervisor, who resolves them.
- **When.** Polls close at 20:00 local time. A territory whose time lies behind the first
  to close (its `utc_offset` in territories.csv: kz-1999's five western oblasts, an hour)
  reports that much later (`closing`); a station reports after counting its ballots
  (`BALLOTS_A_MINUTE`), with a seeded spread. Each phase (round 1, the
  runoffs, the new votings) is played in that order. A plausible night, not a record of
  the real one, which was never published.
- **Disagreements.** A few entries, chosen by the seed, carry a slip: some votes moved from
  one entry of the ballot to another, the sum kept, so the slip breaks no control relation
  and shows only as a mismatch. The supervisor picks the entry that matches the protocol.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from saylau.inputs import ElectionInputs
from saylau.law.form import LINES
from saylau.registry.election import Election

BALLOTS_A_MINUTE = 12
"""How many ballots a station's commission counts a minute (plausible, not measured)."""

Values = dict[str, dict[str, int]]
"""A protocol's figures as the API takes them: {"lines": {...}, "votes": {...}}."""

Slip = Literal["first", "second"]


@dataclass(frozen=True)
class Entry:
    """One station's protocol of one contest and round, and how it is entered."""

    station_id: str
    contest_id: str
    round: int
    values: Values
    commission: str
    first: str
    """The operator who enters it."""
    second: str
    """The operator who verifies it, blind."""
    minute: int
    """When the station reports: minutes after the first polls close."""
    slip: Slip | None = None
    """Which of the two entries carries a slip (None: both are right)."""
    slipped: Values | None = None
    """The slipped entry's figures."""

    def entered(self, which: Slip) -> Values:
        """The figures the first or the second operator enters."""
        if self.slip == which and self.slipped is not None:
            return self.slipped
        return self.values

    @property
    def resolution(self) -> Slip:
        """The entry a supervisor chooses: the one without the slip."""
        return "second" if self.slip == "first" else "first"


@dataclass(frozen=True)
class Phase:
    """Protocols played together, in report order: one round, or the new votings."""

    name: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Plan:
    """A whole replay: its phases, its operators and supervisors, and its seed."""

    seed: int
    phases: tuple[Phase, ...]
    operators: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each commission's two operators."""
    supervisors: dict[str, str] = field(default_factory=dict)
    """The supervisor of each commission whose entries disagree somewhere."""

    @property
    def entries(self) -> list[Entry]:
        return [entry for phase in self.phases for entry in phase.entries]

    def users(self) -> list[tuple[str, str, str]]:
        """Every generated user: (name, role, commission)."""
        found = [
            (name, "operator", commission)
            for commission, pair in sorted(self.operators.items())
            for name in pair
        ]
        found += [(name, "supervisor", c) for c, name in sorted(self.supervisors.items())]
        return found


def operators_of(commission: str) -> tuple[str, str]:
    return f"{commission}-operator-1", f"{commission}-operator-2"


def supervisor_of(commission: str) -> str:
    return f"{commission}-supervisor"


def values_of(row: Mapping[str, Any]) -> Values:
    """A protocol table's row as the API's figures (missing lines and entries left out)."""
    lines: dict[str, int] = {k: int(v) for k, v in row.items() if k in LINES and v is not None}
    votes = {
        k: int(v) for k, v in row.items() if k not in LINES and k != "station_id" and v is not None
    }
    return {"lines": lines, "votes": votes}


def slipped(values: Values, rng: random.Random) -> Values | None:
    """`values` with some votes moved from one entry to another (the sum kept), or None
    when no entry has a vote to move."""
    votes = values["votes"]
    donors = sorted(k for k, v in votes.items() if v > 0)
    if not donors or len(votes) < 2:
        return None
    donor = rng.choice(donors)
    taker = rng.choice(sorted(k for k in votes if k != donor))
    moved = rng.randint(1, min(votes[donor], 99))
    found = {**votes, donor: votes[donor] - moved, taker: votes[taker] + moved}
    return {"lines": dict(values["lines"]), "votes": found}


def closing(election: Election) -> dict[str, int]:
    """When each territory's polls close, in minutes after the first close: the same local
    hour everywhere, so a territory `utc_offset` minutes behind the first closes that much
    later; one whose offset is not given closes with the first."""
    offsets = {t.territory_id: t.utc_offset for t in election.territories}
    first = max((o for o in offsets.values() if o is not None), default=0)
    return {t: 0 if o is None else first - o for t, o in offsets.items()}


def phase_of(inputs: ElectionInputs, contest_id: str, round: int) -> str:
    tier = inputs.election.contest_by_id[contest_id].tier
    if tier == "new_voting":
        return "new voting"
    return "round 1" if round == 1 else f"round {round} (runoffs)"


def make_plan(
    inputs: ElectionInputs,
    seed: int,
    disagreements: int = 5,
    territories: frozenset[str] | None = None,
) -> Plan:
    """The replay of `inputs`' protocols (of `territories` only, if given) under `seed`,
    with `disagreements` entries that disagree (fewer if there are fewer protocols)."""
    rng = random.Random(seed)
    stations = inputs.election.stations_table.to_pylist()
    territory = {s["station_id"]: s["territory_id"] for s in stations}
    district = {s["station_id"]: s["district_id"] for s in stations}
    closes = closing(inputs.election)
    chosen: dict[str, list[tuple[tuple[str, int], dict[str, Any]]]] = {}
    for key in sorted(inputs.protocols, key=lambda k: (k[1], k[0])):
        for row in inputs.protocols[key].to_pylist():
            if territories is None or territory[row["station_id"]] in territories:
                chosen.setdefault(phase_of(inputs, *key), []).append((key, row))
    phases: list[Phase] = []
    operators: dict[str, tuple[str, str]] = {}
    for name in sorted(chosen, key=_phase_order):
        delays: dict[str, int] = {}  # a station reports all its contests of a phase at once
        entries = []
        for (contest_id, round), row in chosen[name]:
            station = row["station_id"]
            if station not in delays:
                ballots = int(row.get("took_part") or 0)
                counting = 20 + ballots / BALLOTS_A_MINUTE * rng.uniform(0.6, 1.6)
                delays[station] = closes.get(territory[station], 0) + math.ceil(counting)
            if inputs.election.contest_by_id[contest_id].tier == "list":
                commission = f"tec-{territory[station]}"
            else:
                commission = f"dec-{district[station]}"
            pair = operators.setdefault(commission, operators_of(commission))
            first, second = pair if rng.random() < 0.5 else pair[::-1]
            entries.append(
                Entry(
                    station,
                    contest_id,
                    round,
                    values_of(row),
                    commission,
                    first,
                    second,
                    delays[station],
                )
            )
        entries.sort(key=lambda e: (e.minute, e.station_id, e.contest_id))
        phases.append(Phase(name, tuple(entries)))
    return _with_slips(Plan(seed, tuple(phases), operators), rng, disagreements)


def _phase_order(name: str) -> tuple[int, str]:
    return (2, name) if name == "new voting" else (int(name.split()[1]) - 1, name)


def _with_slips(plan: Plan, rng: random.Random, count: int) -> Plan:
    """`plan` with `count` entries, chosen by `rng`, carrying a slip."""
    flat = [(p, i) for p, phase in enumerate(plan.phases) for i in range(len(phase.entries))]
    picked = sorted(rng.sample(flat, min(count, len(flat))))
    phases = [list(phase.entries) for phase in plan.phases]
    supervisors: dict[str, str] = {}
    for p, i in picked:
        entry = phases[p][i]
        wrong = slipped(entry.values, rng)
        if wrong is None:
            continue
        which: Slip = "first" if rng.random() < 0.5 else "second"
        phases[p][i] = replace(entry, slip=which, slipped=wrong)
        supervisors[entry.commission] = supervisor_of(entry.commission)
    return Plan(
        plan.seed,
        tuple(
            Phase(phase.name, tuple(found))
            for phase, found in zip(plan.phases, phases, strict=True)
        ),
        plan.operators,
        supervisors,
    )
