"""Who may touch an assignment, and assignments as the office follows them (/progress).

An inspector sees and records only the assignments of teams they belong to; the office
(coordinators, admins) sees every one. A refusal for another team's assignment is a
`NotMember`, which the chat layer audits as `authz.denied` (see `record_denial`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Draw,
    Plan,
    User,
)
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, NotAllowed, NotFound
from services.common.rows import existing
from services.records.task_views import TaskView, views

ENDED = ("cancelled", "void")  # assignment statuses of a check called off


def builds_record(action: str) -> bool:
    """Whether an action writes the check's record (reading it and following up orders
    to correct or cases already issued do not)."""
    if action == "record.view":
        return False
    return action.startswith(("record.", "problem.", "measure.")) or action in (
        "notice.add",
        "case.add",
        "clue.add",
    )


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
    assignment = await existing(session, Assignment, assignment_id, "task.not_found")
    if not is_office(actor):
        assert actor is not None
        if actor.inspector_id is None or actor.inspector_id not in await team_inspector_ids(
            session, assignment_id
        ):
            raise NotMember(assignment_id, action)
    if assignment.status in ENDED and builds_record(action):
        # A cancelled or voided check is kept to be read, never recorded on again.
        raise Conflict("record.assignment_closed", id=assignment_id)
    return assignment


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


async def team_user_ids(session: AsyncSession, assignment_id: int) -> list[int]:
    """The users bound to the team's members (for notifications)."""
    rows = await session.scalars(
        select(User.id)
        .join(AssignmentMember, AssignmentMember.inspector_id == User.inspector_id)
        .where(AssignmentMember.assignment_id == assignment_id, User.active.is_(True))
        .order_by(User.id)
    )
    return list(rows.all())
