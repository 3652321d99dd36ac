"""platform accounts remember when they were last seen

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add platform_accounts.last_seen_at; an account bound earlier was last seen binding."""
    with op.batch_alter_table("platform_accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_seen_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE platform_accounts SET last_seen_at = bound_at")


def downgrade() -> None:
    """Drop platform_accounts.last_seen_at."""
    with op.batch_alter_table("platform_accounts", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
