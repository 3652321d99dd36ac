"""The annual joint plan (年度联合抽查计划): a numbered document whose rows become plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class AnnualPlan(Base):
    """A year's joint plan as filed with the level above."""

    __tablename__ = "annual_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    doc_number: Mapped[str] = mapped_column(String(100), unique=True)  # 发文文号
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(255))  # the imported file's name
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AnnualPlanRow(Base):
    """One row of the annual plan: an item, its departments, ratio, frequency and window."""

    __tablename__ = "annual_plan_rows"
    __table_args__ = (UniqueConstraint("annual_plan_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annual_plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id"), index=True)
    seq: Mapped[int]
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    initiating_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    cooperating: Mapped[list[Any]] = mapped_column(default=list)  # department codes
    ratio: Mapped[str | None] = mapped_column(String(16))
    frequency: Mapped[str | None] = mapped_column(String(100))
    quarter: Mapped[int | None]  # 1..4, or None when a window is given
    window_start: Mapped[date | None]
    window_end: Mapped[date | None]
