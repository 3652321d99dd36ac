"""The field check as the law records it: check points, answers, the visit, signatures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CheckPoint(Base):
    """One check point of an item (检查内容, 检查方法与要领, 检查依据), in the item's order."""

    __tablename__ = "check_points"
    __table_args__ = (UniqueConstraint("item_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    seq: Mapped[int]
    content: Mapped[str] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)


class ChecklistAnswer(Base):
    """A department part's answer to one check point: 符合 / 不符合 / 未检查 / 合理缺项."""

    __tablename__ = "checklist_answers"
    __table_args__ = (UniqueConstraint("result_id", "check_point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    check_point_id: Mapped[int] = mapped_column(ForeignKey("check_points.id"))
    # conform / nonconform / unchecked / not_applicable
    answer: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id"))
    answered_at: Mapped[datetime]
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Visit(Base):
    """The visit every department of a joint check shares: when, where, who was there."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    location_source: Mapped[str | None] = mapped_column(String(16))  # telegram/wecom/console
    location_at: Mapped[datetime | None]
    # [{"name": ..., "post": ...}] for the enterprise's people present
    attendees: Mapped[list[Any]] = mapped_column(default=list)
    certificates_shown: Mapped[bool | None]
    recusal_explained: Mapped[bool | None]
    recusal_answer: Mapped[str | None] = mapped_column(Text)


class SignatureLink(Base):
    """A one-time link to the signature page, bound to one visit and one signer."""

    __tablename__ = "signature_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # inspected / witness / officer
    signer: Mapped[str] = mapped_column(String(100))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Signature(Base):
    """A signature (or a refusal to sign, with its reason) of the on-site record."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # inspected / witness / officer
    signer: Mapped[str] = mapped_column(String(100))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))
    refused: Mapped[bool] = mapped_column(default=False)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    # What was signed: the SHA-256 of the record's content at that moment.
    content_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="current")  # current/superseded


class Document(Base):
    """A generated official document, stored once per version with its hash."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "version", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # notice / onsite / order / service / annual
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]  # assignment, part, notice or year, by kind
    version: Mapped[int]
    format: Mapped[str] = mapped_column(String(8))  # pdf / docx
    number: Mapped[str | None] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    issued_on: Mapped[datetime]
    # The short code printed under the QR code; the public page finds the document by it.
    verify_code: Mapped[str] = mapped_column(String(32), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))  # of the record's content
    file_sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="current")  # current/replaced
    replaced_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
