"""The draw of a plan: preview, freeze (commitment), draw, void, and the published record."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Draw, Plan
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.draw import eligibility, inputs, snapshot
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
    warnings += _staffing(plan, elig, ks, officers, names or {})
    total, drawn = sum(populations.values()), sum(ks.values())
    if total and drawn * 100 < total * LOW_RATIO_PERCENT:
        warnings.append(("draw.warn_low_ratio", {"drawn": drawn, "total": total}))
    competing = elig.enterprise_exclusions.get("in_open_plan", 0)
    if competing:
        # Joint items of several departments for one enterprise belong in one plan.
        warnings.append(("draw.warn_competing", {"count": competing}))
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


def department_demand(
    elig: eligibility.Eligibility, ks: dict[str, int], team_size: int
) -> dict[str, Fraction]:
    """Officer places each plan department is expected to fill, by the team rule.

    The engine gives every drawn enterprise one officer of each of its departments, then
    fills the team up to `team_size` from the same departments' officers. So an
    enterprise of departments D asks 1 + max(0, team_size - |D|) / |D| places of each
    department of D (the extra seats shared evenly). Which enterprises are drawn is not
    known before the draw: each risk class contributes k/n of its enterprises' demand.
    """
    demand = dict.fromkeys(elig.plan_departments, Fraction(0))
    general = elig.departments_by_key.get("", []) if elig.general_for_other_types else []
    for risk, k in ks.items():
        text = elig.entries.get(risk, "")
        total = text.count("\n") + 1 if text else 0
        if not k or not total:
            continue
        # Lines are "code<TAB>type key"; counting "<TAB>key<NEWLINE>" stays in C, which a
        # million enterprises need. Keys without departments of their own take the general.
        haystack = text + "\n"
        groups = [
            (haystack.count(f"{eligibility.SEP}{key}\n"), deps)
            for key, deps in elig.departments_by_key.items()
            if key
        ]
        groups.append((total - sum(m for m, _ in groups), general))
        for m, deps in groups:
            if not m or not deps:
                continue
            share = Fraction(k * m, total) * (
                1 + Fraction(max(0, team_size - len(deps)), len(deps))
            )
            for d in deps:
                demand[d] = demand.get(d, Fraction(0)) + share
    return demand


def _staffing(
    plan: Plan,
    elig: eligibility.Eligibility,
    ks: dict[str, int],
    officers: dict[str, int],
    names: dict[str, str],
) -> list[tuple[str, dict[str, Any]]]:
    """Warnings for departments whose officers cannot fill their expected places."""
    short: list[tuple[str, dict[str, Any]]] = []
    for d, places in department_demand(elig, ks, plan.team_size).items():
        needed, capacity = math.ceil(places), officers.get(d, 0) * plan.load_cap
        # A department without officers already has its own warning.
        if officers.get(d, 0) and needed > capacity:
            missing = math.ceil((needed - capacity) / plan.load_cap)
            short.append(
                (
                    "draw.warn_department_short",
                    {
                        "department": names.get(d, d),
                        "needed": needed,
                        "officers": officers[d],
                        "cap": plan.load_cap,
                        "missing": missing,
                    },
                )
            )
    experts = sum(1 for i in elig.inspectors if i.expert) * plan.load_cap
    wanted = sum(ks.values()) * plan.experts_per_team
    if wanted > experts:
        short.append(("draw.warn_experts", {"needed": wanted, "capacity": experts}))
    if short:
        short.insert(0, ("draw.warn_staffing", {"teams": sum(ks.values())}))
    return short


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
    params = {
        **_params_json(params_of(plan)),
        "check_start": plan.check_start.isoformat(),
        "check_end": plan.check_end.isoformat(),
    }
    # The input hash (record format 3) binds every input, not only the codes: it is
    # published with the commitment, before anyone knows the seed.
    blob, (enterprise_snapshot, input_hash) = snapshot.pack_alongside(
        elig, lambda: inputs.freeze_hashes(elig, params)
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
        input_hash=input_hash,
        params=params,
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
            "input_hash": draw.input_hash,
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
