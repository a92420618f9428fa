"""A client key belongs to its user: unique per (user, key), no longer across all users.

Before, `protocol_entries.client_key` was unique over every user, so another user's request
with a key already used was answered as a replay of the first user's protocol (another
commission's, figures and all), or stored nothing. Now a key is unique per user: another
user's key is a new request. Blind double entry and the second person of a resolution need
no column of their own: the entry copies and the audit trail already say who entered what.

The election's plausibility setting (`election.plausibility`, canonical JSON or NULL): the
most voters a station's list holds, the margin over it, and whether a protocol beyond it is
rejected or flagged; and each station's own voters on the list (`station_voters`), as the
registry of voters gives them (`service.plausible`).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The key unique per user; the election's plausibility setting."""
    with op.batch_alter_table("protocol_entries", schema=None) as batch_op:
        batch_op.drop_constraint("uq_protocol_entries_client_key", type_="unique")
        batch_op.create_unique_constraint(
            "uq_protocol_entries_entered_by", ["entered_by", "client_key"]
        )
    with op.batch_alter_table("election", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plausibility", sa.Text(), nullable=True))
    op.create_table(
        "station_voters",
        sa.Column("station_id", sa.String(length=100), nullable=False),
        sa.Column("voters", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("voters >= 0", name=op.f("ck_station_voters_voters")),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.station_id"],
            name=op.f("fk_station_voters_station_id_stations"),
        ),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_station_voters")),
    )


def downgrade() -> None:
    """The key unique over every user again (fails where two users share a key)."""
    op.drop_table("station_voters")
    with op.batch_alter_table("election", schema=None) as batch_op:
        batch_op.drop_column("plausibility")
    with op.batch_alter_table("protocol_entries", schema=None) as batch_op:
        batch_op.drop_constraint("uq_protocol_entries_entered_by", type_="unique")
        batch_op.create_unique_constraint("uq_protocol_entries_client_key", ["client_key"])
