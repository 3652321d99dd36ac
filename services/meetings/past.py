"""Meetings held before they were entered: a district starting mid-year enters its past."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant, User
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import InvalidInput
from services.meetings.schedule import KINDS, add_meeting, invitee_ids


async def invitees(session: AsyncSession, departments: Sequence[str]) -> list[tuple[int, str]]:
    """The people a meeting of these departments would invite, as (user id, name)."""
    ids = await invitee_ids(session, departments, (), people_required=False)
    rows = await session.execute(
        select(User.id, User.display_name).where(User.id.in_(ids)).order_by(User.id)
    )
    return [(uid, name) for uid, name in rows]


async def record_past(
    session: AsyncSession,
    actor: Actor | None,
    *,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: str,
    departments: Sequence[str],
    absent_user_ids: Sequence[int],
    minutes: str,
    decisions: str,
    now: datetime,
) -> Meeting:
    """Enter a meeting already held (before JointCheck): attendance and minutes, no messages."""
    if actor is not None:
        require_role(actor, "coordinator")
    if kind not in KINDS:
        raise InvalidInput("meeting.bad_kind")
    if starts_at > now:
        raise InvalidInput("meeting.not_yet")
    if not minutes.strip():
        raise InvalidInput("meeting.minutes_required")
    if not departments:
        raise InvalidInput("meeting.no_participants")
    # Departments whose people had no accounts yet still held the meeting: allowed here.
    meeting = await add_meeting(
        session,
        actor,
        kind,
        title,
        starts_at,
        place,
        agenda,
        departments,
        (),
        now,
        people_required=False,
    )
    meeting.status = "held"
    meeting.minutes, meeting.decisions = minutes.strip(), decisions.strip() or None
    absent = set(absent_user_ids)
    rows = (
        await session.scalars(
            select(MeetingParticipant).where(
                MeetingParticipant.meeting_id == meeting.id,
                MeetingParticipant.user_id.is_not(None),
            )
        )
    ).all()
    if not absent <= {row.user_id for row in rows}:
        raise InvalidInput("meeting.unknown_user")
    for row in rows:
        # Entered afterwards: nobody was asked, so attendance is the answer.
        row.attended = row.user_id not in absent
        row.rsvp = "leave" if row.user_id in absent else "attend"
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="meeting.record_past",
        object_type="meeting",
        object_id=meeting.id,
        after={
            "title": meeting.title,
            "starts_at": starts_at.isoformat(),
            "kind": kind,
            "absent": sorted(absent),
        },
    )
    return meeting
