"""A year's progress against the annual joint plan, per row and per department.

The year's plans: those made from the rows of its annual plans (`plans.annual_row_id`)
and the others whose check window starts in the year. Planned: the enterprises a live
draw is to check, as frozen with the commitment (the strata's k; a plan not frozen yet
plans none, and its row says so). Drawn: the checks of a final draw that stand (not void,
not cancelled). Checked: with a department's part submitted (or returned, approved,
published). Reviewed, published: every department's part approved (or published),
published. Problems: those of the submitted parts.
Per row and in the totals an enterprise counts once per check, with the problems of all
its parts; per department, its own parts (谁检查、谁录入、谁公开), a check counting for
every department whose items apply to the enterprise (the item list's departments).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AnnualPlan,
    AnnualPlanRow,
    Assignment,
    Department,
    Draw,
    Enterprise,
    InspectionResult,
    Item,
    ItemDepartment,
    Plan,
    PlanItem,
    Problem,
)
from services.accounts.actors import Actor, require_role
from services.reports.summary import SUBMITTED

STAGES = ("planned", "drawn", "checked", "reviewed", "published")
REVIEWED = ("approved", "published")


@dataclass
class Counts:
    """The figures of one row, plan, department or the whole year."""

    planned: int = 0
    drawn: int = 0
    checked: int = 0
    reviewed: int = 0
    published: int = 0
    problems: int = 0

    def stages(self) -> list[int]:
        """planned, drawn, checked, reviewed, published, in that order."""
        return [getattr(self, name) for name in STAGES]

    def add(self, other: Counts) -> None:
        """Add another's figures to these."""
        for name in (*STAGES, "problems"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class RowProgress:
    """A row of an annual plan with its batch's state and figures."""

    doc_number: str
    seq: int
    item_code: str
    item_name: str
    initiating: str
    ratio: str | None
    quarter: int | None
    start: date | None
    end: date | None
    plan_id: int | None
    plan_number: str | None
    state: str  # none / draft / frozen / drawn / closed
    counts: Counts


@dataclass(frozen=True)
class DepartmentProgress:
    """A department's own parts."""

    code: str
    name: str
    counts: Counts


@dataclass(frozen=True)
class YearProgress:
    """A year's figures: per row, per department, outside the annual plan and in all."""

    year: int
    documents: list[str]  # the year's annual plans' document numbers
    rows: list[RowProgress]
    departments: list[DepartmentProgress]
    other_plans: int
    other: Counts
    total: Counts


@dataclass
class _Plans:
    """What the year's plans hold, read in a few queries."""

    ids: list[int]
    state: dict[int, str] = field(default_factory=dict)
    frozen_k: dict[int, int] = field(default_factory=dict)  # plan -> k of a frozen draw
    departments: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    # assignment -> (plan, stands), its departments, its parts' statuses and problems
    checks: dict[int, tuple[int, bool]] = field(default_factory=dict)
    remit: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    parts: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    problems: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))


async def year_progress(session: AsyncSession, actor: Actor | None, year: int) -> YearProgress:
    """The year's progress (coordinators and leaders)."""
    if actor is not None:
        require_role(actor, "coordinator", "leader")
    rows = (
        await session.execute(
            select(AnnualPlanRow, AnnualPlan.doc_number, Item.code, Item.name, Department.name)
            .join(AnnualPlan, AnnualPlan.id == AnnualPlanRow.annual_plan_id)
            .join(Item, Item.id == AnnualPlanRow.item_id)
            .join(Department, Department.id == AnnualPlanRow.initiating_department_id)
            .where(AnnualPlan.year == year)
            .order_by(AnnualPlan.id, AnnualPlanRow.seq)
        )
    ).all()
    documents = await session.scalars(
        select(AnnualPlan.doc_number).where(AnnualPlan.year == year).order_by(AnnualPlan.id)
    )
    row_ids = [r[0].id for r in rows]
    in_year = and_(
        Plan.annual_row_id.is_(None),
        Plan.check_start >= date(year, 1, 1),
        Plan.check_start <= date(year, 12, 31),
    )
    plan_rows = (
        await session.execute(
            select(Plan.id, Plan.annual_row_id, Plan.number, Plan.status).where(
                or_(Plan.annual_row_id.in_(row_ids), in_year)
            )
        )
    ).all()  # a handful of plans a year
    held = await _read(session, [p[0] for p in plan_rows], {p[0]: p[3] for p in plan_rows})
    by_row: dict[int, list[int]] = defaultdict(list)
    for plan_id, row_id, _number, _status in plan_rows:
        if row_id is not None:
            by_row[row_id].append(plan_id)
    numbers = {p[0]: p[2] for p in plan_rows}
    out_rows = []
    for row, doc_number, code, name, initiating in rows:
        plan_ids = sorted(by_row.get(row.id, []))
        first = plan_ids[0] if plan_ids else None
        out_rows.append(
            RowProgress(
                doc_number,
                row.seq,
                code,
                name,
                initiating,
                row.ratio,
                row.quarter,
                row.window_start,
                row.window_end,
                first,
                None if first is None else numbers[first],
                "none" if first is None else held.state[first],
                _checks_counts(held, set(plan_ids)),
            )
        )
    others = {p[0] for p in plan_rows if p[1] is None}
    return YearProgress(
        year,
        list(documents.all()),
        out_rows,
        await _departments(session, held, [r[0] for r in rows]),
        len(others),
        _checks_counts(held, others),
        _checks_counts(held, set(held.ids)),
    )


