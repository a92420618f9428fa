"""Check and tabulate one contest's protocols for one round: the count every stage decides on."""

from __future__ import annotations

from dataclasses import dataclass

from saylau.protocol.table import TableCheck, check_table
from saylau.registry.model import Contest
from saylau.results import Rejection
from saylau.stages.inputs import ElectionInputs
from saylau.tabulate import ContestTotals, tabulate
from saylau.tabulate.totals import LineTotals


@dataclass(frozen=True)
class Counted:
    """A contest's protocols for one round: their check and their totals."""

    contest_id: str
    round: int
    check: TableCheck
    totals: ContestTotals

    @property
    def count(self) -> LineTotals:
        """The count at the contest's own level: the nation for a list, else its district."""
        return self.totals.nation

    def rejections(self) -> tuple[Rejection, ...]:
        """Every protocol not counted, with all its violations, kept for review."""
        grouped: dict[str, list[tuple[str, str]]] = {}
        for violation in self.check.violations:
            grouped.setdefault(violation.station_id, []).append((violation.code, violation.message))
        return tuple(
            Rejection(
                self.contest_id,
                self.round,
                station,
                tuple(code for code, _ in found),
                tuple(message for _, message in found),
            )
            for station, found in sorted(grouped.items())
        )


class Counting:
    """One run's counts: each contest and round is checked and tabulated once."""

    def __init__(self, inputs: ElectionInputs) -> None:
        self.inputs = inputs
        self._counted: dict[tuple[str, int], Counted | None] = {}

    def count(self, contest: Contest, round: int) -> Counted | None:
        """The checked, tabulated protocols of `contest` in `round`; None if none were entered."""
        key = (contest.contest_id, round)
        if key not in self._counted:
            self._counted[key] = count_contest(self.inputs, contest, round)
        return self._counted[key]

    def rejections(self) -> tuple[Rejection, ...]:
        """Every protocol counted so far that was rejected, in contest and round order."""
        found: list[Rejection] = []
        for key in sorted(self._counted):
            counted = self._counted[key]
            if counted is not None:
                found += counted.rejections()
        return tuple(found)


def count_contest(inputs: ElectionInputs, contest: Contest, round: int) -> Counted | None:
    """Check the protocols of `contest` in `round` and tabulate the accepted ones.

    None when no protocol table was entered for that contest and round.
    """
    table = inputs.protocols.get((contest.contest_id, round))
    if table is None:
        return None
    election = inputs.election
    stations = election.stations_table_for(contest)
    expected = stations.column("station_id").combine_chunks()
    check = check_table(table, contest.contest_id, round, expected)
    totals = tabulate(
        table,
        check.accepted,
        stations,
        contest_id=contest.contest_id,
        round=round,
        expected=expected,
    )
    return Counted(contest.contest_id, round, check, totals)
