"""Writers meet only inside COMMIT: on PostgreSQL the audit chain and the live totals are
sealed by deferred triggers.

A writing transaction leaves its audit entries in `audit_pending` (each with the hash of its
content) and its changes to the live totals in `totals_pending` (one row of JSON per
accepted or withdrawn protocol). Two DEFERRABLE INITIALLY DEFERRED constraint triggers run
at COMMIT, inside the server: the first adds the changes to `totals` (in one fixed order of
rows, so two commits never deadlock), the second locks the chain head, gives the entry its
seq, links it (`hash = sha256(prev_hash ":" seq ":" content_hash)`) and moves it into
`audit`. The rows every writer shares are thus locked only for the last microseconds of a
commit, never while the application computes. Nothing is committed unsealed: the seal is
part of the same commit. SQLite serializes whole write transactions, so there the
application seals the entry itself, by the same formula.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEAL_TOTALS = """
CREATE FUNCTION saylau_seal_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO totals AS t (contest_id, round, level, area_id, item, value)
    SELECT x.contest_id, x.round, x.level, x.area_id, x.item, x.value
    FROM json_to_recordset(NEW.delta::json)
        AS x(contest_id text, round integer, level text, area_id text, item text, value bigint)
    ORDER BY x.contest_id, x.round, x.level, x.area_id, x.item
    ON CONFLICT (contest_id, round, level, area_id, item)
    DO UPDATE SET value = t.value + EXCLUDED.value;
    DELETE FROM totals_pending WHERE id = NEW.id;
    RETURN NULL;
END
$$
"""

SEAL_AUDIT = """
CREATE FUNCTION saylau_seal_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    link text;
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM audit_head WHERE id = 1 FOR UPDATE;
    head_seq := head_seq + 1;
    link := encode(
        sha256(convert_to(head_hash || ':' || head_seq::text || ':' || NEW.content_hash, 'UTF8')),
        'hex'
    );
    INSERT INTO audit (seq, at, actor, action, target, detail, before_hash, after_hash,
                       prev_hash, hash)
    VALUES (head_seq, NEW.at, NEW.actor, NEW.action, NEW.target, NEW.detail,
            NEW.before_hash, NEW.after_hash, head_hash, link);
    UPDATE audit_head SET seq = head_seq, hash = link WHERE id = 1;
    DELETE FROM audit_pending WHERE id = NEW.id;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "audit_pending",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("before_hash", sa.String(length=64), nullable=False),
        sa.Column("after_hash", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_pending")),
    )
    op.create_table(
        "totals_pending",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("delta", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_totals_pending")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SEAL_TOTALS)
    op.execute(SEAL_AUDIT)
    op.execute(
        "CREATE CONSTRAINT TRIGGER seal_totals AFTER INSERT ON totals_pending "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION saylau_seal_totals()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER seal_audit AFTER INSERT ON audit_pending "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION saylau_seal_audit()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER seal_audit ON audit_pending")
        op.execute("DROP TRIGGER seal_totals ON totals_pending")
        op.execute("DROP FUNCTION saylau_seal_audit()")
        op.execute("DROP FUNCTION saylau_seal_totals()")
    op.drop_table("totals_pending")
    op.drop_table("audit_pending")
