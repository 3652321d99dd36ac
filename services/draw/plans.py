"""Spot-check plans: their parameters, validated, created from chat or a JSON file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Item, Plan, PlanItem
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import InvalidInput, NotFound
from services.common.rows import existing
from services.draw.engine import parse_ratio

RISK_CLASSES = ("A", "B", "C", "D")
DEFAULT_RATIOS = {"A": "0.01", "B": "0.08", "C": "0.2", "D": "1"}
MAX_RATIO_CHARS = 12


class PlanSpec(BaseModel):
    """What a coordinator decides for a plan (the README documents each field)."""

    name: str = Field(min_length=1, max_length=200)
    items: list[str] = Field(min_length=1)
    check_start: date
    check_end: date
    districts: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    object_types: list[str] = Field(default_factory=list)
    ratios: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_RATIOS))
    min_count: int = Field(default=0, ge=0)
    max_count: int | None = Field(default=None, ge=1)
    team_size: int = Field(default=2, ge=2, le=10)
    experts_per_team: int = Field(default=0, ge=0, le=5)
    load_cap: int = Field(default=1, ge=1, le=100)
    recent_window_days: int = Field(default=365, ge=0, le=3650)
    allow_overlap: bool = False

    @field_validator("ratios")
    @classmethod
    def _ratios(cls, value: dict[str, str]) -> dict[str, str]:
        merged = {**DEFAULT_RATIOS, **{k.upper(): str(v) for k, v in value.items()}}
        if set(merged) != set(RISK_CLASSES):
            raise ValueError("ratios must be given for risk classes A, B, C, D only")
        for risk, ratio in merged.items():
            # Validated here, once, by the rule the draw applies (plain decimals such as
            # "0.08"; not "1e-1" or ".25"), so that the draw never meets an invalid one.
            try:
                fraction = parse_ratio(ratio) if len(ratio) <= MAX_RATIO_CHARS else None
            except ValueError:
                fraction = None
            if fraction is None:
                raise ValueError(f"ratio of class {risk} must be a decimal such as 0.08")
            # Practice: never exempt a risk class entirely.
            if not 0 < fraction <= 1:
                raise ValueError(f"ratio of class {risk} must be above 0 and at most 1")
        return merged

    @model_validator(mode="after")
    def _window(self) -> PlanSpec:
        if self.check_end < self.check_start:
            # The type names the field the refusal is about (parse_spec reads it).
            raise PydanticCustomError("check_end", "check_end is before check_start")
        if self.max_count is not None and self.max_count < self.min_count:
            raise PydanticCustomError("max_count", "max_count is below min_count")
        return self


def parse_spec(data: dict[str, Any]) -> PlanSpec:
    """Validate plan parameters; raise InvalidInput naming the first problem."""
    try:
        return PlanSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"]
        where = str(loc[0]) if loc else first["type"]
        # pydantic's message is English: the catalog says, per field, what it must be.
        key = f"plan.invalid.{where}" if where in PlanSpec.model_fields else "plan.invalid"
        raise InvalidInput(key, field=where) from None


async def create_plan(
    session: AsyncSession, actor: Actor | None, spec: PlanSpec, now: datetime
) -> Plan:
    """Create a plan (coordinators); the items must exist in the joint list."""
    if actor is not None:
        require_role(actor, "coordinator")
    items = (await session.scalars(select(Item).where(Item.code.in_(spec.items)))).all()
    missing = sorted(set(spec.items) - {i.code for i in items})
    if missing:
        raise NotFound("plan.unknown_items", codes=", ".join(missing))
    inactive = sorted(i.code for i in items if not i.active)
    if inactive:
        raise InvalidInput("plan.inactive_items", codes=", ".join(inactive))
    plan = Plan(
        name=spec.name,
        districts=spec.districts,
        industries=spec.industries,
        object_types=spec.object_types,
        ratios=spec.ratios,
        min_count=spec.min_count,
        max_count=spec.max_count,
        team_size=spec.team_size,
        experts_per_team=spec.experts_per_team,
        load_cap=spec.load_cap,
        recent_window_days=spec.recent_window_days,
        allow_overlap=spec.allow_overlap,
        check_start=spec.check_start,
        check_end=spec.check_end,
        created_by=None if actor is None else actor.user_id,
        created_at=now,
    )
    session.add(plan)
    await session.flush()
    for item in items:
        session.add(PlanItem(plan_id=plan.id, item_id=item.id))
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="plan.create",
        object_type="plan",
        object_id=plan.id,
        after=spec.model_dump(mode="json"),
    )
    return plan


async def get_plan(session: AsyncSession, plan_id: int) -> Plan:
    """A plan by id, or NotFound."""
    return await existing(session, Plan, plan_id, "plan.not_found")


async def plan_items(session: AsyncSession, plan_id: int) -> list[Item]:
    """The joint items of a plan, by code."""
    rows = await session.scalars(
        select(Item).join(PlanItem, PlanItem.item_id == Item.id).where(PlanItem.plan_id == plan_id)
    )
    return sorted(rows.all(), key=lambda i: i.code)


async def open_plans(session: AsyncSession) -> list[Plan]:
    """Plans that can still be drawn, newest first."""
    rows = await session.scalars(
        select(Plan).where(Plan.status == "draft").order_by(Plan.id.desc()).limit(20)
    )
    return list(rows.all())
