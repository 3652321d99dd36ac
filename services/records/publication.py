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

from models import Assignment, Department, Enterprise, InspectionResult, Plan
from services.accounts.actors import Actor, audit_name
from services.common import audit
from services.common.calendar_store import calendar
from services.common.clock import SHANGHAI
from services.common.errors import Conflict
from services.common.policy import ABNORMAL_PROPOSAL_WORKING_DAYS
from services.common.rows import existing
from services.common.workdays import OFFICIAL, Calendar, WorkdayResult
from services.publicity import abnormal
from services.records.parts import (
    departments_of_assignment,
    may_review,
    require_reviewer,
    reviews_department,
)

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
    department: str = ""

    def days_left(self, today: date) -> int | None:
        """Calendar days until the publication deadline (negative: overdue)."""
        return None if self.publish_due is None else (self.publish_due - today).days


async def queue(
    session: AsyncSession, statuses: tuple[str, ...], department_id: int | None = None
) -> list[QueueItem]:
    """Parts in these statuses (of one department, if given), most urgent deadline first."""
    mine = () if department_id is None else (InspectionResult.department_id == department_id,)
    rows = await session.execute(
        select(InspectionResult, Enterprise.name, Enterprise.credit_code, Plan, Department.name)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .join(Department, Department.id == InspectionResult.department_id)
        .where(InspectionResult.status.in_(statuses), *mine)
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
            department,
        )
        for result, name, code, plan, department in rows
    ]


async def ready_to_publish(session: AsyncSession, actor: Actor | None) -> list[QueueItem]:
    """Approved parts, due soon first (the office; a reviewer: their department's)."""
    return await queue(session, ("approved",), reviews_department(actor))


async def locked_result(session: AsyncSession, result_id: int) -> InspectionResult:
    """The result, locked for a status change (FOR UPDATE on PostgreSQL)."""
    return await existing(session, InspectionResult, result_id, "record.not_found", lock=True)


async def publish(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    now: datetime,
    *,
    abnormal_days: int = ABNORMAL_PROPOSAL_WORKING_DAYS,
) -> InspectionResult:
    """Publish an approved part; a second press finds it published and changes nothing."""
    require_reviewer(actor)
    result = await locked_result(session, result_id)
    may_review(actor, result)
    if result.status == "published":
        raise Conflict("publish.already", id=result_id)
    if result.status != "approved":
        raise Conflict("publish.not_approved", id=result_id, status=result.status)
    result.status, result.published_at = "published", now
    result.version += 1
    result.publication += 1
    await session.flush()
    # An enterprise not reachable at its registered place is proposed for the list of
    # abnormal operations (经营异常名录) as its part goes public.
    await abnormal.propose_if_unreachable(
        session, result, now.astimezone(SHANGHAI).date(), now, days=abnormal_days
    )
    assignment = await session.get(Assignment, result.assignment_id)
    if assignment is not None and await _all_published(session, assignment.id):
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


async def _all_published(session: AsyncSession, assignment_id: int) -> bool:
    # The check is closed once every department with a part in it has published its part.
    departments = set(await departments_of_assignment(session, assignment_id))
    published = set(
        (
            await session.scalars(
                select(InspectionResult.department_id).where(
                    InspectionResult.assignment_id == assignment_id,
                    InspectionResult.status == "published",
                )
            )
        ).all()
    )
    return departments <= published


async def unpublished_due_by(session: AsyncSession, day: date) -> list[QueueItem]:
    """Results not yet published whose deadline falls on or before `day` (for the scheduler)."""
    items = await queue(
        session, ("not_entered", "draft", "awaiting_review", "returned", "approved")
    )
    return [i for i in items if i.publish_due is not None and i.publish_due <= day]
