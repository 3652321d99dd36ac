"""Field records: results, problems, orders to correct, cases, clues and evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ResultCategory(Base):
    """A result category of the coded tree (1 未发现问题, A 发现问题待后续处理 > B ...).

    `code` is JointCheck's stable key; `platform_code`, the names, the parent and the rule
    come from the result-codes file (the default or the province's `RESULT_CODES_FILE`).
    """

    __tablename__ = "result_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    sort: Mapped[int]
    platform_code: Mapped[str | None] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("result_categories.id"))
    rule: Mapped[str | None] = mapped_column(String(16))  # exclusive / terminal / None
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class InspectionResult(Base):
    """One department's part of a joint check, with its review and publication lifecycle.

    谁检查、谁录入、谁公开: each department whose items apply records, reviews and publishes
    its own part under its own name (the implementing authority); the visit is shared.
    """

    __tablename__ = "inspection_results"
    __table_args__ = (UniqueConstraint("assignment_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    # not_entered / draft / awaiting_review / returned / approved / published
    status: Mapped[str] = mapped_column(String(16), default="not_entered")
    checked_on: Mapped[date | None] = mapped_column(index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    publish_due: Mapped[date | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    # How many times the part was published: 2 and more are corrections (更正).
    publication: Mapped[int] = mapped_column(default=0, server_default="0")
    corrected_on: Mapped[date | None]


class ResultCategoryLink(Base):
    """A category carried by a result (one result may carry several)."""

    __tablename__ = "result_category_links"

    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("result_categories.id"), primary_key=True)


class Problem(Base):
    """A problem found during a check."""

    __tablename__ = "problems"
    # Summaries count problems by date; the result id makes that count index-only.
    __table_args__ = (Index("ix_problems_found_on_result", "found_on", "result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    description: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    found_on: Mapped[date]


class RectificationNotice(Base):
    """An order to correct (责令整改通知书) with its deadline and re-inspection."""

    __tablename__ = "rectification_notices"
    __table_args__ = (
        Index("ix_rectification_notices_issued_on", "issued_on"),
        Index("ix_rectification_notices_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id"))
    number: Mapped[str] = mapped_column(String(100), unique=True)
    issued_on: Mapped[date]
    deadline: Mapped[date]
    # open / corrected / extended / not_corrected / case_filed
    status: Mapped[str] = mapped_column(String(16), default="open")
    reinspected_on: Mapped[date | None]
    corrected_on: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)


class Case(Base):
    """A filed case (立案查处), decided within 90 days of filing."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_filed_on", "filed_on"),
        Index("ix_cases_status_decision_due", "status", "decision_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    filed_on: Mapped[date]
    decision_due: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / closed
    closed_on: Mapped[date | None]
    decision: Mapped[str | None] = mapped_column(Text)


class ClueTransfer(Base):
    """A clue transferred to another department."""

    __tablename__ = "clue_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    description: Mapped[str] = mapped_column(Text)
    transferred_on: Mapped[date]


class EvidenceFile(Base):
    """A photo or file kept as evidence; our copy, never only the platform's file id."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_results.id"))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    mime: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str | None] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))
    platform_file_id: Mapped[str | None] = mapped_column(String(255))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class PastResult(Base):
    """A check done before JointCheck, imported from a results file (no draw behind it)."""

    __tablename__ = "past_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    plan_name: Mapped[str] = mapped_column(String(200))
    checked_on: Mapped[date] = mapped_column(index=True)
    categories: Mapped[str] = mapped_column(String(200))  # category codes, comma-separated
    problems: Mapped[int]
    notices: Mapped[int]
    cases: Mapped[int]
    source: Mapped[str] = mapped_column(String(255))  # the file's name
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
