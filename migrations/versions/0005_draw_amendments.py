"""draw amendments: cancelled assignments, substitutions and supplementary draws

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the cancellation of single assignments and the draws' amendments."""
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancelled_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("cancelled_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_cancelled_by_users"), "users", ["cancelled_by"], ["id"]
        )

    op.create_table(
        "draw_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("seed_hex", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_draw_amendments_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["draws.id"], name=op.f("fk_draw_amendments_draw_id_draws")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_amendments")),
        sa.UniqueConstraint("draw_id", "seq", name=op.f("uq_draw_amendments_draw_id_seq")),
    )
    with op.batch_alter_table("draw_amendments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draw_amendments_draw_id"), ["draw_id"], unique=False)


def downgrade() -> None:
    """Drop the amendments and the cancellation columns."""
    with op.batch_alter_table("draw_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draw_amendments_draw_id"))
    op.drop_table("draw_amendments")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assignments_cancelled_by_users"), type_="foreignkey"
        )
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_by")
        batch_op.drop_column("cancelled_at")
