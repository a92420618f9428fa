"""The first tables: registry, protocols, totals, stages, accounts, audit.

The audit chain starts from its head at seq 0, whose hash is 64 zeros.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("before_hash", sa.String(length=64), nullable=False),
        sa.Column("after_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_audit_seq")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_target"), ["target"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_one_head")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "contests",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("chamber", sa.String(length=100), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("district_id", sa.String(length=100), nullable=True),
        sa.Column("territory_id", sa.String(length=100), nullable=True),
        sa.Column("replaces", sa.String(length=100), nullable=True),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "tier IN ('list', 'district', 'new_voting', 'college')", name=op.f("ck_contests_tier")
        ),
        sa.CheckConstraint("rounds >= 1", name=op.f("ck_contests_rounds")),
        sa.PrimaryKeyConstraint("contest_id", name=op.f("pk_contests")),
    )
    op.create_table(
        "election",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("chambers", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_election_one_election")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election")),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_address"), ["address"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_username"), ["username"], unique=False)

    op.create_table(
        "staging_stations",
        sa.Column("station_id", sa.String(length=100), nullable=False),
        sa.Column("district_id", sa.String(length=100), nullable=False),
        sa.Column("territory_id", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_staging_stations")),
    )
    op.create_table(
        "territories",
        sa.Column("territory_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("territory_id", name=op.f("pk_territories")),
    )
    op.create_table(
        "totals",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("area_id", sa.String(length=100), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "level IN ('district', 'territory', 'nation')", name=op.f("ck_totals_level")
        ),
        sa.PrimaryKeyConstraint(
            "contest_id", "round", "level", "area_id", "item", name=op.f("pk_totals")
        ),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("commission_id", sa.String(length=120), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "(role IN ('operator', 'supervisor')) = (commission_id IS NOT NULL)",
            name=op.f("ck_users_scoped_roles_have_a_commission"),
        ),
        sa.CheckConstraint(
            "role IN ('administrator', 'operator', 'supervisor', 'observer')",
            name=op.f("ck_users_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "districts",
        sa.Column("district_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("territory_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.territory_id"],
            name=op.f("fk_districts_territory_id_territories"),
        ),
        sa.PrimaryKeyConstraint("district_id", name=op.f("pk_districts")),
    )
    op.create_table(
        "entries",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("nominator", sa.String(length=100), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contests.contest_id"], name=op.f("fk_entries_contest_id_contests")
        ),
        sa.PrimaryKeyConstraint("contest_id", "entry_id", name=op.f("pk_entries")),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("expires_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "stages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chamber", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "action IN ('close_round', 'schedule_runoffs', 'order_new_voting', 'publish')",
            name=op.f("ck_stages_action"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_stages_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stages")),
    )
    op.create_table(
        "results",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stages.id"], name=op.f("fk_results_stage_id_stages")
        ),
        sa.PrimaryKeyConstraint("contest_id", "round", name=op.f("pk_results")),
    )
    op.create_table(
        "stations",
        sa.Column("station_id", sa.String(length=100), nullable=False),
        sa.Column("district_id", sa.String(length=100), nullable=False),
        sa.Column("territory_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["districts.district_id"],
            name=op.f("fk_stations_district_id_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.territory_id"],
            name=op.f("fk_stations_territory_id_territories"),
        ),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_stations")),
    )
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stations_district_id"), ["district_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stations_territory_id"), ["territory_id"], unique=False
        )

    op.create_table(
        "protocols",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(length=100), nullable=False),
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "NOT counted OR status = 'accepted'", name=op.f("ck_protocols_only_accepted_count")
        ),
        sa.CheckConstraint(
            "status IN ('entered', 'verified', 'accepted', 'rejected', 'mismatch', 'superseded')",
            name=op.f("ck_protocols_status"),
        ),
        sa.CheckConstraint("round >= 1", name=op.f("ck_protocols_round")),
        sa.CheckConstraint(
            "version = 1 OR reason IS NOT NULL", name=op.f("ck_protocols_a_correction_has_a_reason")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_protocols_version")),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contests.contest_id"], name=op.f("fk_protocols_contest_id_contests")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_protocols_entered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_protocols_resolved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.station_id"], name=op.f("fk_protocols_station_id_stations")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by"], ["users.id"], name=op.f("fk_protocols_verified_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocols")),
        sa.UniqueConstraint("station_id", "contest_id", "round", "version", name="one_version"),
    )
    with op.batch_alter_table("protocols", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protocols_contest_id"), ["contest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_protocols_station_id"), ["station_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_protocols_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_protocols_counted",
            ["station_id", "contest_id", "round"],
            unique=True,
            sqlite_where=sa.text("counted"),
            postgresql_where=sa.text("counted"),
        )

    op.create_table(
        "protocol_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "kind IN ('first', 'second', 'resolution')", name=op.f("ck_protocol_entries_kind")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_protocol_entries_entered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["protocol_id"],
            ["protocols.id"],
            name=op.f("fk_protocol_entries_protocol_id_protocols"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_entries")),
        sa.UniqueConstraint("client_key", name=op.f("uq_protocol_entries_client_key")),
    )
    with op.batch_alter_table("protocol_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_protocol_entries_protocol_id"), ["protocol_id"], unique=False
        )
    head = sa.table(
        "audit_head",
        sa.column("id", sa.Integer()),
        sa.column("seq", sa.BigInteger()),
        sa.column("hash", sa.String()),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])


def downgrade() -> None:
    with op.batch_alter_table("protocol_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_protocol_entries_protocol_id"))

    op.drop_table("protocol_entries")
    with op.batch_alter_table("protocols", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_protocols_counted",
            sqlite_where=sa.text("counted"),
            postgresql_where=sa.text("counted"),
        )
        batch_op.drop_index(batch_op.f("ix_protocols_status"))
        batch_op.drop_index(batch_op.f("ix_protocols_station_id"))
        batch_op.drop_index(batch_op.f("ix_protocols_contest_id"))

    op.drop_table("protocols")
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stations_territory_id"))
        batch_op.drop_index(batch_op.f("ix_stations_district_id"))

    op.drop_table("stations")
    op.drop_table("results")
    op.drop_table("stages")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_user_id"))

    op.drop_table("sessions")
    op.drop_table("entries")
    op.drop_table("districts")
    op.drop_table("users")
    op.drop_table("totals")
    op.drop_table("territories")
    op.drop_table("staging_stations")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_username"))
        batch_op.drop_index(batch_op.f("ix_login_failures_at"))
        batch_op.drop_index(batch_op.f("ix_login_failures_address"))

    op.drop_table("login_failures")
    op.drop_table("election")
    op.drop_table("contests")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_target"))

    op.drop_table("audit")
