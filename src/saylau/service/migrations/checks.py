"""What more than one migration does: a table's check constraint replaced by another."""

from __future__ import annotations

from alembic import op


def replace_check(table: str, name: str, condition: str) -> None:
    """The check `ck_<table>_<name>` of `table` now holds `condition` (SQLite: the table is
    copied by batch mode, its rows with it)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)
