"""Deadlines that move when a year's holiday notice is loaded, and the people told.

A deadline computed while its year was unknown used the Monday-Friday fallback. When the
State Council's notice for that year is loaded, each such deadline is computed again: a
result's publication limit, and an order's deadline that was the default one (a deadline
the inspector typed is theirs and stays). Whoever follows a moved date is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, InspectionResult, Plan, RectificationNotice, User, UserRole
from services.common import audit
from services.common.workdays import Calendar
from services.messaging import outbox
from services.records.notices import default_deadline
from services.records.publication import publication_due
from services.records.tasks import team_inspector_ids


@dataclass(frozen=True)
class Moved:
    """A deadline that moved: what it belongs to, and the old and new day."""

    kind: str  # "publish" or "notice"
    object_id: int
    old: date
    new: date


async def recompute(
    session: AsyncSession,
    year: int,
    old: Calendar,
    new: Calendar,
    notice_days: int,
    now: datetime,
) -> list[Moved]:
    """Move the deadlines that `old` computed by the fallback for `year`; tell people."""
    moved = [
        *await _publication(session, year, old, new),
        *await _notices(session, year, old, new, notice_days),
    ]
    for m in moved:
        await audit.record(
            session,
            actor="calendar",
            action=f"calendar.{m.kind}_moved",
            object_type="inspection_result" if m.kind == "publish" else "rectification_notice",
            object_id=m.object_id,
            at=now,
            before={"day": m.old.isoformat()},
            after={"day": m.new.isoformat()},
        )
        await _tell(session, m, year, now)
    return moved


async def _publication(
    session: AsyncSession, year: int, old: Calendar, new: Calendar
) -> list[Moved]:
    rows = await session.execute(
        select(InspectionResult, Plan.check_end)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .where(InspectionResult.publish_due.is_not(None), InspectionResult.published_at.is_(None))
    )
    moved = []
    for result, check_end in rows.all():
        before = publication_due(check_end, calendar=old)
        if year not in before.fallback_years or result.publish_due != before.day:
            continue
        after = publication_due(check_end, calendar=new).day
        if after != result.publish_due:
            assert result.publish_due is not None
            moved.append(Moved("publish", result.id, result.publish_due, after))
            result.publish_due = after
    return moved


async def _notices(
    session: AsyncSession, year: int, old: Calendar, new: Calendar, days: int
) -> list[Moved]:
    notices = await session.scalars(
        select(RectificationNotice).where(RectificationNotice.status == "open")
    )
    moved = []
    for notice in notices.all():
        before = default_deadline(notice.issued_on, days, old)
        # Only the default deadline moves: one typed by hand is the inspector's.
        if year not in before.fallback_years or notice.deadline != before.day:
            continue
        after = default_deadline(notice.issued_on, days, new).day
        if after != notice.deadline:
            moved.append(Moved("notice", notice.id, notice.deadline, after))
            notice.deadline = after
    return moved


async def _tell(session: AsyncSession, moved: Moved, year: int, now: datetime) -> None:
    if moved.kind == "publish":
        people = await session.scalars(
            select(UserRole.user_id).where(UserRole.role == "coordinator")
        )
        users = list(people.all())
    else:
        notice = await session.get(RectificationNotice, moved.object_id)
        assert notice is not None
        result = await session.get(InspectionResult, notice.result_id)
        assert result is not None
        members = await team_inspector_ids(session, result.assignment_id)
        found = await session.scalars(select(User.id).where(User.inspector_id.in_(members)))
        users = list(found.all())
    for user_id in users:
        await outbox.enqueue(
            session,
            kind="calendar.moved",
            due_at=now,
            now=now,
            dedupe_key=f"calendar:{year}:{moved.kind}:{moved.object_id}:{moved.new}:{user_id}",
            recipient_user_id=user_id,
            key=f"calendar.{moved.kind}_moved",
            params={
                "id": moved.object_id,
                "old": moved.old.isoformat(),
                "new": moved.new.isoformat(),
                "year": year,
            },
        )
