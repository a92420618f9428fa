"""Check and tabulate one contest's protocols for one round: the count every stage decides on.

Each contest is checked against the protocol form of its chamber's law (`law.protocol`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saylau.errors import InputError
from saylau.inputs import ElectionInputs
from saylau.law.form import ProtocolForm
from saylau.law.schema import Law
from saylau.protocol.aside import ASIDE_ROWS, aside
from saylau.protocol.checks import ProtocolViolation
from saylau.protocol.lines import ContestId
from saylau.protocol.table import TableCheck, check_table
from saylau.registry.model import Contest
from saylau.results import ProtocolReview, ReviewStatus
from saylau.said import N_, Param, Said
from saylau.stages.station_index import StationIndex
from saylau.tabulate import ContestTotals, tabulate
from saylau.tabulate.area import Area, area_of
from saylau.tabulate.totals import LineTotals

Status = Callable[[str], None]
"""Told what a count is doing now, in words, for a progress display."""


@dataclass(frozen=True)
class Counted:
    """A contest's protocols for one round: their check and their totals."""

    contest_id: str
    round: int
    check: TableCheck
    totals: ContestTotals
    missing: tuple[str, ...] = ()
    """The expected stations that sent no protocol, in registry order."""

    @property
    def count(self) -> LineTotals:
        """The count at the contest's own level: the nation for a list, else its district."""
        return self.totals.nation

    @cached_property
    def reviews(self) -> tuple[ProtocolReview, ...]:
        """Every protocol not counted, or counted and flagged, with all its violations
        (worked out once: each status of the run's reviews reads them)."""
        rejected = set(self.check.rejected_stations)
        grouped: dict[str, list[ProtocolViolation]] = {}
        for violation in self.check.violations:
            grouped.setdefault(violation.station_id, []).append(violation)
        found = []
        for station, violations in sorted(grouped.items()):
            status: ReviewStatus = "rejected" if station in rejected else "flagged"
            found.append(
                ProtocolReview(
                    self.contest_id,
                    self.round,
                    station,
                    status,
                    tuple(v.code for v in violations),
                    tuple(v.message for v in violations),
                )
            )
        return tuple(found)


class CountCache:
    """Counts kept across runs over the same inputs (many laws replayed on one election):
    a contest and round checked against an equal protocol form is checked and tabulated
    once. A form that differs is counted afresh."""

    def __init__(self, inputs: ElectionInputs) -> None:
        self.inputs = inputs
        self._found: dict[tuple[str, int], tuple[ProtocolForm, Counted | None]] = {}

    def count(
        self, contest: Contest, round: int, form: ProtocolForm, status: Status | None = None
    ) -> Counted | None:
        """The count of `contest` in `round` checked against `form`, counted at most once."""
        key = (contest.contest_id, round)
        kept = self._found.get(key)
        if kept is not None and kept[0] == form:
            return kept[1]
        counted = count_contest(self.inputs, contest, round, form, status)
        self._found[key] = (form, counted)
        return counted


class Counting:
    """One run's counts: each contest and round is checked and tabulated once. With a
    `cache` (over the same inputs), counts are shared with other runs."""

    def __init__(
        self,
        inputs: ElectionInputs,
        laws: Mapping[str, Law],
        cache: CountCache | None = None,
        *,
        status: Status | None = None,
        index: Callable[[], StationIndex] | None = None,
    ) -> None:
        if cache is not None and cache.inputs is not inputs:
            raise ValueError("a count cache serves only the inputs it was made for")
        self.inputs = inputs
        self.laws = laws
        self._cache = cache
        self._status = status
        self._index = index
        self._counted: dict[tuple[str, int], Counted | None] = {}
        self._started: dict[tuple[str, int], Callable[[], Counted | None]] = {}

    def start(self, contests: Sequence[Contest], round: int) -> None:
        """Begin counting these contests' large protocol tables in `round` beside the calling
        thread (saylau.protocol.aside), for `count` to take up: a national list's count then
        runs while registration waits for the station ids' hash, on the other core. Without
        a count cache only; a small table is counted when asked for."""
        if self._cache is not None:
            return
        for contest in contests:
            key = (contest.contest_id, round)
            table = self.inputs.protocols.get(key)
            if table is None or table.num_rows < ASIDE_ROWS or key in self._counted:
                continue
            try:
                form = _form(self.laws, contest)
            except InputError:  # said by `count`, after registration's problems
                continue
            counted = partial(count_contest, self.inputs, contest, round, form, None, self._index)
            self._started[key] = aside(counted, table.num_rows)

    def count(self, contest: Contest, round: int) -> Counted | None:
        """The checked, tabulated protocols of `contest` in `round`; None if none were entered."""
        key = (contest.contest_id, round)
        if key in self._started:
            if self._status is not None:
                self._status(f"checking the protocols of {contest.contest_id}, round {round}")
            self._counted[key] = self._started.pop(key)()
        if key not in self._counted:
            form = _form(self.laws, contest)
            if self._cache is not None:
                self._counted[key] = self._cache.count(contest, round, form, self._status)
            else:
                self._counted[key] = count_contest(
                    self.inputs, contest, round, form, self._status, self._index
                )
        return self._counted[key]

    @property
    def counted(self) -> frozenset[tuple[str, int]]:
        """The (contest, round) keys whose protocols a stage has counted."""
        return frozenset(key for key, counted in self._counted.items() if counted is not None)

    def missing_notes(self) -> list[tuple[str, str]]:
        """Each contest and round counted with stations that sent no protocol, in words."""
        found: list[tuple[str, str]] = []
        for key in sorted(self._counted):
            counted = self._counted[key]
            if counted is not None and counted.missing:
                said: dict[str, Param] = {
                    "contest": key[0],
                    "round": str(key[1]),
                    "count": len(counted.missing),
                    "shown": ", ".join(counted.missing[:10]),
                    "more": len(counted.missing) - 10,
                }
                template = N_(
                    "contest %(contest)s, round %(round)s: %(count)s expected station(s) sent no "
                    "protocol (%(shown)s); the count is incomplete"
                )
                if len(counted.missing) > 10:
                    template = N_(
                        "contest %(contest)s, round %(round)s: %(count)s expected station(s) "
                        "sent no protocol (%(shown)s and %(more)s more); the count is incomplete"
                    )
                found.append((key[0], Said(template, **said)))
        return found

    def reviews(self, status: ReviewStatus) -> tuple[ProtocolReview, ...]:
        """Every protocol counted so far with this status, in contest and round order."""
        found: list[ProtocolReview] = []
        for key in sorted(self._counted):
            counted = self._counted[key]
            if counted is not None:
                found += [r for r in counted.reviews if r.status == status]
        return tuple(found)


