"""The seal triggers' deletes from `audit_pending` and `totals_pending` keep to the primary
key's index (`enable_seqscan = off` on both trigger functions).

Between commits the pending tables are empty. Once a VACUUM has left one empty and cut to
no pages, the planner judges a scan of the whole table cheaper than the index for `DELETE
... WHERE id = NEW.id`, and PL/pgSQL keeps that plan. The table then fills with dead rows
until the next VACUUM, and each seal reads all of them, the audit trigger while it holds
the chain's head, so that every other commit waits.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SEALS = ("saylau_seal_audit", "saylau_seal_totals")
"""The trigger functions of migrations 0002, 0003 and 0008."""


def upgrade() -> None:
    """Both functions plan without sequential scans (SQLite seals in the application:
    nothing to do)."""
    if op.get_bind().dialect.name == "postgresql":
        for seal in SEALS:
            op.execute(f"ALTER FUNCTION {seal}() SET enable_seqscan = off")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for seal in SEALS:
            op.execute(f"ALTER FUNCTION {seal}() RESET enable_seqscan")
