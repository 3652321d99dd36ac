"""Assignments as the field sees them (/tasks, /progress), and who may touch one.

An inspector sees and records only the assignments of teams they belong to; the office
(coordinators, admins) sees every one. A refusal for another team's assignment is a
`NotMember`, which the chat layer audits as `authz.denied` (see `record_denial`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Draw,
    Enterprise,
    InspectionResult,
    Inspector,
    Item,
    Plan,
    PlanItem,
    User,
)
from services import audit
from services.actors import Actor, audit_name, require_role
from services.errors import NotAllowed, NotFound

PAGE_SIZE = 3
# Result statuses under which the team still has work to do.
OPEN_RESULT = ("not_entered", "draft", "returned")


class NotMember(NotAllowed):
    """The actor is not in the team of this assignment (a forged button or command)."""

    def __init__(self, assignment_id: int, action: str) -> None:
        super().__init__("task.not_yours", id=assignment_id)
        self.assignment_id = assignment_id
        self.action = action


def is_office(actor: Actor | None) -> bool:
    """The command line, coordinators and admins see and may change every assignment."""
    return actor is None or actor.has("admin", "coordinator")


async def team_inspector_ids(session: AsyncSession, assignment_id: int) -> list[int]:
    """The directory ids of the team's members, in team order."""
    rows = await session.scalars(
        select(AssignmentMember.inspector_id)
        .where(AssignmentMember.assignment_id == assignment_id)
        .order_by(AssignmentMember.position)
    )
    return list(rows.all())


async def require_member(
    session: AsyncSession, actor: Actor | None, assignment_id: int, action: str
) -> Assignment:
    """The assignment, if the actor is in its team or in the office; else NotMember."""
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound("task.not_found", id=assignment_id)
    if is_office(actor):
        return assignment
    assert actor is not None
    if actor.inspector_id is not None and actor.inspector_id in await team_inspector_ids(
        session, assignment_id
    ):
        return assignment
    raise NotMember(assignment_id, action)


async def record_denial(
    session: AsyncSession, actor: Actor | None, exc: NotMember, now: datetime
) -> None:
    """Audit a refused attempt on another team's assignment (in the caller's transaction)."""
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="authz.denied",
        object_type="assignment",
        object_id=exc.assignment_id,
        after={"action": exc.action},
    )


@dataclass(frozen=True)
class TaskView:
    """One assignment as the team reads it on a phone."""

    assignment_id: int
    plan_id: int
    plan_name: str
    enterprise: str
    credit_code: str
    address: str | None
    contact_person: str | None
    contact_phone: str | None
    items: list[str]
    team: list[str]
    check_start: date
    check_end: date
    status: str
    result_id: int | None
    result_status: str
    publish_due: date | None

    @property
    def open(self) -> bool:
        """Whether the team still has to enter or fix the record."""
        return self.status not in ("void", "unstaffed") and self.result_status in OPEN_RESULT


@dataclass(frozen=True)
class TaskPage:
    """One page of an inspector's assignments."""

    tasks: list[TaskView]
    page: int
    pages: int
    total: int


def _open_first() -> ColumnElement[int]:
    # 0 while the team still has work to do, then 1; void ones last of all.
    return case(
        (Assignment.status.in_(("void", "unstaffed")), 2),
        (or_(InspectionResult.id.is_(None), InspectionResult.status.in_(OPEN_RESULT)), 0),
        else_=1,
    )


