"""audit entries record how their hash was made

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add audit_log.scheme; every entry written so far was hashed with plain SHA-256."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scheme", sa.String(length=16), nullable=False, server_default="sha256")
        )
    # The default only labels the existing rows; new rows always name their scheme.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("scheme", server_default=None)


def downgrade() -> None:
    """Drop audit_log.scheme (keyed entries then no longer verify: keep the key)."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("scheme")