async def _read(session: AsyncSession, plan_ids: list[int], status: dict[int, str]) -> _Plans:
    held = _Plans(plan_ids)
    for plan_id in plan_ids:
        held.state[plan_id] = "closed" if status[plan_id] == "closed" else "draft"
    if not plan_ids:
        return held
    for plan_id, state, strata in await session.execute(
        select(Draw.plan_id, Draw.status, Draw.strata).where(
            Draw.plan_id.in_(plan_ids), Draw.status.in_(("frozen", "final"))
        )
    ):
        if held.state[plan_id] != "closed":
            held.state[plan_id] = "drawn" if state == "final" else "frozen"
        if state == "frozen":
            held.frozen_k[plan_id] = sum(int(s.get("k", 0)) for s in _strata(strata))
    for plan_id, department_id in await session.execute(
        select(PlanItem.plan_id, ItemDepartment.department_id)
        .join(ItemDepartment, ItemDepartment.item_id == PlanItem.item_id)
        .where(PlanItem.plan_id.in_(plan_ids))
    ):
        held.departments[plan_id].add(department_id)
    final = (
        select(Assignment.id)
        .join(Draw, Draw.id == Assignment.draw_id)
        .where(
            Assignment.plan_id.in_(plan_ids), Draw.status == "final", Assignment.status != "void"
        )
    )
    for assignment_id, plan_id, state in await session.execute(
        select(Assignment.id, Assignment.plan_id, Assignment.status).where(Assignment.id.in_(final))
    ):
        held.checks[assignment_id] = (plan_id, state != "cancelled")
    # The departments whose items apply to each drawn enterprise (the parts it should have).
    applies = or_(Item.object_type.is_(None), Item.object_type == Enterprise.object_type)
    for assignment_id, department_id in await session.execute(
        select(Assignment.id, ItemDepartment.department_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(PlanItem, PlanItem.plan_id == Assignment.plan_id)
        .join(Item, and_(Item.id == PlanItem.item_id, applies))
        .join(ItemDepartment, ItemDepartment.item_id == Item.id)
        .where(Assignment.id.in_(final))
        .distinct()
    ):
        held.remit[assignment_id].add(department_id)
    part_of: dict[int, tuple[int, int]] = {}
    for part_id, assignment_id, department_id, state in await session.execute(
        select(
            InspectionResult.id,
            InspectionResult.assignment_id,
            InspectionResult.department_id,
            InspectionResult.status,
        ).where(InspectionResult.assignment_id.in_(final))
    ):
        held.parts[assignment_id][department_id] = state
        held.remit[assignment_id].add(department_id)
        part_of[part_id] = (assignment_id, department_id)
    for part_id, count in await session.execute(
        select(Problem.result_id, func.count())
        .join(InspectionResult, InspectionResult.id == Problem.result_id)
        .where(InspectionResult.assignment_id.in_(final), InspectionResult.status.in_(SUBMITTED))
        .group_by(Problem.result_id)
    ):
        assignment_id, department_id = part_of[part_id]
        held.problems[assignment_id][department_id] = int(count)
    return held


def _strata(value: Any) -> list[dict[str, Any]]:
    return [s for s in value.values() if isinstance(s, dict)] if isinstance(value, dict) else []


def _checks_counts(held: _Plans, plan_ids: set[int]) -> Counts:
    """The figures of some plans, an enterprise once per check."""
    counts = Counts(planned=sum(held.frozen_k.get(p, 0) for p in plan_ids))
    for assignment_id, (plan_id, stands) in held.checks.items():
        if plan_id not in plan_ids:
            continue
        counts.planned += 1
        if not stands:
            continue
        parts = held.parts.get(assignment_id, {})
        expected = held.remit.get(assignment_id, set())
        counts.drawn += 1
        counts.checked += any(s in SUBMITTED for s in parts.values())
        counts.reviewed += bool(expected) and all(parts.get(d) in REVIEWED for d in expected)
        counts.published += bool(expected) and all(parts.get(d) == "published" for d in expected)
        counts.problems += sum(held.problems.get(assignment_id, {}).values())
    return counts


async def _departments(
    session: AsyncSession, held: _Plans, rows: list[AnnualPlanRow]
) -> list[DepartmentProgress]:
    """Each department's own parts, for every department of the rows, plans and checks."""
    per: dict[int, Counts] = defaultdict(Counts)
    for plan_id, k in held.frozen_k.items():
        for department_id in held.departments.get(plan_id, set()):
            per[department_id].planned += k
    for assignment_id, (_plan_id, stands) in held.checks.items():
        parts = held.parts.get(assignment_id, {})
        for department_id in held.remit.get(assignment_id, set()):
            counts = per[department_id]
            counts.planned += 1
            if not stands:
                continue
            state = parts.get(department_id)
            counts.drawn += 1
            counts.checked += state in SUBMITTED
            counts.reviewed += state in REVIEWED
            counts.published += state == "published"
            counts.problems += held.problems.get(assignment_id, {}).get(department_id, 0)
    wanted = set(per).union(*held.departments.values(), (r.initiating_department_id for r in rows))
    codes = {str(c) for r in rows for c in r.cooperating}
    departments = await session.execute(
        select(Department.id, Department.code, Department.name)
        .where(or_(Department.id.in_(wanted), Department.code.in_(codes)))
        .order_by(Department.id)
    )
    return [DepartmentProgress(code, name, per[d]) for d, code, name in departments]
