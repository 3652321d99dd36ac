"""Ending work after a draw: voiding a whole draw, or cancelling one assignment.

Work already handed in is protected: a draw with any record submitted (awaiting review or
returned), approved or published cannot be voided, and such an assignment cannot be
cancelled. Either way the teams are told, their pending reminders withdrawn, and the
group announcement queued, in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Draw, Enterprise, InspectionResult, Plan
from models.plans import DrawAmendment
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.common.rows import existing
from services.draw import notify, roster
from services.draw.notify import Chats

HANDED_IN = ("awaiting_review", "returned", "approved", "published")
MAX_REASON = 500


def clean_reason(text: str, key: str) -> str:
    """A reason of 2 to 500 characters, or InvalidInput(key)."""
    reason = text.strip()
    if not 2 <= len(reason) <= MAX_REASON:
        raise InvalidInput(key)
    return reason


def state_of(assignment_status: str, record_status: str | None) -> str:
    """Where a check stands: its assignment's end, else its record's status."""
    if assignment_status in ("unstaffed", "cancelled", "void"):
        return assignment_status
    return record_status or "not_entered"


@dataclass(frozen=True)
class Losses:
    """What voiding a draw would end: its checks counted by where they stand."""

    draw_id: int
    status: str
    states: dict[str, int]

    @property
    def handed_in(self) -> int:
        """Records submitted, approved or published: these forbid the void."""
        return sum(self.states.get(s, 0) for s in HANDED_IN)


async def losses(session: AsyncSession, actor: Actor | None, draw_id: int) -> Losses:
    """Count the draw's checks by state, for the confirmation before a void."""
    if actor is not None:
        require_role(actor, "coordinator")
    draw = await existing(session, Draw, draw_id, "draw.not_found")
    rows = await session.execute(
        select(Assignment.id, Assignment.status, InspectionResult.status)
        .outerjoin(InspectionResult, InspectionResult.assignment_id == Assignment.id)
        .where(Assignment.draw_id == draw_id)
    )
    parts: dict[int, tuple[str, list[str | None]]] = {}
    for assignment_id, status, part in rows:
        parts.setdefault(assignment_id, (status, []))[1].append(part)
    states = Counter(state_of(a, roster.furthest(r)) for a, r in parts.values())
    return Losses(draw_id, draw.status, dict(states))


async def void_outlook(session: AsyncSession, actor: Actor | None, draw_id: int) -> Losses:
    """What voiding the draw would end, or the refusal the void itself would give."""
    found = await losses(session, actor, draw_id)
    if found.status == "voided":
        raise Conflict("draw.already_voided", id=draw_id)
    if found.handed_in:
        raise Conflict("draw.void_handed_in", id=draw_id, n=found.handed_in)
    return found


async def _names(session: AsyncSession, assignment: Assignment) -> dict[str, str]:
    row = (
        await session.execute(
            select(Enterprise.name, Plan.name)
            .join(Plan, Plan.id == assignment.plan_id)
            .where(Enterprise.id == assignment.enterprise_id)
        )
    ).one()
    return {"enterprise": row[0], "plan": row[1]}


async def _end(
    session: AsyncSession, assignment: Assignment, key: str, ref: str, reason: str, now: datetime
) -> None:
    """Withdraw an ended check's reminders and tell its team why."""
    await notify.withdraw(session, assignment.id)
    users = await notify.team_users(session, assignment.id)
    params = {**await _names(session, assignment), "id": str(assignment.id), "reason": reason}
    await notify.tell(
        session, users, kind="assignment.ended", ref=ref, key=key, params=params, now=now
    )


async def void(
    session: AsyncSession,
    actor: Actor | None,
    draw_id: int,
    reason: str,
    now: datetime,
    chats: Chats = (),
) -> Draw:
    """Void a draw with a reason, unless a record was handed in; the teams are told."""
    if actor is not None:
        require_role(actor, "coordinator")
    reason = clean_reason(reason, "draw.void_reason")
    draw = await existing(session, Draw, draw_id, "draw.not_found", lock=True)
    # The records locked (PostgreSQL): a submission racing this void either lands first
    # and is counted here, or waits and then finds its check void.
    await session.execute(
        select(InspectionResult.id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .where(Assignment.draw_id == draw_id)
        .with_for_update(of=InspectionResult)
    )
    found = await void_outlook(session, None, draw_id)
    before = draw.status
    draw.status, draw.voided_at, draw.void_reason = "voided", now, reason
    draw.voided_by = None if actor is None else actor.user_id
    live = (
        await session.scalars(
            select(Assignment).where(
                Assignment.draw_id == draw_id, Assignment.status != "cancelled"
            )
        )
    ).all()
    for assignment in live:
        await _end(session, assignment, "draw.task_voided", f"voided:{assignment.id}", reason, now)
        assignment.status = "void"
    await session.execute(
        update(DrawAmendment)
        .where(DrawAmendment.draw_id == draw_id, DrawAmendment.status == "frozen")
        .values(status="voided")
    )
    await session.execute(update(Plan).where(Plan.id == draw.plan_id).values(status="draft"))
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="draw.void",
        object_type="draw",
        object_id=draw_id,
        before={"status": before, "checks": found.states},
        after={"status": "voided", "reason": reason},
    )
    params = {"id": str(draw_id), "reason": reason}
    await notify.announce(session, chats, f"void:{draw_id}", "draw.voided", params, now)
    return draw


async def cancel(
    session: AsyncSession,
    actor: Actor | None,
    assignment_id: int,
    reason: str,
    now: datetime,
    chats: Chats = (),
) -> Assignment:
    """Cancel one check of a final draw; its record, if started, is kept as it is."""
    if actor is not None:
        require_role(actor, "coordinator")
    reason = clean_reason(reason, "task.cancel_reason")
    assignment = await existing(session, Assignment, assignment_id, "task.not_found")
    draw = await existing(session, Draw, assignment.draw_id, "draw.not_found", lock=True)
    await session.refresh(assignment)  # as it stands under the draw's lock
    if assignment.status == "cancelled":
        raise Conflict("task.already_cancelled", id=assignment_id)
    if draw.status != "final" or assignment.status == "void":
        raise Conflict("task.cancel_not_final", id=assignment_id)
    results = await session.scalars(
        select(InspectionResult)
        .where(InspectionResult.assignment_id == assignment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if any(r.status in HANDED_IN for r in results.all()):
        raise Conflict("task.cancel_handed_in", id=assignment_id)
    code = await session.scalar(
        select(Enterprise.credit_code).where(Enterprise.id == assignment.enterprise_id)
    )
    before = assignment.status
    assignment.status, assignment.cancelled_at = "cancelled", now
    assignment.cancelled_by = None if actor is None else actor.user_id
    assignment.cancel_reason = reason
    amendment = await roster.add(
        session, draw, actor, now, "cancel", {"reason": reason, "code": code}
    )
    await _end(session, assignment, "task.cancelled", f"cancelled:{assignment_id}", reason, now)
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="assignment.cancel",
        object_type="assignment",
        object_id=assignment_id,
        before={"status": before},
        after={"status": "cancelled", "reason": reason, "amendment": amendment.seq},
    )
    params = {**await _names(session, assignment), "id": str(draw.id), "reason": reason}
    await notify.announce(
        session, chats, f"cancel:{assignment_id}", "task.cancel_announcement", params, now
    )
    return assignment
