"""The nation's live totals are no longer rows of their own: they are its districts' added
up when read (`live.area_totals`), since every station lies in exactly one district. Each
commit had rewritten the nation's rows, and held them from its totals' trigger to its end,
so that every other commit waited for them. The rows go, and the totals' check names only
the levels kept.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BEFORE = "level IN ('district', 'territory', 'nation')"
AFTER = "level IN ('district', 'territory')"

SUMMED = (
    "INSERT INTO totals (contest_id, round, level, area_id, item, value) "
    "SELECT contest_id, round, 'nation', 'nation', item, sum(value) FROM totals "
    "WHERE level = 'district' GROUP BY contest_id, round, item"
)
"""The nation's rows, as the districts' add up to them."""


def upgrade() -> None:
    """The nation's rows deleted, and the check keeps them out (SQLite: batch mode)."""
    op.execute("DELETE FROM totals WHERE level = 'nation'")
    with op.batch_alter_table("totals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_totals_level"), type_="check")
        batch_op.create_check_constraint(op.f("ck_totals_level"), AFTER)


def downgrade() -> None:
    """The nation's rows again, each its districts' sum, as 0008 kept them."""
    with op.batch_alter_table("totals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_totals_level"), type_="check")
        batch_op.create_check_constraint(op.f("ck_totals_level"), BEFORE)
    op.execute(SUMMED)
