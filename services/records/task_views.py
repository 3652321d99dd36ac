"""Assignments as a team reads them: one page of an inspector's tasks, or given ones.

/tasks runs on every tap of every inspector, so its page is one query built once: the
page of assignment ids with the total (a window count), joined to the enterprise, plan,
result, team members and applicable items, read as plain columns rather than ORM objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

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
)
from services.accounts.actors import Actor

PAGE_SIZE = 3
# Result statuses under which the team still has work to do.
OPEN_RESULT = ("not_entered", "draft", "returned")
# Assignments with no work for a team: no team formed, or the check called off.
NO_WORK = ("void", "unstaffed", "cancelled")


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
    cancel_reason: str | None = None

    @property
    def open(self) -> bool:
        """Whether the team still has to enter or fix the record."""
        return self.status not in NO_WORK and self.result_status in OPEN_RESULT


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
        (Assignment.status.in_(NO_WORK), 2),
        (or_(InspectionResult.id.is_(None), InspectionResult.status.in_(OPEN_RESULT)), 0),
        else_=1,
    )


# The columns every task query reads, in the order `_Collected` takes them, followed by
# the member's inspector id and name (rows come in the team's order).
def _detail_columns() -> tuple[Any, ...]:
    return (
        Assignment.id,
        Assignment.status,
        Plan.id,
        Plan.name,
        Plan.check_start,
        Plan.check_end,
        Enterprise.name,
        Enterprise.credit_code,
        Enterprise.address,
        Enterprise.contact_person,
        Enterprise.contact_phone,
        InspectionResult.id,
        InspectionResult.status,
        InspectionResult.publish_due,
        Assignment.cancel_reason,
        Inspector.id,
        Inspector.name,
    )


DETAILS = 15  # columns before the member's inspector id


def _shown_part() -> ColumnElement[bool]:
    """Join condition for the one part a task view shows: the viewer's department's part
    (parameter `department`), else the check's first part."""
    other = aliased(InspectionResult)
    first = (
        select(other.id)
        .where(other.assignment_id == Assignment.id)
        .order_by(case((other.department_id == bindparam("department"), 0), else_=1), other.id)
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )
    return InspectionResult.id == first


def _with_details(query: Select[Any]) -> Select[Any]:
    """Join, from Assignment, what a task view shows: enterprise, plan, result, members."""
    return (
        query.join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .outerjoin(InspectionResult, _shown_part())
        .outerjoin(AssignmentMember, AssignmentMember.assignment_id == Assignment.id)
        .outerjoin(Inspector, Inspector.id == AssignmentMember.inspector_id)
    )


@cache
def _page_query() -> Select[Any]:
    """Parameters: inspector, limit, offset. Columns: total, details, member, item."""
    order = (_open_first(), Plan.check_end, Assignment.id)
    page = (
        select(
            Assignment.id.label("id"),
            func.count().over().label("total"),
            func.row_number().over(order_by=order).label("rank"),
        )
        .join(AssignmentMember, AssignmentMember.assignment_id == Assignment.id)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .outerjoin(InspectionResult, _shown_part())
        .where(AssignmentMember.inspector_id == bindparam("inspector"), Draw.status == "final")
        .order_by(*order)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("page")
    )
    applies = or_(Item.object_type.is_(None), Item.object_type == Enterprise.object_type)
    query = select(page.c.total, *_detail_columns(), Item.code, Item.name).select_from(page)
    return (
        _with_details(query.join(Assignment, Assignment.id == page.c.id))
        .outerjoin(PlanItem, PlanItem.plan_id == Plan.id)
        .outerjoin(Item, and_(Item.id == PlanItem.item_id, applies))
        .order_by(page.c.rank, AssignmentMember.position, Item.code)
    )


@cache
def _views_query() -> Select[Any]:
    """Parameter: ids. Columns: details, member, the enterprise's object type."""
    query = select(*_detail_columns(), Enterprise.object_type).select_from(Assignment)
    return (
        _with_details(query)
        .where(Assignment.id.in_(bindparam("ids", expanding=True)))
        .order_by(Assignment.id, AssignmentMember.position)
    )


class _Collected:
    """The rows of one assignment folded into a view (joins repeat its details)."""

    def __init__(self, row: Sequence[Any]) -> None:
        self.details = tuple(row[:DETAILS])
        self.team: dict[int, str] = {}  # inspector id -> name, in the team's order
        self.items: dict[str, str] = {}
        self.object_type: str | None = None

    def view(self, items: list[str] | None = None) -> TaskView:
        (aid, status, plan_id, plan_name, start, end, name, code, address, person, phone,
         result_id, result_status, due, cancel_reason) = self.details  # fmt: skip
        return TaskView(
            assignment_id=aid,
            plan_id=plan_id,
            plan_name=plan_name,
            enterprise=name,
            credit_code=code,
            address=address,
            contact_person=person,
            contact_phone=phone,
            items=list(self.items.values()) if items is None else items,
            team=list(self.team.values()),
            check_start=start,
            check_end=end,
            status=status,
            result_id=result_id,
            result_status="not_entered" if result_status is None else result_status,
            publish_due=due,
            cancel_reason=cancel_reason,
        )


def _collect(rows: Iterable[Sequence[Any]]) -> dict[int, _Collected]:
    """Fold rows (details, member id, member name, extra...) by assignment, in order."""
    out: dict[int, _Collected] = {}
    for row in rows:
        collected = out.get(row[0])
        if collected is None:
            collected = out[row[0]] = _Collected(row)
        if row[DETAILS] is not None:
            collected.team[row[DETAILS]] = row[DETAILS + 1]
    return out


async def my_tasks(
    session: AsyncSession, actor: Actor, page: int = 1, page_size: int = PAGE_SIZE
) -> TaskPage:
    """The actor's assignments of final draws, open ones first, one page of them."""
    if actor.inspector_id is None:
        return TaskPage([], 1, 1, 0)
    page = max(1, page)
    params = {
        "inspector": actor.inspector_id,
        "limit": page_size,
        "department": actor.department_id,
    }
    rows = (
        await session.execute(_page_query(), {**params, "offset": (page - 1) * page_size})
    ).all()
    if not rows and page > 1:  # past the end (the list shrank): the last page instead
        first = await my_tasks(session, actor, 1, page_size)
        return first if first.pages == 1 else await my_tasks(session, actor, first.pages, page_size)
    total = rows[0][0] if rows else 0
    tasks = _collect([row[1:] for row in rows])
    for row in rows:
        if row[-1] is not None:
            tasks[row[1]].items[row[-2]] = row[-1]
    return TaskPage(
        [t.view() for t in tasks.values()], page, max(1, math.ceil(total / page_size)), total
    )


async def views(
    session: AsyncSession, ids: list[int], department_id: int | None = None
) -> list[TaskView]:
    """Task views of these assignments, in the order given, showing that department's part."""
    if not ids:
        return []
    rows = (await session.execute(_views_query(), {"ids": ids, "department": department_id})).all()
    found = _collect(rows)
    for row in rows:
        found[row[0]].object_type = row[-1]
    items = await _items_by_plan(session, {c.details[2] for c in found.values()})
    return [
        c.view([i.name for i in applicable(items.get(c.details[2], []), c.object_type)])
        for c in (found[i] for i in ids if i in found)
    ]


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
