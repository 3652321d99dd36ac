"""The field check as the law records it, and documents: check points, checklist answers,
visits, signature links and signatures, enterprise coordinates, generated documents.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    """Create the tables and the enterprises' coordinates."""
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Double(), nullable=True))
    op.create_table(
        "check_points",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.UniqueConstraint("item_id", "seq", name="uq_check_points_item_id_seq"),
    )
    op.create_index("ix_check_points_item_id", "check_points", ["item_id"])
    op.create_table(
        "checklist_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "result_id", sa.Integer(), sa.ForeignKey("inspection_results.id"), nullable=False
        ),
        sa.Column("check_point_id", sa.Integer(), sa.ForeignKey("check_points.id"), nullable=False),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("problem_id", sa.Integer(), sa.ForeignKey("problems.id"), nullable=True),
        sa.Column("answered_at", _TIME, nullable=False),
        sa.Column("answered_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.UniqueConstraint(
            "result_id", "check_point_id", name="uq_checklist_answers_result_id_check_point_id"
        ),
    )
    op.create_index("ix_checklist_answers_result_id", "checklist_answers", ["result_id"])
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assignment_id", sa.Integer(), sa.ForeignKey("assignments.id"), nullable=False),
        sa.Column("started_at", _TIME, nullable=True),
        sa.Column("ended_at", _TIME, nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("location_source", sa.String(16), nullable=True),
        sa.Column("location_at", _TIME, nullable=True),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("certificates_shown", sa.Boolean(), nullable=True),
        sa.Column("recusal_explained", sa.Boolean(), nullable=True),
        sa.Column("recusal_answer", sa.Text(), nullable=True),
        sa.UniqueConstraint("assignment_id", name="uq_visits_assignment_id"),
    )
    op.create_table(
        "signature_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visits.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("signer", sa.String(100), nullable=False),
        sa.Column("inspector_id", sa.Integer(), sa.ForeignKey("inspectors.id"), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.Column("used_at", _TIME, nullable=True),
        sa.UniqueConstraint("token_sha256", name="uq_signature_links_token_sha256"),
    )
    op.create_index("ix_signature_links_visit_id", "signature_links", ["visit_id"])
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visits.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("signer", sa.String(100), nullable=False),
        sa.Column("inspector_id", sa.Integer(), sa.ForeignKey("inspectors.id"), nullable=True),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), sa.ForeignKey("evidence_files.id"), nullable=True),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("signed_at", _TIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_signatures_visit_id", "signatures", ["visit_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("number", sa.String(100), nullable=True),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("departments.id"), nullable=True),
        sa.Column("issued_on", _TIME, nullable=False),
        sa.Column("verify_code", sa.String(32), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("stored_path", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("replaced_at", _TIME, nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.UniqueConstraint(
            "kind",
            "subject_id",
            "version",
            "format",
            name="uq_documents_kind_subject_id_version_format",
        ),
    )
    op.create_index("ix_documents_verify_code", "documents", ["verify_code"])


def downgrade() -> None:
    """Drop what 0013 added."""
    for table in (
        "documents",
        "signatures",
        "signature_links",
        "visits",
        "checklist_answers",
        "check_points",
    ):
        op.drop_table(table)
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("longitude")
        batch.drop_column("latitude")
