"""past_results: checks done before JointCheck, imported from a results file

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create past_results."""
    op.create_table(
        "past_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("plan_name", sa.String(200), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("categories", sa.String(200), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", models.base.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_past_results_enterprise_id", "past_results", ["enterprise_id"])
    op.create_index("ix_past_results_checked_on", "past_results", ["checked_on"])


def downgrade() -> None:
    """Drop past_results."""
    op.drop_index("ix_past_results_checked_on", table_name="past_results")
    op.drop_index("ix_past_results_enterprise_id", table_name="past_results")
    op.drop_table("past_results")
