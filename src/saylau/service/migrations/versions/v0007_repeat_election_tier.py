"""Repeat elections: `contests.tier` may be `repeat_election`, the contest held in a district
whose voting failed where the law calls one (`district_tier.failed = "repeat_election"`).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from saylau.service.migrations.checks import replace_check

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BEFORE = "tier IN ('list', 'district', 'new_voting', 'college')"
AFTER = "tier IN ('list', 'district', 'new_voting', 'repeat_election', 'college')"


def upgrade() -> None:
    """The tier's check names the new tier (SQLite: the table is copied by batch mode)."""
    replace_check("contests", "tier", AFTER)


def downgrade() -> None:
    """A database holding a repeat election cannot go back: the check would refuse it."""
    replace_check("contests", "tier", BEFORE)
