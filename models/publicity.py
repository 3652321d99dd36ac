"""After publication: published versions, objections and abnormal-operations proposals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ResultVersion(Base):
    """A published version of a department's part, kept when a correction replaces it."""

    __tablename__ = "result_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    number: Mapped[int]  # the part's publication number this content was published as
    published_at: Mapped[datetime]
    corrected_on: Mapped[date | None]
    replaced_at: Mapped[datetime]
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objections.id"))
    content: Mapped[dict[str, Any]] = mapped_column()  # categories, problems, measures


class Objection(Base):
    """An objection to a published part (异议), reviewed within a working-day deadline."""

    __tablename__ = "objections"
    __table_args__ = (Index("ix_objections_status_review_due", "status", "review_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # office / public
    filed_by: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    filed_on: Mapped[date]
    grounds: Mapped[str] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    client_address: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_due: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open/rejected/corrected
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(Text)


class AbnormalProposal(Base):
    """A proposal to list an unreachable enterprise in the abnormal-operations list."""

    __tablename__ = "abnormal_proposals"
    __table_args__ = (Index("ix_abnormal_proposals_status_due", "status", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    proposed_on: Mapped[date]
    due: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open/listed/dropped
    closed_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
