"""Department parts of a joint record: who records, reviews and publishes which part.

谁检查、谁录入、谁公开: a joint check has one part per department whose items apply to the
enterprise. The officers of that department fill in its part; its reviewers (and the
joint-meeting office) review and publish it under the department's name.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    Department,
    Enterprise,
    InspectionResult,
    Item,
    ItemDepartment,
    PlanItem,
)
from services.accounts.actors import Actor
from services.common.errors import InvalidInput, NotAllowed

# Part statuses from which the department has handed its part in.
SUBMITTED = ("awaiting_review", "approved", "published")


async def departments_of_assignment(session: AsyncSession, assignment_id: int) -> list[int]:
    """The departments with a part in this check: initiating ones first, in item order."""
    applies = or_(Item.object_type.is_(None), Item.object_type == Enterprise.object_type)
    rows = (
        await session.execute(
            select(Item.id, Item.initiating_department_id, ItemDepartment.department_id)
            .select_from(Assignment)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .join(PlanItem, PlanItem.plan_id == Assignment.plan_id)
            .join(Item, and_(Item.id == PlanItem.item_id, applies))
            .outerjoin(ItemDepartment, ItemDepartment.item_id == Item.id)
            .where(Assignment.id == assignment_id)
            .order_by(Item.id, ItemDepartment.department_id)
        )
    ).all()
    ordered: list[int] = []
    for _item, initiating, _other in rows:
        if initiating not in ordered:
            ordered.append(initiating)
    for _item, _initiating, other in rows:
        if other is not None and other not in ordered:
            ordered.append(other)
    return ordered


async def parts_of(session: AsyncSession, assignment_id: int) -> list[InspectionResult]:
    """The parts already started for this check, in department order of creation."""
    rows = await session.scalars(
        select(InspectionResult)
        .where(InspectionResult.assignment_id == assignment_id)
        .order_by(InspectionResult.id)
    )
    return list(rows.all())


async def department_names(session: AsyncSession, ids: list[int]) -> dict[int, str]:
    """Department names by id."""
    if not ids:
        return {}
    query = select(Department.id, Department.name).where(Department.id.in_(ids))
    return {department: name for department, name in await session.execute(query)}


async def department_ids_and_names(
    session: AsyncSession, assignment_id: int
) -> list[tuple[int, str]]:
    """The departments with a part in this check and their names, in part order."""
    ids = await departments_of_assignment(session, assignment_id)
    names = await department_names(session, ids)
    return [(i, names[i]) for i in ids]


async def department_by_code(session: AsyncSession, code: str) -> int:
    """The id of the department with this code (or name), else InvalidInput."""
    found = await session.scalar(
        select(Department.id).where(or_(Department.code == code, Department.name == code))
    )
    if found is None:
        raise InvalidInput("part.unknown_department", code=code)
    return found


async def choose_department(
    session: AsyncSession, actor: Actor | None, assignment_id: int, wanted: int | None
) -> int:
    """The department whose part the actor opens: the one asked for, else their own."""
    departments = await departments_of_assignment(session, assignment_id)
    if wanted is not None:
        if wanted not in departments:
            raise InvalidInput("part.not_in_check", id=assignment_id)
        return wanted
    own = None if actor is None else actor.department_id
    if own in departments:
        assert own is not None
        return own
    if len(departments) == 1:
        return departments[0]
    names = await department_names(session, departments)
    raise InvalidInput(
        "part.choose_department",
        id=assignment_id,
        departments="、".join(names[d] for d in departments),
    )


async def require_own_part(
    session: AsyncSession, actor: Actor | None, result: InspectionResult
) -> None:
    """Refuse a team member of another department with a part of its own in this check."""
    if actor is None or actor.has("admin", "coordinator"):
        return
    if actor.department_id == result.department_id:
        return
    # An officer whose department has no part here (an expert, say) helps any part.
    if actor.department_id in await departments_of_assignment(session, result.assignment_id):
        raise NotAllowed("part.other_department")


def require_reviewer(actor: Actor | None) -> None:
    """Refuse, before anything is read, whoever reviews no part at all."""
    if actor is not None and not actor.has("admin", "coordinator", "reviewer"):
        raise NotAllowed("error.not_allowed")


def may_review(actor: Actor | None, result: InspectionResult) -> None:
    """Office reviews every part; a reviewer only the parts of their own department."""
    if actor is None or actor.has("admin", "coordinator"):
        return
    if actor.has("reviewer") and actor.department_id == result.department_id:
        return
    raise NotAllowed("part.not_your_department")


def reviews_department(actor: Actor | None) -> int | None:
    """The department whose queue the actor reviews; None for the whole office's queue."""
    if actor is None or actor.has("admin", "coordinator"):
        return None
    if actor.has("reviewer") and actor.department_id is not None:
        return actor.department_id
    raise NotAllowed("error.not_allowed")


async def assignment_status_after_submit(session: AsyncSession, assignment: Assignment) -> str:
    """'submitted' once every department with a part in the check has handed it in."""
    departments = set(await departments_of_assignment(session, assignment.id))
    handed_in = set(
        (
            await session.scalars(
                select(InspectionResult.department_id).where(
                    InspectionResult.assignment_id == assignment.id,
                    InspectionResult.status.in_(SUBMITTED),
                )
            )
        ).all()
    )
    return "submitted" if departments <= handed_in else "in_progress"
