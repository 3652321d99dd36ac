"""Spot-check plans (batches), their draws and the resulting assignments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Plan(Base):
    """A spot-check plan (抽查计划): the items, the population filter and draw parameters."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft/drawn/closed
    districts: Mapped[list[Any]] = mapped_column(default=list)
    industries: Mapped[list[Any]] = mapped_column(default=list)
    object_types: Mapped[list[Any]] = mapped_column(default=list)
    # Sampling ratio per risk class as exact decimal strings, e.g. {"A": "0.01", ...}.
    ratios: Mapped[dict[str, Any]] = mapped_column()
    min_count: Mapped[int] = mapped_column(default=0)
    max_count: Mapped[int | None]
    team_size: Mapped[int] = mapped_column(default=2)
    experts_per_team: Mapped[int] = mapped_column(default=0)
    load_cap: Mapped[int] = mapped_column(default=1)
    recent_window_days: Mapped[int] = mapped_column(default=365)
    # Whether enterprises drawn by another plan with an overlapping window may be drawn.
    allow_overlap: Mapped[bool] = mapped_column(default=False, server_default=false())
    check_start: Mapped[date]
    check_end: Mapped[date]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    # The plan (batch) number the platforms show (计划编号); the row of the annual joint
    # plan it was created from, if any.
    number: Mapped[str | None] = mapped_column(String(64))
    annual_row_id: Mapped[int | None] = mapped_column(ForeignKey("annual_plan_rows.id"))


class PlanItem(Base):
    """An item of the joint list checked in a plan."""

    __tablename__ = "plan_items"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)


class Draw(Base):
    """One draw of a plan: frozen (commitment published), then final, or voided."""

    __tablename__ = "draws"
    __table_args__ = (
        # At most one live (frozen or final) draw per plan, enforced by the database so
        # that two coordinators drawing at once cannot both succeed.
        Index(
            "uq_draws_plan_live",
            "plan_id",
            unique=True,
            sqlite_where=text("status != 'voided'"),
            postgresql_where=text("status != 'voided'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    status: Mapped[str] = mapped_column(String(16))  # frozen / final / voided
    algorithm: Mapped[int] = mapped_column(default=1)
    # The seed stays secret until the draw is final; only its commitment is published.
    seed_hex: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    salt: Mapped[str | None] = mapped_column(String(200))
    enterprise_snapshot: Mapped[str] = mapped_column(String(64))
    inspector_snapshot: Mapped[str] = mapped_column(String(64))
    # SHA-256 of every input (docs/draw-algorithm.md, format 3); null when frozen before it.
    input_hash: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column()
    exclusions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    strata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The frozen eligible lists (compressed JSON), so the record survives directory edits.
    snapshot_blob: Mapped[bytes] = mapped_column(LargeBinary)
    frozen_at: Mapped[datetime]
    frozen_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime | None]
    drawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None]
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)


class Assignment(Base):
    """A drawn enterprise with its team (one joint check)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("draw_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    position: Mapped[int]
    rank_hex: Mapped[str] = mapped_column(String(64))
    lead_inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))
    shortfalls: Mapped[list[Any]] = mapped_column(default=list)
    # pending / in_progress / submitted / closed / unstaffed / void (its draw voided) /
    # cancelled (this check alone called off; its record, if any, is kept)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class AssignmentMember(Base):
    """An inspector in a team, an officer or an expert."""

    __tablename__ = "assignment_members"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), primary_key=True)
    inspector_id: Mapped[int] = mapped_column(
        ForeignKey("inspectors.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # officer / expert
    position: Mapped[int]


class DrawAmendment(Base):
    """A change of a final draw's teams, in order (docs/draw-algorithm.md, section 5).

    `entry` is the record's entry as published; `before` holds, for each team it changed,
    the team and shortfalls it had before, so that the drawn result can be read back.
    A supplementary draw is first `frozen` (its pool and commitment published, its seed
    secret, no `seq` yet), then `done`; every other kind is `done` at once.
    """

    __tablename__ = "draw_amendments"
    __table_args__ = (UniqueConstraint("draw_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), index=True)
    seq: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(16))  # cancel / substitution / supplement
    status: Mapped[str] = mapped_column(String(16))  # frozen / done / voided
    entry: Mapped[dict[str, Any]] = mapped_column()
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seed_hex: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
