"""Every contest's counts at each level, for reports and exports that read below the nation.

A run keeps its decisions and the count each was taken on; a report wants the levels in
between too (territories, districts, stations). `RunCounts` checks and tabulates each
contest and round of a run's inputs under the laws it applied, exactly as the run did
(saylau.stages.counting), once each, and keeps the result. Station rows stay columnar.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import pyarrow as pa
import pyarrow.compute as pc

from saylau.inputs import ElectionInputs
from saylau.law.schema import Law
from saylau.registry.model import Contest
from saylau.results import ElectionResult
from saylau.stages.counting import Counted, Counting

NAMES_ONLY = frozenset({"candidates", "lists"})
"""Generated parts that make up names alone, never a count."""

STATUS = "status"
"""The column of a station table that says how a protocol was taken: accepted, flagged
(counted, kept for review) or rejected (not counted)."""


def below_nation_generated(result: ElectionResult) -> bool:
    """Whether counts below the nation (territories, districts, stations) rest on generated
    data: the run generated anything but names. The nation's own figures say it one by one
    (`ChamberResult.generated_figures`)."""
    return bool(result.generated - NAMES_ONLY)


class RunCounts:
    """The counts of every contest and round of one run, at every level."""

    def __init__(self, inputs: ElectionInputs, laws: Mapping[str, Law]) -> None:
        self.inputs = inputs
        self.laws = laws
        self._counting = Counting(inputs, laws)

    @cached_property
    def ballots(self) -> tuple[tuple[Contest, int], ...]:
        """Every (contest, round) that has protocols, in registry order, rounds in order.

        Contests of a chamber without a law here (none in a run) are left out.
        """
        rounds: dict[str, list[int]] = {}
        for contest_id, round in self.inputs.protocols:
            rounds.setdefault(contest_id, []).append(round)
        return tuple(
            (contest, round)
            for contest in self.inputs.election.contests
            if contest.chamber in self.laws
            for round in sorted(rounds.get(contest.contest_id, ()))
        )

    def counted(self, contest: Contest, round: int) -> Counted | None:
        """The checked, tabulated protocols of a contest in a round; None if there are none."""
        return self._counting.count(contest, round)

    def principal(self, chamber: str) -> tuple[Contest, ...]:
        """The ballots that show a chamber's turnout: its list ballot, or else its district
        ballots (each district's voters once)."""
        found = self.inputs.election.contests_of(chamber, "list")
        return found[:1] or self.inputs.election.contests_of(chamber, "district")

    def stations(self, contest: Contest, round: int) -> pa.Table | None:
        """The protocol table with each row's `district_id`, `territory_id` and `status`.

        Every row is kept, rejected ones too; a row of a station not in the registry has no
        district or territory.
        """
        counted = self.counted(contest, round)
        if counted is None:
            return None
        check = counted.check
        table = check.table
        registry = self.inputs.election.stations_table_for(contest)
        at = pc.index_in(table.column("station_id"), value_set=registry.column("station_id"))
        for name in ("district_id", "territory_id"):
            table = table.append_column(name, pc.take(registry.column(name), at))
        accepted = pc.fill_null(check.accepted, False)
        flagged = pc.and_(accepted, pc.fill_null(check.flagged, False))
        status = pc.if_else(
            accepted, pc.if_else(flagged, "flagged", "accepted"), pa.scalar("rejected")
        )
        return table.append_column(STATUS, status)


__all__ = ["NAMES_ONLY", "STATUS", "RunCounts", "below_nation_generated"]
