"""Tamper evidence: every audit entry carries the audit key's signature, and signed
checkpoints of the chain are kept.

`audit.signature` and `audit_pending.signature` hold the Ed25519 signature (hex) of the
entry's content hash, made by the application with the key file it holds outside the
database (`service/signing.py`). On PostgreSQL the deferred trigger of migration 0002 is
replaced by one that carries the signature over as it seals the entry: it still gives the
seq and the link, and it cannot sign, so an entry inserted by SQL is sealed unsigned and
verification names it. `audit_checkpoints` keeps each verification's head (seq, hash), time
and result, signed by the same key: verification starts from the last valid one.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEAL_AUDIT = """
CREATE OR REPLACE FUNCTION saylau_seal_audit() RETURNS trigger LANGUAGE plpgsql AS $$
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
                       prev_hash, hash, signature)
    VALUES (head_seq, NEW.at, NEW.actor, NEW.action, NEW.target, NEW.detail,
            NEW.before_hash, NEW.after_hash, head_hash, link, NEW.signature);
    UPDATE audit_head SET seq = head_seq, hash = link WHERE id = 1;
    DELETE FROM audit_pending WHERE id = NEW.id;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("signature", sa.String(length=128), nullable=True))
    with op.batch_alter_table("audit_pending") as batch:
        batch.add_column(sa.Column("signature", sa.String(length=128), nullable=True))
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("first_problem", sa.Text(), nullable=True),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SEAL_AUDIT)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        from saylau.service.migrations.versions.v0002_sealed_at_commit import (
            SEAL_AUDIT as SEAL_WITHOUT_SIGNATURE,
        )

        op.execute(SEAL_WITHOUT_SIGNATURE.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    op.drop_table("audit_checkpoints")
    with op.batch_alter_table("audit_pending") as batch:
        batch.drop_column("signature")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("signature")
