"""Plans and draws as the public site shows them (the "one public" of the draw itself).

A plan appears once one of its draws is frozen: its parameters, the freeze time, the
commitment and the input hash; after the draw the seed, the salt and the drawn enterprises
(name and credit code); then its amendments and a void with its reason. Never the teams,
certificates, recusals or risk classes: the queries name the columns they read, and the
amendments' entries are read field by field (services.draw.public_draw), leaving out their
certificates, causes and free-text reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, defer

from models import Assignment, Draw, Item, Plan, PlanItem
from models.plans import DrawAmendment
from services.common.errors import NotFound

PAGE_SIZE = 20


@dataclass(frozen=True)
class Parameters:
    """The draw parameters fixed at the freeze."""

    ratios: dict[str, str]
    min_count: int
    max_count: int | None
    team_size: int
    experts_per_team: int
    load_cap: int
    check_start: date
    check_end: date


@dataclass(frozen=True)
class DrawSummary:
    """One draw of a plan: what was published at the freeze, at the draw and at a void."""

    id: int
    status: str  # frozen / final / voided
    algorithm: int
    params: Parameters
    frozen_at: datetime
    commitment: str
    enterprise_snapshot: str
    inspector_snapshot: str
    input_hash: str | None  # draws frozen since record format 3
    population: int  # eligible enterprises at the freeze
    planned: int  # enterprises the parameters draw from them
    drawn_at: datetime | None
    seed: str | None  # secret until the draw
    salt: str | None
    drawn: int
    amendments: int
    voided_at: datetime | None
    void_reason: str | None


@dataclass(frozen=True)
class PublicPlan:
    """A plan with at least one frozen draw, newest draw first."""

    id: int
    name: str
    items: list[str]
    districts: list[str]
    industries: list[str]
    object_types: list[str]
    recent_window_days: int
    allow_overlap: bool
    draws: list[DrawSummary]


@dataclass(frozen=True)
class DrawnEnterprise:
    """An enterprise drawn, in rank order; `cancelled` when its check was called off."""

    position: int
    name: str
    credit_code: str
    cancelled: bool


@dataclass(frozen=True)
class Event:
    """A step of a draw's timeline: freeze, draw, an amendment, a void."""

    at: datetime
    kind: str  # freeze / draw / cancel / substitution / supplement_frozen / supplement / void
    seq: int | None = None
    enterprises: list[tuple[str, str]] = field(default_factory=list)  # (name, credit code)
    reason: str | None = None
    commitment: str | None = None
    seed: str | None = None
    salt: str | None = None


@dataclass(frozen=True)
class DrawPage:
    """Everything /draws/ID shows."""

    plan: PublicPlan
    draw: DrawSummary
    enterprises: list[DrawnEnterprise]
    timeline: list[Event]


def _summary(draw: Draw, drawn: int, amendments: int) -> DrawSummary:
    p = draw.params
    revealed = draw.drawn_at is not None
    return DrawSummary(
        id=draw.id,
        status=draw.status,
        algorithm=draw.algorithm,
        params=Parameters(
            ratios={str(k): str(v) for k, v in p["ratios"].items()},
            min_count=p["min_count"],
            max_count=p["max_count"],
            team_size=p["team_size"],
            experts_per_team=p["experts_per_team"],
            load_cap=p["load_cap"],
            check_start=date.fromisoformat(p["check_start"]),
            check_end=date.fromisoformat(p["check_end"]),
        ),
        frozen_at=draw.frozen_at,
        commitment=draw.commitment,
        enterprise_snapshot=draw.enterprise_snapshot,
        inspector_snapshot=draw.inspector_snapshot,
        input_hash=draw.input_hash,
        population=sum(int(s["population"]) for s in draw.strata.values()),
        planned=sum(int(s["k"]) for s in draw.strata.values()),
        drawn_at=draw.drawn_at,
        seed=draw.seed_hex if revealed else None,
        salt=(draw.salt or "") if revealed else None,
        drawn=drawn if revealed else 0,
        amendments=amendments,
        voided_at=draw.voided_at,
        void_reason=draw.void_reason,
    )


async def _counts(
    session: AsyncSession, column: InstrumentedAttribute[int], draw_ids: list[int]
) -> dict[int, int]:
    """Rows per draw of the table `column` (a `draw_id`) belongs to."""
    if not draw_ids:
        return {}
    rows = await session.execute(
        select(column, func.count()).where(column.in_(draw_ids)).group_by(column)
    )
    return {draw_id: count for draw_id, count in rows}


async def _plans(session: AsyncSession, plans: list[Plan]) -> list[PublicPlan]:
    ids = [p.id for p in plans]
    if not ids:
        return []
    draws = (
        await session.scalars(
            select(Draw)
            .options(defer(Draw.snapshot_blob, raiseload=True), defer(Draw.exclusions))
            .where(Draw.plan_id.in_(ids))
            .order_by(Draw.id.desc())
        )
    ).all()
    draw_ids = [d.id for d in draws]
    drawn = await _counts(session, Assignment.draw_id, draw_ids)
    amended = await _counts(session, DrawAmendment.draw_id, draw_ids)
    items: dict[int, list[str]] = {}
    for plan_id, name in await session.execute(
        select(PlanItem.plan_id, Item.name)
        .join(Item, Item.id == PlanItem.item_id)
        .where(PlanItem.plan_id.in_(ids))
        .order_by(Item.code)
    ):
        items.setdefault(plan_id, []).append(name)
    by_plan: dict[int, list[DrawSummary]] = {}
    for d in draws:
        summary = _summary(d, drawn.get(d.id, 0), amended.get(d.id, 0))
        by_plan.setdefault(d.plan_id, []).append(summary)
    return [
        PublicPlan(
            id=p.id,
            name=p.name,
            items=items.get(p.id, []),
            districts=[str(x) for x in p.districts],
            industries=[str(x) for x in p.industries],
            object_types=[str(x) for x in p.object_types],
            recent_window_days=p.recent_window_days,
            allow_overlap=p.allow_overlap,
            draws=by_plan.get(p.id, []),
        )
        for p in plans
    ]


def _frozen_plans() -> ColumnElement[bool]:
    # A draft plan (never frozen) is nobody's business yet.
    return Plan.id.in_(select(Draw.plan_id))


async def count_plans(session: AsyncSession) -> int:
    """How many plans have at least one frozen draw."""
    return await session.scalar(select(func.count()).select_from(Plan).where(_frozen_plans())) or 0


async def public_plans(
    session: AsyncSession, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[PublicPlan]:
    """A page of the plans once frozen, newest plan first."""
    plans = (
        await session.scalars(
            select(Plan).where(_frozen_plans()).order_by(Plan.id.desc()).limit(limit).offset(offset)
        )
    ).all()
    return await _plans(session, list(plans))


async def public_plan(session: AsyncSession, plan_id: int) -> PublicPlan:
    """One plan once frozen; NotFound for an unknown or draft plan."""
    plan = await session.scalar(select(Plan).where(Plan.id == plan_id, _frozen_plans()))
    if plan is None:
        raise NotFound("plan.not_found", id=plan_id)
    return (await _plans(session, [plan]))[0]
