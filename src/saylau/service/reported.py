"""What the public pages read from the database: the stations of each district, the live
totals of every contest's round by district, the new votings ordered, and when the count
last moved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.service.live import as_totals
from saylau.service.models import AuditHead, AuditRow, StageRow, StationRow, TotalRow
from saylau.service.standing import Reporting
from saylau.tabulate.totals import LineTotals

Key = tuple[str, int]
"""(contest, round)."""


@dataclass
class Counts:
    """Stations per district, and the live items of every district-level total."""

    stations: dict[str, int]
    territory_of: dict[str, str]
    items: dict[Key, dict[str, dict[str, int]]] = field(default_factory=dict)
    """(contest, round) -> district -> item -> value."""

    def counted(self, key: Key, district: str) -> int:
        return self.items.get(key, {}).get(district, {}).get("protocols", 0)

    def reporting(self, key: Key, district: str) -> Reporting:
        return Reporting(self.counted(key, district), self.stations.get(district, 0))

    def totals(self, key: Key, districts: list[str], entries: list[str]) -> LineTotals:
        """The live totals of a contest's round over some districts."""
        summed_items: dict[str, int] = {}
        for district in districts:
            for item, value in self.items.get(key, {}).get(district, {}).items():
                summed_items[item] = summed_items.get(item, 0) + value
        return as_totals(summed_items, entries)


def counts(session: Session) -> Counts:
    rows = session.execute(
        select(StationRow.district_id, StationRow.territory_id, func.count()).group_by(
            StationRow.district_id, StationRow.territory_id
        )
    )
    found = Counts({}, {})
    for district, territory, n in rows:
        found.stations[district] = found.stations.get(district, 0) + int(n)
        found.territory_of[district] = territory
    query = select(
        TotalRow.contest_id, TotalRow.round, TotalRow.area_id, TotalRow.item, TotalRow.value
    ).where(TotalRow.level == "district")
    for contest, round, area, item, value in session.execute(query):
        found.items.setdefault((contest, round), {}).setdefault(area, {})[item] = value
    return found


def updated_at(session: Session) -> str | None:
    """When the count last moved: the time of the audit chain's last entry (UTC, ISO)."""
    head = session.get(AuditHead, 1)
    if head is None or not head.seq:
        return None
    return session.scalar(select(AuditRow.at).where(AuditRow.seq == head.seq))


def ordered(session: Session) -> set[str]:
    """The new votings ordered so far."""
    query = select(StageRow.detail).where(StageRow.action == "order_new_voting")
    return {json.loads(detail)["new_contest_id"] for detail in session.scalars(query)}