async def my_tasks(
    session: AsyncSession, actor: Actor, page: int = 1, page_size: int = PAGE_SIZE
) -> TaskPage:
    """The actor's assignments of final draws, open ones first, one page of them."""
    if actor.inspector_id is None:
        return TaskPage([], 1, 1, 0)
    base = (
        select(Assignment.id)
        .join(AssignmentMember, AssignmentMember.assignment_id == Assignment.id)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .outerjoin(InspectionResult, InspectionResult.assignment_id == Assignment.id)
        .where(AssignmentMember.inspector_id == actor.inspector_id, Draw.status == "final")
    )
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    ids = (
        await session.scalars(
            base.order_by(_open_first(), Plan.check_end, Assignment.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    ).all()
    return TaskPage(await views(session, list(ids)), page, pages, total)


async def plan_progress(session: AsyncSession, actor: Actor | None, plan_id: int) -> list[TaskView]:
    """Every assignment of the plan's final draw with its status (coordinators)."""
    if actor is not None:
        require_role(actor, "coordinator")
    if await session.get(Plan, plan_id) is None:
        raise NotFound("plan.not_found", id=plan_id)
    ids = (
        await session.scalars(
            select(Assignment.id)
            .join(Draw, Draw.id == Assignment.draw_id)
            .where(Assignment.plan_id == plan_id, Draw.status == "final")
            .order_by(Assignment.position)
        )
    ).all()
    return await views(session, list(ids))


async def task_view(session: AsyncSession, actor: Actor | None, assignment_id: int) -> TaskView:
    """One assignment, for a member of its team or the office."""
    await require_member(session, actor, assignment_id, "task.view")
    return (await views(session, [assignment_id]))[0]


async def views(session: AsyncSession, ids: list[int]) -> list[TaskView]:
    """Task views of these assignments, in the order given."""
    if not ids:
        return []
    rows = (
        await session.execute(
            select(Assignment, Enterprise, Plan, InspectionResult)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .join(Plan, Plan.id == Assignment.plan_id)
            .outerjoin(InspectionResult, InspectionResult.assignment_id == Assignment.id)
            .where(Assignment.id.in_(ids))
        )
    ).all()
    team: dict[int, list[str]] = {}
    for aid, name in await session.execute(
        select(AssignmentMember.assignment_id, Inspector.name)
        .join(Inspector, Inspector.id == AssignmentMember.inspector_id)
        .where(AssignmentMember.assignment_id.in_(ids))
        .order_by(AssignmentMember.assignment_id, AssignmentMember.position)
    ):
        team.setdefault(aid, []).append(name)
    plan_ids = {plan.id for _, _, plan, _ in rows}
    items = await _items_by_plan(session, plan_ids)
    out: dict[int, TaskView] = {}
    for assignment, enterprise, plan, result in rows:
        out[assignment.id] = TaskView(
            assignment_id=assignment.id,
            plan_id=plan.id,
            plan_name=plan.name,
            enterprise=enterprise.name,
            credit_code=enterprise.credit_code,
            address=enterprise.address,
            contact_person=enterprise.contact_person,
            contact_phone=enterprise.contact_phone,
            items=[i.name for i in applicable(items.get(plan.id, []), enterprise.object_type)],
            team=team.get(assignment.id, []),
            check_start=plan.check_start,
            check_end=plan.check_end,
            status=assignment.status,
            result_id=None if result is None else result.id,
            result_status="not_entered" if result is None else result.status,
            publish_due=None if result is None else result.publish_due,
        )
    return [out[i] for i in ids if i in out]


async def _items_by_plan(session: AsyncSession, plan_ids: set[int]) -> dict[int, list[Item]]:
    out: dict[int, list[Item]] = {}
    if not plan_ids:
        return out
    rows = await session.execute(
        select(PlanItem.plan_id, Item)
        .join(Item, Item.id == PlanItem.item_id)
        .where(PlanItem.plan_id.in_(plan_ids))
        .order_by(Item.code)
    )
    for plan_id, item in rows:
        out.setdefault(plan_id, []).append(item)
    return out


def applicable(items: list[Item], object_type: str | None) -> list[Item]:
    """The plan items that apply to an enterprise of this object type."""
    return [i for i in items if i.object_type is None or i.object_type == object_type]


async def items_for_assignment(session: AsyncSession, assignment: Assignment) -> list[Item]:
    """The plan items the team checks at this enterprise."""
    enterprise = await session.get(Enterprise, assignment.enterprise_id)
    object_type = None if enterprise is None else enterprise.object_type
    by_plan = await _items_by_plan(session, {assignment.plan_id})
    return applicable(by_plan.get(assignment.plan_id, []), object_type)


async def team_user_ids(session: AsyncSession, assignment_id: int) -> list[int]:
    """The users bound to the team's members (for notifications)."""
    rows = await session.scalars(
        select(User.id)
        .join(AssignmentMember, AssignmentMember.inspector_id == User.inspector_id)
        .where(AssignmentMember.assignment_id == assignment_id, User.active.is_(True))
        .order_by(User.id)
    )
    return list(rows.all())
