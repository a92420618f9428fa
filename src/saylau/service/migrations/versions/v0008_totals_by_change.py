"""The live totals' changes wait in `totals_pending` as the changes themselves: each row
holds a JSON list of changes, each a contest, a round, the areas a station counts in
(`[level, area]`: its district, its territory, the nation) and what it adds to each item
there (`{"item": value}`). The deferred trigger of migration 0002 now spreads each change
over its areas and adds up, inside the server, what several changes in one row add to the
same total, then adds it to `totals` in the same fixed order of rows as before, so two
commits never deadlock. The application no longer writes a row of JSON for every total
each change touches.

The totals' pages also keep half their room free (`fillfactor`), so that a total's new
value goes in beside the old one, its index left as it is (a heap-only update): every
commit rewrites the same nation and territory totals while holding them. Pages already
full take it on as they are rewritten.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from saylau.service.migrations.versions.v0002_sealed_at_commit import SEAL_TOTALS

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BY_CHANGE = """
CREATE OR REPLACE FUNCTION saylau_seal_totals() RETURNS trigger LANGUAGE plpgsql
SET jit = off AS $$
BEGIN
    INSERT INTO totals AS t (contest_id, round, level, area_id, item, value)
    SELECT c.contest_id, c.round, a.value ->> 0, a.value ->> 1, i.key, sum(i.value::bigint)
    FROM json_to_recordset(NEW.delta::json)
            AS c(contest_id text, round integer, areas json, items json),
        json_array_elements(c.areas) AS a,
        json_each_text(c.items) AS i
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (contest_id, round, level, area_id, item)
    DO UPDATE SET value = t.value + EXCLUDED.value;
    DELETE FROM totals_pending WHERE id = NEW.id;
    RETURN NULL;
END
$$
"""
"""The planner, blind to how few changes a row holds, would compile each commit's query
(`jit`): far longer than the query takes."""

BY_TOTAL = SEAL_TOTALS.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
"""Migration 0002's function: one JSON row for each total a change touches."""


FILLFACTOR = 50
"""The share of each page of `totals` filled by inserts; the rest waits for updates."""


def upgrade() -> None:
    """The trigger's function reads changes, and the totals keep room for updates (SQLite
    has neither: nothing to do)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BY_CHANGE)
        op.execute(f"ALTER TABLE totals SET (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BY_TOTAL)
        op.execute("ALTER FUNCTION saylau_seal_totals() RESET jit")
        op.execute("ALTER TABLE totals RESET (fillfactor)")
