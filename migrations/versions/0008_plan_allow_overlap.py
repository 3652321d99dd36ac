"""plans may allow enterprises drawn by another plan with an overlapping window

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add plans.allow_overlap (false: such enterprises are left out, `in_open_plan`)."""
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("allow_overlap", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Drop plans.allow_overlap."""
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("allow_overlap")
