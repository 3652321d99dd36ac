"""One list, two directories (一单两库): departments, joint items, enterprises, inspectors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Department(Base):
    """A member unit of the joint meeting (市场监管局, 公安局, ...)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Its own number pattern for orders to correct (卫健 are not 乐市监责改); None: the
    # configured default.
    notice_pattern: Mapped[str | None] = mapped_column(String(100))


class Item(Base):
    """An entry of the joint spot-check item list (抽查事项清单)."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sub_item: Mapped[str | None] = mapped_column(String(200))
    legal_basis: Mapped[str | None] = mapped_column(Text)
    initiating_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    # None means the item applies to every kind of object.
    object_type: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="general")  # key / general
    ratio: Mapped[str | None] = mapped_column(String(16))
    frequency: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str | None] = mapped_column(String(100))
    inspector_requirements: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)


class ItemDepartment(Base):
    """A department taking part in an item: its initiator and its cooperating departments."""

    __tablename__ = "item_departments"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # initiating / cooperating


class Enterprise(Base):
    """An inspection object of the object directory (检查对象名录库)."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_rep: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    object_type: Mapped[str | None] = mapped_column(String(100))
    contact_person: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    # Credit-risk class A (low) .. D (high); internal, never published.
    risk_class: Mapped[str] = mapped_column(String(1))
    # active / closed / deregistered / revoked / moved_out
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    last_checked_on: Mapped[date | None]
    updated_at: Mapped[datetime | None]
    # The registered place's coordinates (WGS-84), when the directory carries them.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]


class Inspector(Base):
    """A person of the inspector directory (执法检查人员名录库)."""

    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    cert_no: Mapped[str] = mapped_column(String(64), unique=True)
    cert_expiry: Mapped[date]
    name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    fields: Mapped[list[Any]] = mapped_column(default=list)
    post: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active/on_leave/left
    is_expert: Mapped[bool] = mapped_column(default=False)


class Recusal(Base):
    """A conflict of interest: this inspector is never drawn for this enterprise."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    reason: Mapped[str | None] = mapped_column(String(300))
