"""Papers attached to a meeting's agenda: the year's progress against the annual plan.

Attaching queues one message to every invited person, computed when it is sent (the
figures and chart of that moment, like the weekly summary), under the meeting's title and
time. Attaching the same year to the same meeting twice sends it once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.clock import local_text
from services.common.errors import Conflict
from services.common.rows import existing
from services.messaging import outbox

RENDER = "annual_progress"  # how the delivery computes the message (scheduler/delivery.py)


async def scheduled_meetings(session: AsyncSession, now: datetime) -> list[Meeting]:
    """Meetings still to be held, soonest first (what a paper may be attached to)."""
    rows = await session.scalars(
        select(Meeting)
        .where(Meeting.status == "scheduled", Meeting.starts_at > now)
        .order_by(Meeting.starts_at)
        .limit(10)
    )
    return list(rows.all())


async def attach_progress(
    session: AsyncSession, actor: Actor | None, meeting_id: int, year: int, now: datetime
) -> int:
    """Send the year's progress to the meeting's invitees as an agenda paper; how many."""
    if actor is not None:
        require_role(actor, "coordinator")
    meeting = await existing(session, Meeting, meeting_id, "meeting.not_found")
    if meeting.status != "scheduled" or meeting.starts_at <= now:
        raise Conflict("meeting.not_scheduled", id=meeting_id)
    users = (
        await session.scalars(
            select(MeetingParticipant.user_id)
            .where(
                MeetingParticipant.meeting_id == meeting_id,
                MeetingParticipant.user_id.is_not(None),
            )
            .order_by(MeetingParticipant.user_id)
        )
    ).all()
    params = {
        "title": meeting.title,
        "time": local_text(meeting.starts_at),
        "year": year,
        "meeting": meeting_id,
    }
    for user_id in users:
        await outbox.enqueue(
            session,
            kind="meeting.paper",
            due_at=now,
            now=now,
            dedupe_key=f"meeting:{meeting_id}:paper:progress:{year}:{user_id}",
            recipient_user_id=user_id,
            key="progress_year.agenda_paper",
            params=params,
            render=RENDER,
        )
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="meeting.attach_progress",
        object_type="meeting",
        object_id=meeting_id,
        after={"year": year, "recipients": len(users)},
    )
    return len(users)
