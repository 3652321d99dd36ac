"""Review by the office: awaiting review -> approved, or returned to the team with a reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Enterprise, InspectionResult
from services.accounts.actors import Actor
from services.common.errors import Conflict
from services.messaging import outbox
from services.records.parts import may_review, require_reviewer, reviews_department
from services.records.publication import QueueItem, locked_result, queue
from services.records.results import clean_text, log_change
from services.records.tasks import team_user_ids


async def awaiting(session: AsyncSession, actor: Actor | None) -> list[QueueItem]:
    """Parts waiting for review (a reviewer: their department's), earliest deadline first."""
    return await queue(session, ("awaiting_review",), reviews_department(actor))


def _reviewable(result: InspectionResult, target: str) -> None:
    if result.status == target:
        raise Conflict(f"review.already_{target}", id=result.id)
    if result.status != "awaiting_review":
        raise Conflict("review.not_awaiting", id=result.id, status=result.status)


async def approve(
    session: AsyncSession, actor: Actor | None, result_id: int, now: datetime
) -> InspectionResult:
    """Approve a submitted part for publication; pressed twice, it is approved once."""
    require_reviewer(actor)
    result = await locked_result(session, result_id)
    may_review(actor, result)
    _reviewable(result, "approved")
    result.status, result.reviewed_at = "approved", now
    result.reviewed_by = None if actor is None else actor.user_id
    result.version += 1
    await log_change(
        session,
        actor,
        "review.approve",
        "inspection_result",
        result_id,
        now,
        before={"status": "awaiting_review"},
        after={"status": "approved"},
    )
    return result


async def return_to_team(
    session: AsyncSession, actor: Actor | None, result_id: int, reason: str, now: datetime
) -> InspectionResult:
    """Send a part back to its team with a reason; every member is told."""
    require_reviewer(actor)
    text = clean_text(reason)
    result = await locked_result(session, result_id)
    may_review(actor, result)
    _reviewable(result, "returned")
    result.status, result.reviewed_at, result.return_reason = "returned", now, text
    result.reviewed_by = None if actor is None else actor.user_id
    result.version += 1
    assignment = await session.get(Assignment, result.assignment_id)
    assert assignment is not None
    assignment.status = "in_progress"
    enterprise = await session.get(Enterprise, assignment.enterprise_id)
    for user_id in await team_user_ids(session, assignment.id):
        await outbox.enqueue(
            session,
            kind="record.returned",
            due_at=now,
            now=now,
            dedupe_key=f"result:{result_id}:returned:{result.version}:user:{user_id}",
            recipient_user_id=user_id,
            key="review.returned_notice",
            params={
                "enterprise": enterprise.name if enterprise else "",
                "reason": text,
                "assignment": assignment.id,
            },
        )
    await log_change(
        session,
        actor,
        "review.return",
        "inspection_result",
        result_id,
        now,
        before={"status": "awaiting_review"},
        after={"status": "returned", "reason": text},
    )
    return result
