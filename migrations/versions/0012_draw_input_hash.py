"""draws.input_hash: the published hash of every input of the draw (record format 3)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add draws.input_hash (null for draws frozen before it: records of format 1 or 2)."""
    with op.batch_alter_table("draws", schema=None) as batch_op:
        batch_op.add_column(sa.Column("input_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop draws.input_hash."""
    with op.batch_alter_table("draws", schema=None) as batch_op:
        batch_op.drop_column("input_hash")
