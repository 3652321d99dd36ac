"""departments may number their orders to correct by a pattern of their own

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add departments.notice_pattern (NULL: the configured default pattern)."""
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_pattern", sa.String(length=100), nullable=True))


def downgrade() -> None:
    """Drop departments.notice_pattern."""
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("notice_pattern")
