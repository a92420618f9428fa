"""The station figures forensics reads: one row per accepted protocol of one contest.

The protocols are checked and tabulated exactly as a run does (`count_contest` with the
chamber law's protocol form): rejected protocols are left out, flagged ones are counted.
The base of the share is the one the law uses for this contest's percentages, computed per
station from its lines: `took_part`, `ballots_found`, `valid` (the votes for every entry and
against all) or `list_votes` / `candidate_votes` (the entries' votes alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from saylau.errors import InputError
from saylau.inputs import ElectionInputs
from saylau.law.schema import Law
from saylau.protocol.lines import STATION, entries
from saylau.registry.model import Contest
from saylau.stages.counting import Counted, count_contest

FIGURES = ("registered", "took_part", "ballots_found", "base", "votes")
"""The columns of a station table after its keys: the studied entry's votes are `votes`."""


@dataclass(frozen=True, eq=False)
class StationFigures:
    """The accepted stations of one contest and round, and the entry studied.

    `table` has the columns station_id, district_id, territory_id, the FIGURES, then each
    entry's votes under its own id; one row per accepted protocol, by station id.
    """

    contest_id: str
    round: int
    entry: str
    leader: str
    base_name: str
    table: pa.Table
    entries: tuple[str, ...]
    protocols: int
    rejected: int
    flagged: int
    missing: int


def share_base_name(law: Law, contest: Contest) -> str:
    """The base of this contest's percentages: the list tier's, or the district majority's."""
    if contest.tier == "list" and law.list_tier is not None:
        return law.list_tier.share_base
    if law.district_tier is not None:
        return law.district_tier.majority_base
    return "valid"


def choose_contest(inputs: ElectionInputs, contest_id: str | None, round: int) -> Contest:
    """The contest named, or the first list contest with protocols in `round`."""
    election = inputs.election
    if contest_id is not None:
        found = election.contest_by_id.get(contest_id)
        if found is None:
            known = ", ".join(c.contest_id for c in election.contests if c.tier != "college")
            raise InputError(f"--contest {contest_id}: not a contest of this election ({known})")
        if (contest_id, round) not in inputs.protocols:
            raise InputError(f"--contest {contest_id}: no protocols were entered for round {round}")
        return found
    for contest in election.contests:
        if contest.tier == "list" and (contest.contest_id, round) in inputs.protocols:
            return contest
    with_protocols = sorted({c for c, r in inputs.protocols if r == round})
    raise InputError(
        f"no list contest has protocols in round {round}: name one with --contest "
        f"({', '.join(with_protocols[:10])}{', ...' if len(with_protocols) > 10 else ''})"
    )


def station_figures(
    inputs: ElectionInputs,
    law: Law,
    contest: Contest,
    round: int = 1,
    entry: str | None = None,
) -> StationFigures:
    """Check and count the contest's protocols as a run does; keep the accepted stations."""
    if law.protocol is None:
        raise InputError(f"{law.id} names no protocol form: its protocols cannot be checked")
    counted = count_contest(inputs, contest, round, law.protocol)
    if counted is None:
        raise InputError(f"{contest.contest_id}: no protocols were entered for round {round}")
    stations = inputs.election.stations_table_for(contest)
    return figures_of(counted, stations, share_base_name(law, contest), entry)


def figures_of(
    counted: Counted, stations: pa.Table, base_name: str, entry: str | None = None
) -> StationFigures:
    """The station table of a checked, tabulated contest (see `StationFigures`)."""
    table = counted.check.accepted_table()
    names = entries(table.column_names)
    if not names:
        raise InputError(f"{counted.contest_id}: the protocols name no list or candidate")
    votes = counted.count.votes
    leader = max(names, key=lambda name: (votes.get(name, 0), -names.index(name)))
    chosen = leader if entry is None else entry
    if chosen not in names:
        raise InputError(
            f"--list {chosen}: not on the ballot of {counted.contest_id} ({', '.join(names)})"
        )
    columns = {
        "registered": table.column("registered"),
        "took_part": table.column("took_part"),
        "ballots_found": table.column("ballots_found"),
        "base": _base(table, names, base_name),
        "votes": table.column(chosen),
    }
    keys = stations.select([STATION, "district_id", "territory_id"])
    by_entry: dict[str, pa.ChunkedArray] = {n: table.column(n) for n in names}
    body = pa.table({STATION: table.column(STATION), **columns, **by_entry})
    joined = body.join(keys, STATION, join_type="left outer").sort_by(STATION)
    ordered = joined.select([STATION, "district_id", "territory_id", *FIGURES, *names])
    totals = counted.count
    return StationFigures(
        counted.contest_id,
        counted.round,
        chosen,
        leader,
        base_name,
        ordered.combine_chunks(),
        names,
        totals.protocols,
        totals.rejected,
        totals.flagged,
        totals.missing,
    )


def _base(table: pa.Table, names: tuple[str, ...], base_name: str) -> pa.ChunkedArray:
    """The base of the share at each station, from its lines, exactly (int64)."""
    if base_name in ("took_part", "ballots_found"):
        column: pa.ChunkedArray = table.column(base_name)
        return column
    summed = table.column(names[0])
    for name in names[1:]:
        summed = pc.add_checked(summed, table.column(name))
    if base_name == "valid" and "against_all" in table.column_names:
        summed = pc.add_checked(summed, pc.fill_null(table.column("against_all"), 0))
    if base_name not in ("valid", "list_votes", "candidate_votes"):
        raise InputError(f"{base_name} is not a base of a share")
    return summed
