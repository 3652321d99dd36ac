"""Publication ("one public"): the 20-working-day deadline, the queue and publishing.

企业信息公示暂行条例 Art. 6 and 14: results are published within 20 working days of the end
of the check, counted on the official calendar from the day after (services.common.workdays, with
its Monday-Friday fallback for a year the calendar does not know yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Enterprise, InspectionResult, Plan
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.calendar_store import calendar
from services.common.errors import Conflict
from services.common.rows import existing
from services.common.workdays import OFFICIAL, Calendar, WorkdayResult

PUBLICATION_WORKING_DAYS = 20  # law: 企业信息公示暂行条例 Art. 6, 14


def publication_due(
    check_end: date, days: int = PUBLICATION_WORKING_DAYS, calendar: Calendar = OFFICIAL
) -> WorkdayResult:
    """The last day to publish the results of a check that ended on `check_end`."""
    return calendar.add_working_days(check_end, days)


@dataclass(frozen=True)
class QueueItem:
    """A result waiting for the office, with what decides its urgency."""

    result_id: int
    assignment_id: int
    enterprise: str
    credit_code: str
    plan_name: str
    status: str
    publish_due: date | None
    submitted_at: datetime | None
    fallback: bool

    def days_left(self, today: date) -> int | None:
        """Calendar days until the publication deadline (negative: overdue)."""
        return None if self.publish_due is None else (self.publish_due - today).days


async def queue(session: AsyncSession, statuses: tuple[str, ...]) -> list[QueueItem]:
    """Results in these statuses, the most urgent publication deadline first."""
    rows = await session.execute(
        select(InspectionResult, Enterprise.name, Enterprise.credit_code, Plan)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .where(InspectionResult.status.in_(statuses))
        .order_by(
            InspectionResult.publish_due.is_(None),
            InspectionResult.publish_due,
            InspectionResult.submitted_at,
            InspectionResult.id,
        )
    )
    cal = await calendar(session)
    return [
        QueueItem(
            result.id,
            result.assignment_id,
            name,
            code,
            plan.name,
            result.status,
            result.publish_due,
            result.submitted_at,
            publication_due(plan.check_end, calendar=cal).fallback,
        )
        for result, name, code, plan in rows
    ]


async def ready_to_publish(session: AsyncSession, actor: Actor | None) -> list[QueueItem]:
    """Approved results, due soon first (coordinators)."""
    if actor is not None:
        require_role(actor, "coordinator")
    return await queue(session, ("approved",))


async def locked_result(session: AsyncSession, result_id: int) -> InspectionResult:
    """The result, locked for a status change (FOR UPDATE on PostgreSQL)."""
    return await existing(session, InspectionResult, result_id, "record.not_found", lock=True)


async def publish(
    session: AsyncSession, actor: Actor | None, result_id: int, now: datetime
) -> InspectionResult:
    """Publish an approved result; a second press finds it published and changes nothing."""
    if actor is not None:
        require_role(actor, "coordinator")
    result = await locked_result(session, result_id)
    if result.status == "published":
        raise Conflict("publish.already", id=result_id)
    if result.status != "approved":
        raise Conflict("publish.not_approved", id=result_id, status=result.status)
    result.status, result.published_at = "published", now
    result.version += 1
    assignment = await session.get(Assignment, result.assignment_id)
    if assignment is not None:
        assignment.status = "closed"
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="result.publish",
        object_type="inspection_result",
        object_id=result.id,
        before={"status": "approved"},
        after={"status": "published", "publish_due": str(result.publish_due)},
    )
    return result


async def unpublished_due_by(session: AsyncSession, day: date) -> list[QueueItem]:
    """Results not yet published whose deadline falls on or before `day` (for the scheduler)."""
    items = await queue(
        session, ("not_entered", "draft", "awaiting_review", "returned", "approved")
    )
    return [i for i in items if i.publish_due is not None and i.publish_due <= day]
