"""Properties of tabulation against an oracle that sums station protocols directly.

Live totals built one protocol at a time equal the batch totals of the same protocols;
every level equals the direct sum of its accepted stations, and the sum of the level
below (the control relation); a rejected protocol never counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.protocol.lines import LINES, OPTIONAL_LINES, Protocol
from saylau.tabulate import ContestTotals, LineTotals, tabulate
from saylau.tabulate.tally import Tally
from tests.tabulate.elections import Election, elections, protocols
from tests.tabulate.tables import protocol_table, registry


def batch(election: Election, held: list[tuple[Protocol, bool]]) -> ContestTotals:
    table = protocol_table([p for p, _ in held], election.entries, off_form=election.off_form)
    return tabulate(
        table,
        pa.array([accepted for _, accepted in held], pa.bool_()),
        registry(election.places),
        contest_id="list",
        round=1,
        expected=election.expected,
    )


def direct(election: Election, stations: Iterable[str]) -> dict[str, int | None]:
    """The oracle: the figures of the given stations summed straight from their protocols."""
    wanted = set(stations)
    held = [(p, ok) for p, ok in election.latest() if p.station_id in wanted]
    counted = [p for p, ok in held if ok]
    sums: dict[str, int | None] = {}
    for line in LINES:
        values = [p.line(line) for p in counted]
        present = [value for value in values if value is not None]
        sums[line] = sum(present) if present or line not in OPTIONAL_LINES else None
    for entry in election.entries:
        sums[entry] = sum(p.votes.get(entry, 0) for p in counted)
    sums["protocols"] = len(counted)
    sums["rejected"] = len(held) - len(counted)
    reported = {p.station_id for p, _ in held}
    expected = wanted if election.expected is None else wanted & set(election.expected)
    sums["missing"] = len(expected - reported)
    return sums


def figures(total: LineTotals) -> dict[str, int | None]:
    found: dict[str, int | None] = {line: total.line(line) for line in LINES}
    found.update(total.votes)
    found.update(protocols=total.protocols, rejected=total.rejected, missing=total.missing)
    return found


@settings(deadline=None)  # one batch tabulation per arrival
@given(elections())
def test_adding_protocols_one_at_a_time_equals_the_batch_at_every_step(election: Election) -> None:
    tally = Tally(
        registry(election.places),
        contest_id="list",
        round=1,
        entries=election.entries,
        expected=election.expected,
    )
    assert tally.totals() == batch(election, [])
    for step, (found, accepted) in enumerate(election.arrivals, start=1):
        if accepted:
            tally.add(found)
        else:
            tally.reject(found)
        assert tally.totals() == batch(election, election.latest(step))


@given(elections())
def test_every_level_is_the_direct_sum_of_its_accepted_stations(election: Election) -> None:
    totals = batch(election, election.latest())
    for district, total in totals.by_district.items():
        mine = [s for s, d, _ in election.places if d == district]
        assert figures(total) == direct(election, mine)
    for territory, total in totals.by_territory.items():
        mine = [s for s, d, t in election.places if t == territory and d in totals.by_district]
        assert figures(total) == direct(election, mine)
    everywhere = [s for s, d, _ in election.places if d in totals.by_district]
    assert figures(totals.nation) == direct(election, everywhere)
    strays = {p.station_id for p, _ in election.latest()} - {s for s, _, _ in election.places}
    assert totals.unplaced >= len(strays)


@given(elections())
def test_districts_sum_to_territories_and_territories_to_the_nation(election: Election) -> None:
    totals = batch(election, election.latest())
    zero = figures(LineTotals.empty(election.entries))
    for territory, total in totals.by_territory.items():
        members = [
            figures(t) for d, t in totals.by_district.items() if totals.territory_of[d] == territory
        ]
        assert figures(total) == _add(zero, members)
    assert figures(totals.nation) == _add(zero, [figures(t) for t in totals.by_territory.values()])
    assert sum(t.protocols for t in totals.by_district.values()) == sum(
        1 for _, accepted in election.latest() if accepted
    )


@given(elections(corrections=False), st.data())
def test_a_rejected_protocol_never_counts(election: Election, data: st.DataObject) -> None:
    held = election.latest()
    altered = [
        (p if ok else data.draw(protocols(p.station_id, election.entries, election.off_form)), ok)
        for p, ok in held
    ]
    kept = batch(election, held)
    assert batch(election, altered) == kept
    dropped = batch(election, [(p, ok) for p, ok in held if ok])
    for district, total in dropped.by_district.items():
        assert total.lines == kept.by_district[district].lines
        assert total.votes == kept.by_district[district].votes


def _add(zero: dict[str, int | None], rows: list[dict[str, int | None]]) -> dict[str, int | None]:
    """Field-wise sums, where None (a line off the form) is the sum of Nones only."""
    result: dict[str, int | None] = {}
    for key, start in zero.items():
        present = [value for value in (start, *(row[key] for row in rows)) if value is not None]
        result[key] = sum(present) if present else None
    return result
