"""The territories' and the nation's live totals are summed from the districts' when read
(`live.area_totals`), no longer kept as rows of their own: nearly every commit had
rewritten the nation's rows and a territory's, and held them from its totals' trigger to
its end, so that other commits waited for them. Every station lies in one district, so the
nation's are all the districts'. A territory's are those of its districts that lie wholly
in it, and its own rows for the stations of the districts that do not (a district with a
station outside its own territory: `election.spread_districts`), which alone now count in
a territory as well (`live.areas_of`). The nation's rows go; a territory's rows keep only
what those stations add. The totals' check names only the levels kept.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

from saylau.service.migrations.checks import replace_check

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BEFORE = "level IN ('district', 'territory', 'nation')"
AFTER = "level IN ('district', 'territory')"

SPREAD = (
    "SELECT s.district_id FROM stations s JOIN districts d ON d.district_id = s.district_id "
    "WHERE s.territory_id <> d.territory_id"
)
"""The districts with a station outside their own territory."""

INSIDE = (
    "FROM totals x JOIN districts d ON d.district_id = x.area_id "
    f"WHERE x.level = 'district' AND x.area_id NOT IN ({SPREAD})"
)
"""The rows of the districts that lie wholly in their territory (`d`)."""

OWN_ONLY = (
    "UPDATE totals SET value = value - (SELECT coalesce(sum(x.value), 0) "
    f"{INSIDE} AND x.contest_id = totals.contest_id AND x.round = totals.round "
    "AND x.item = totals.item AND d.territory_id = totals.area_id) WHERE level = 'territory'"
)
"""A territory's rows less what its districts that lie wholly in it add."""

NO_OWN = (
    "DELETE FROM totals WHERE level = 'territory' AND area_id NOT IN "
    f"(SELECT s.territory_id FROM stations s WHERE s.district_id IN ({SPREAD}))"
)
"""The rows of a territory that no station of a district outside it counts in."""

WHOLE = (
    "INSERT INTO totals (contest_id, round, level, area_id, item, value) "
    f"SELECT x.contest_id, x.round, 'territory', d.territory_id, x.item, sum(x.value) {INSIDE} "
    "GROUP BY x.contest_id, x.round, d.territory_id, x.item "
    "ON CONFLICT (contest_id, round, level, area_id, item) "
    "DO UPDATE SET value = totals.value + excluded.value"
)
"""Each territory's rows with its districts that lie wholly in it added back."""

NATION = (
    "INSERT INTO totals (contest_id, round, level, area_id, item, value) "
    "SELECT contest_id, round, 'nation', 'nation', item, sum(value) FROM totals "
    "WHERE level = 'district' GROUP BY contest_id, round, item"
)
"""The nation's rows, as the districts' add up to them."""


def upgrade() -> None:
    """The nation's rows deleted, the territories' left with what only they hold, and the
    check keeps the nation's out (SQLite: batch mode)."""
    op.execute("DELETE FROM totals WHERE level = 'nation'")
    op.execute(OWN_ONLY)
    op.execute(NO_OWN)
    replace_check("totals", "level", AFTER)


def downgrade() -> None:
    """Every territory's and the nation's rows whole again, as 0008 kept them."""
    replace_check("totals", "level", BEFORE)
    op.execute(WHOLE)
    op.execute(NATION)