def _form(laws: Mapping[str, Law], contest: Contest) -> ProtocolForm:
    law = laws.get(contest.chamber)
    if law is None or law.protocol is None:
        raise InputError(
            f"contest {contest.contest_id}: the law of chamber {contest.chamber} names no "
            f"protocol form, so its protocols cannot be checked"
        )
    return law.protocol


def count_contest(
    inputs: ElectionInputs,
    contest: Contest,
    round: int,
    form: ProtocolForm,
    status: Status | None = None,
    index: Callable[[], StationIndex] | None = None,
) -> Counted | None:
    """Check the protocols of `contest` in `round` against `form`; tabulate the accepted ones.

    None when no protocol table was entered for that contest and round. `status` is told
    what is being done, for a progress display. `index`, where given, may hold the table's
    positions among the registry already (saylau.stages.station_index).
    """
    say = status or (lambda text: None)
    table = inputs.protocols.get((contest.contest_id, round))
    if table is None:
        return None
    election = inputs.election
    stations = election.stations_table_for(contest)
    expected = stations.column("station_id").combine_chunks()
    say(f"checking the protocols of {contest.contest_id}, round {round}")
    key = (contest.contest_id, round)
    area: list[Area] = []

    def known(index: Callable[[], StationIndex]) -> pa.Array | None:
        """The rows' positions, asked once the rows' own checks are done; the registry's
        side of the tabulation is made first, while the index may still be being hashed
        (where it fails, `tabulate` fails the same way in its turn)."""
        with suppress(InputError):
            area.append(area_of(stations, expected))
        return index().positions(key, table)

    check = check_table(
        table,
        ContestId(contest.contest_id),
        round,
        expected,
        form=form,
        positions=partial(known, index) if index else None,
    )
    say(f"tabulating {contest.contest_id}, round {round}")
    totals = tabulate(
        table,
        check.accepted,
        stations,
        contest_id=contest.contest_id,
        round=round,
        expected=expected,
        flagged=check.flagged,
        positions=check.positions,
        area=area[0] if area else None,
    )
    return Counted(contest.contest_id, round, check, totals, _missing(expected, check))


def _missing(expected: pa.Array, check: TableCheck) -> tuple[str, ...]:
    """The expected stations with no row at all: their positions were never named."""
    reported = np.zeros(len(expected), dtype=bool)
    if check.positions is not None:
        named = pc.drop_null(check.positions).to_numpy(zero_copy_only=False)
        reported[named] = True
    else:
        ids = check.table.column("station_id").combine_chunks()
        reported = pc.is_in(expected, value_set=ids).to_numpy(zero_copy_only=False)
    found: list[str] = expected.filter(_as_arrow(~reported)).to_pylist()
    return tuple(found)


def _as_arrow(flags: np.ndarray) -> pa.Array:
    """NumPy's flags as an Arrow boolean array, packed into its bits (`pa.array` of a NumPy
    array would load numpy.ma, which nothing else in a run needs)."""
    bits = pa.py_buffer(np.packbits(flags, bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(flags), [None, bits])
