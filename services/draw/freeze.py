"""The draw of a plan: preview, freeze (commitment), draw, void, and the published record."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Draw, Plan
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.draw import eligibility, snapshot
from services.draw.engine import RISK_CLASSES, DrawParams, commitment, compute_k, snapshot_hash
from services.draw.plans import get_plan

LOW_RATIO_PERCENT = 3  # 企业公示信息抽查办法 Art. 4: at least 3% of the jurisdiction


def params_of(plan: Plan) -> DrawParams:
    """The engine's parameters of a plan."""
    return DrawParams(
        ratios=dict(plan.ratios),
        min_count=plan.min_count,
        max_count=plan.max_count,
        team_size=plan.team_size,
        experts_per_team=plan.experts_per_team,
        load_cap=plan.load_cap,
    )


@dataclass(frozen=True)
class Preview:
    """What a coordinator sees before freezing: strata, exclusions, officers."""

    plan: Plan
    populations: dict[str, int]
    ks: dict[str, int]
    enterprise_exclusions: dict[str, int]
    inspector_exclusions: dict[str, int]
    officers_by_department: dict[str, int]
    experts: int
    warnings: list[tuple[str, dict[str, Any]]]
    department_names: dict[str, str]


async def preview(session: AsyncSession, actor: Actor | None, plan_id: int) -> Preview:
    """Compute eligibility and every k without drawing anything."""
    if actor is not None:
        require_role(actor, "coordinator")
    plan = await get_plan(session, plan_id)
    elig = await eligibility.compute(session, plan)
    return _preview(plan, elig, await department_names(session))


async def department_names(session: AsyncSession) -> dict[str, str]:
    """Department code -> name, for people-facing text."""
    rows = await session.execute(select(Department.code, Department.name))
    return {code: name for code, name in rows}


def _preview(
    plan: Plan, elig: eligibility.Eligibility, names: dict[str, str] | None = None
) -> Preview:
    populations = elig.populations()
    ks = compute_k(populations, params_of(plan))
    officers = elig.officers_by_department()
    warnings: list[tuple[str, dict[str, Any]]] = [
        ("draw.warn_no_officer", {"department": (names or {}).get(d, d)})
        for d, n in officers.items()
        if n == 0
    ]
    total, drawn = sum(populations.values()), sum(ks.values())
    if total and drawn * 100 < total * LOW_RATIO_PERCENT:
        warnings.append(("draw.warn_low_ratio", {"drawn": drawn, "total": total}))
    competing = elig.enterprise_exclusions.get("in_open_plan", 0)
    if competing:
        # Joint items of several departments for one enterprise belong in one plan.
        warnings.append(("draw.warn_competing", {"count": competing}))
    needed = drawn * plan.team_size
    capacity = sum(officers.values()) * plan.load_cap
    if needed > capacity:
        warnings.append(("draw.warn_pool", {"needed": needed, "capacity": capacity}))
    return Preview(
        plan,
        populations,
        ks,
        dict(elig.enterprise_exclusions),
        dict(elig.inspector_exclusions),
        officers,
        sum(1 for i in elig.inspectors if i.expert),
        warnings,
        names or {},
    )


@dataclass(frozen=True)
class Frozen:
    """A draw just frozen, with its eligible lists still in memory.

    `jointcheck draw run` freezes and draws in one process: handing these lists to
    `draw_run.execute` spares it unpacking the snapshot it has just written.
    """

    draw_id: int
    seed_hex: str
    lists: eligibility.Eligibility

    def matches(self, draw: Draw) -> bool:
        """Whether these are the lists of this very draw (its id and secret seed)."""
        return draw.id == self.draw_id and draw.seed_hex == self.seed_hex


async def freeze(session: AsyncSession, actor: Actor | None, plan_id: int, now: datetime) -> Draw:
    """Snapshot the eligible lists and commit to a secret seed; publish the commitment."""
    return (await freeze_keeping_lists(session, actor, plan_id, now))[0]


async def frozen_draw(session: AsyncSession, plan_id: int) -> Draw | None:
    """The plan's draw that was frozen but not drawn yet (a crash between the two), if any."""
    return await session.scalar(
        select(Draw).where(Draw.plan_id == plan_id, Draw.status == "frozen")
    )


async def freeze_keeping_lists(
    session: AsyncSession, actor: Actor | None, plan_id: int, now: datetime
) -> tuple[Draw, Frozen]:
    """`freeze`, also returning the frozen lists for a draw in the same process."""
    if actor is not None:
        require_role(actor, "coordinator")
    plan = await get_plan(session, plan_id)
    live = await session.scalar(
        select(Draw).where(Draw.plan_id == plan_id, Draw.status != "voided")
    )
    if live is not None:
        raise Conflict("draw.exists", plan=plan_id, draw=live.id, status=live.status)
    elig = await eligibility.compute(session, plan, locked=True)
    codes_by_risk = elig.codes_by_risk()
    if not any(codes_by_risk.values()):
        raise InvalidInput("draw.empty_population", plan=plan_id)
    blob, enterprise_snapshot = snapshot.pack_alongside(
        elig, lambda: snapshot_hash(chain.from_iterable(codes_by_risk.values()))
    )
    seed = secrets.token_bytes(32)
    preview_ = _preview(plan, elig)
    draw = Draw(
        plan_id=plan_id,
        status="frozen",
        seed_hex=seed.hex(),
        commitment=commitment(seed),
        enterprise_snapshot=enterprise_snapshot,
        inspector_snapshot=snapshot_hash(i.cert for i in elig.inspectors),
        params={
            **_params_json(params_of(plan)),
            "check_start": plan.check_start.isoformat(),
            "check_end": plan.check_end.isoformat(),
        },
        exclusions={
            "enterprises": preview_.enterprise_exclusions,
            "inspectors": preview_.inspector_exclusions,
        },
        strata={
            c: {"population": preview_.populations[c], "k": preview_.ks[c]} for c in RISK_CLASSES
        },
        snapshot_blob=blob,
        frozen_at=now,
        frozen_by=None if actor is None else actor.user_id,
    )
    session.add(draw)
    try:
        await session.flush()
    except IntegrityError:
        # Another coordinator froze this plan in the same instant; theirs stands.
        raise Conflict("draw.exists", plan=plan_id, draw="?", status="frozen") from None
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="draw.freeze",
        object_type="draw",
        object_id=draw.id,
        after={
            "plan": plan_id,
            "commitment": draw.commitment,
            "enterprise_snapshot": draw.enterprise_snapshot,
            "inspector_snapshot": draw.inspector_snapshot,
        },
    )
    return draw, Frozen(draw.id, draw.seed_hex, elig)


def _params_json(p: DrawParams) -> dict[str, Any]:
    return {
        "ratios": dict(p.ratios),
        "min_count": p.min_count,
        "max_count": p.max_count,
        "team_size": p.team_size,
        "experts_per_team": p.experts_per_team,
        "load_cap": p.load_cap,
    }


def engine_params(stored: dict[str, Any]) -> DrawParams:
    return DrawParams(
        ratios=stored["ratios"],
        min_count=stored["min_count"],
        max_count=stored["max_count"],
        team_size=stored["team_size"],
        experts_per_team=stored["experts_per_team"],
        load_cap=stored["load_cap"],
    )
