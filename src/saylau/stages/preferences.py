"""Preference votes (open lists): checked against the registry and the law, then summed for
each list contest from the constituency's rows and the stations whose protocols count.

- A row names a list contest, a party with a list on it, and a rank of that list; a
  station row names a registered station; the votes are a whole number >= 0.
- A list's preference votes are given either by station or for the whole constituency,
  never both (they would be counted twice); a candidate's row appears once per station
  (or once for the constituency).
- Under a law whose lists are closed (no `list_tier.preferences`, or its rule `none`) the
  rows do not count, and a note of kind `unused` says so.
- A station's rows count where its list protocol was accepted, as its list votes do.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from saylau.inputs import ElectionInputs, Note
from saylau.law.schema import Law
from saylau.protocol.lines import STATION
from saylau.said import N_, Said
from saylau.stages.counting import Counted
from saylau.stages.problems import Problem

TABLE = "preferences"


def preferences_valid(inputs: ElectionInputs) -> list[Problem]:
    """Every preference row names a list contest, a party's list on it, a rank of that list
    and (where given) a registered station; no row is given twice, and no list is given by
    station and for the constituency both."""
    if not inputs.preferences:
        return []  # no station set to build for an election without preference votes
    election, problems = inputs.election, []
    ranks: dict[str, set[int]] = {}
    for entry in election.lists:
        ranks.setdefault(entry.party_id, set()).add(entry.rank)
    named = {row.station_id for row in inputs.preferences if row.station_id is not None}
    known = pc.is_in(
        pa.array(sorted(named), pa.string()), value_set=election.stations["station_id"]
    )
    stations = {s for s, found in zip(sorted(named), known.to_pylist(), strict=True) if found}
    seen: dict[tuple[str, str, int, str | None], int] = {}
    ways: dict[tuple[str, str], set[bool]] = {}
    for index, row in enumerate(inputs.preferences):

        def problem(field: str, what: str, i: int = index) -> None:
            problems.append(Problem(TABLE, i, field, what))

        contest = election.contest_by_id.get(row.contest_id)
        if contest is None or contest.tier != "list":
            problem("contest_id", f"{row.contest_id} is not a list contest")
            continue
        if row.party_id not in ranks:
            problem("party_id", f"{row.party_id} has no list (lists.csv)")
            continue
        if row.rank not in ranks[row.party_id]:
            problem("rank", f"{row.party_id}'s list has no rank {row.rank}")
        if row.votes < 0:
            problem("votes", f"{row.votes} is negative")
        if row.station_id is not None and row.station_id not in stations:
            problem("station_id", f"{row.station_id} is not in stations.csv")
        key = (row.contest_id, row.party_id, row.rank, row.station_id)
        if key in seen:
            where = "the constituency" if row.station_id is None else row.station_id
            problem(
                "votes",
                f"rank {row.rank} of {row.party_id} at {where} is given a second time "
                f"(first as record {seen[key] + 1})",
            )
        seen.setdefault(key, index)
        ways.setdefault((row.contest_id, row.party_id), set()).add(row.station_id is None)
    for (contest_id, party_id), given in sorted(ways.items()):
        if len(given) == 2:
            problems.append(
                Problem(
                    TABLE,
                    None,
                    "station_id",
                    f"{party_id}'s preference votes in {contest_id} are given both by station "
                    f"and for the whole constituency; give them one way, or they count twice",
                )
            )
    return problems


def open_lists(law: Law) -> bool:
    """Whether preference votes reorder the lists under this law."""
    tier = law.list_tier
    return tier is not None and tier.preferences is not None and tier.preferences.rule != "none"


def preference_totals(inputs: ElectionInputs, counted: Counted) -> dict[str, dict[int, int]]:
    """A list contest's preference votes by party and rank: the constituency's rows, and the
    rows of the stations whose list protocol was accepted."""
    rows = [p for p in inputs.preferences if p.contest_id == counted.contest_id]
    if not rows:
        return {}
    check = counted.check
    counting = set(check.table.column(STATION).filter(check.accepted).to_pylist())
    totals: dict[str, dict[int, int]] = {}
    for row in rows:
        if row.station_id is None or row.station_id in counting:
            party = totals.setdefault(row.party_id, {})
            party[row.rank] = party.get(row.rank, 0) + row.votes
    return totals


def unused_preferences(inputs: ElectionInputs, laws: Mapping[str, Law]) -> list[tuple[str, Note]]:
    """A note for each list contest whose preference votes do not count: its chamber's law
    has closed lists."""
    found: list[tuple[str, Note]] = []
    contests = sorted({p.contest_id for p in inputs.preferences})
    for contest_id in contests:
        contest = inputs.election.contest_by_id.get(contest_id)
        law = laws.get(contest.chamber) if contest is not None else None
        if law is None or open_lists(law):
            continue
        rows = sum(p.contest_id == contest_id for p in inputs.preferences)
        text = Said(
            N_(
                "%(rows)s row(s) of preference votes for %(contest)s were not used: the law "
                "%(law)s has closed lists (list_tier.preferences is not set or its rule is none)"
            ),
            rows=rows,
            contest=contest_id,
            law=law.id,
        )
        found.append((contest_id, Note("unused", text)))
    return found
