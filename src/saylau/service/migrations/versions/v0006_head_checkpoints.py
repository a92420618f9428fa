"""Checkpoints of the chain's head: `audit_checkpoints.kind` says whether a checkpoint is a
verification's (`verification`: the head it found and the result) or a head the running
service signed on its timer (`head`: no verification made), so that entries deleted from
the end of the chain are named once a signed checkpoint covers them.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Every checkpoint kept so far was a verification's."""
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="verification")
        )


def downgrade() -> None:
    """The heads signed on the timer go with the column."""
    op.execute("DELETE FROM audit_checkpoints WHERE kind <> 'verification'")
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_column("kind")
