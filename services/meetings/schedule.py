"""Joint meetings (联席会议): scheduling, invitations, RSVPs, reminders, outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Inspector, Meeting, MeetingParticipant, OutboxMessage, User
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.clock import local_text
from services.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.common.rows import existing
from services.messaging import outbox

KINDS = ("plenary", "topical")
DEFAULT_OFFSETS = (timedelta(days=1), timedelta(hours=1))


async def invitee_ids(
    session: AsyncSession,
    departments: Sequence[str],
    logins: Sequence[str],
    *,
    people_required: bool = True,
) -> list[int]:
    """Users of the given departments (staff or directory inspectors) and logins."""
    ids: set[int] = set()
    if departments:
        dept_ids = (
            await session.scalars(select(Department.id).where(Department.code.in_(departments)))
        ).all()
        if len(dept_ids) != len(set(departments)):
            raise NotFound("meeting.unknown_department")
        rows = await session.scalars(
            select(User.id)
            .outerjoin(Inspector, Inspector.id == User.inspector_id)
            .where(
                User.active,
                or_(User.department_id.in_(dept_ids), Inspector.department_id.in_(dept_ids)),
            )
        )
        ids.update(rows.all())
    if logins:
        found = (await session.scalars(select(User.id).where(User.login.in_(logins)))).all()
        if len(found) != len(set(logins)):
            raise NotFound("meeting.unknown_user")
        ids.update(found)
    if not ids and people_required:
        raise InvalidInput("meeting.no_participants")
    return sorted(ids)


async def create(
    session: AsyncSession,
    actor: Actor | None,
    *,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: str,
    departments: Sequence[str],
    logins: Sequence[str],
    now: datetime,
    offsets: Sequence[timedelta] = DEFAULT_OFFSETS,
) -> Meeting:
    """Schedule a meeting, invite its participants and queue the reminders."""
    if actor is not None:
        require_role(actor, "coordinator")
    if kind not in KINDS:
        raise InvalidInput("meeting.bad_kind")
    if starts_at <= now:
        raise InvalidInput("meeting.in_past")
    meeting = await add_meeting(
        session, actor, kind, title, starts_at, place, agenda, departments, logins, now
    )
    await _notify(session, meeting, "invite", now, with_rsvp=True)
    await _queue_reminders(session, meeting, now, offsets, version=1)
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="meeting.create",
        object_type="meeting",
        object_id=meeting.id,
        after={"title": meeting.title, "starts_at": starts_at.isoformat(), "kind": kind},
    )
    return meeting


async def add_meeting(
    session: AsyncSession,
    actor: Actor | None,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: str,
    departments: Sequence[str],
    logins: Sequence[str],
    now: datetime,
    *,
    people_required: bool = True,
) -> Meeting:
    """Add a meeting and its participants (departments and their people), nothing sent."""
    meeting = Meeting(
        kind=kind,
        title=title.strip()[:200],
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        created_by=None if actor is None else actor.user_id,
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    dept_ids = (
        await session.scalars(select(Department.id).where(Department.code.in_(departments)))
    ).all()
    session.add_all(MeetingParticipant(meeting_id=meeting.id, department_id=d) for d in dept_ids)
    people = await invitee_ids(session, departments, logins, people_required=people_required)
    for user_id in people:
        session.add(MeetingParticipant(meeting_id=meeting.id, user_id=user_id))
    await session.flush()
    return meeting


def _params(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "time": local_text(meeting.starts_at),
        "place": meeting.place or "-",
        "agenda": meeting.agenda or "-",
        "id": meeting.id,
    }


async def _users(session: AsyncSession, meeting_id: int) -> list[int]:
    rows = await session.scalars(
        select(MeetingParticipant.user_id).where(
            MeetingParticipant.meeting_id == meeting_id, MeetingParticipant.user_id.is_not(None)
        )
    )
    return [u for u in rows.all() if u is not None]


async def _notify(
    session: AsyncSession,
    meeting: Meeting,
    what: str,
    now: datetime,
    *,
    with_rsvp: bool = False,
    tag: str = "",
) -> None:
    buttons = (
        [
            [
                ["button.attend", f"mtg:rsvp:{meeting.id}:attend"],
                ["button.leave", f"mtg:rsvp:{meeting.id}:leave"],
            ]
        ]
        if with_rsvp
        else []
    )
    for user_id in await _users(session, meeting.id):
        await outbox.enqueue(
            session,
            kind=f"meeting.{what}",
            due_at=now,
            now=now,
            dedupe_key=f"meeting:{meeting.id}:{what}{tag}:{user_id}",
            recipient_user_id=user_id,
            key=f"meeting.{what}",
            params=_params(meeting),
            buttons=buttons,
        )


async def _queue_reminders(
    session: AsyncSession,
    meeting: Meeting,
    now: datetime,
    offsets: Sequence[timedelta],
    version: int,
) -> None:
    for offset in offsets:
        due = meeting.starts_at - offset
        if due <= now:
            continue  # that reminder's moment has passed already
        minutes = int(offset.total_seconds() // 60)
        for user_id in await _users(session, meeting.id):
            await outbox.enqueue(
                session,
                kind="remind.meeting",
                due_at=due,
                now=now,
                dedupe_key=f"meeting:{meeting.id}:remind:v{version}:{minutes}:{user_id}",
                recipient_user_id=user_id,
                key="meeting.reminder",
                params=_params(meeting),
            )


async def _cancel_pending(session: AsyncSession, meeting_id: int) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.dedupe_key.like(f"meeting:{meeting_id}:remind:%"),
            OutboxMessage.status.in_(outbox.UNSENT),
        )
        .values(status="cancelled")
    )


async def _scheduled(session: AsyncSession, meeting_id: int) -> Meeting:
    meeting = await existing(session, Meeting, meeting_id, "meeting.not_found", lock=True)
    if meeting.status != "scheduled":
        raise Conflict("meeting.not_scheduled", id=meeting_id)
    return meeting


async def reschedule(
    session: AsyncSession,
    actor: Actor | None,
    meeting_id: int,
    starts_at: datetime,
    now: datetime,
    offsets: Sequence[timedelta] = DEFAULT_OFFSETS,
) -> Meeting:
    """Move a meeting: its pending reminders move with it and participants are told."""
    if actor is not None:
        require_role(actor, "coordinator")
    if starts_at <= now:
        raise InvalidInput("meeting.in_past")
    meeting = await _scheduled(session, meeting_id)
    before = meeting.starts_at
    meeting.starts_at = starts_at
    await _cancel_pending(session, meeting_id)
    version = await _next_version(session, meeting_id)
    await _queue_reminders(session, meeting, now, offsets, version)
    await _notify(session, meeting, "moved", now, tag=f"v{version}")
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="meeting.reschedule",
        object_type="meeting",
        object_id=meeting_id,
        before={"starts_at": before.isoformat()},
        after={"starts_at": starts_at.isoformat()},
    )
    return meeting


async def _next_version(session: AsyncSession, meeting_id: int) -> int:
    keys = (
        await session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.like(f"meeting:{meeting_id}:remind:v%")
            )
        )
    ).all()
    versions = [int(k.split(":")[3][1:]) for k in keys] or [1]
    return max(versions) + 1


async def cancel(
    session: AsyncSession, actor: Actor | None, meeting_id: int, reason: str, now: datetime
) -> Meeting:
    """Cancel a meeting: its reminders are withdrawn and participants are told."""
    if actor is not None:
        require_role(actor, "coordinator")
    meeting = await _scheduled(session, meeting_id)
    meeting.status = "cancelled"
    await _cancel_pending(session, meeting_id)
    await _notify(session, meeting, "cancelled", now)
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="meeting.cancel",
        object_type="meeting",
        object_id=meeting_id,
        after={"reason": reason},
    )
    return meeting


async def rsvp(
    session: AsyncSession,
    actor: Actor,
    meeting_id: int,
    answer: str,
    reason: str | None,
    now: datetime,
) -> None:
    """Answer an invitation: attend, or leave with a reason."""
    if answer not in ("attend", "leave") or (answer == "leave" and not (reason or "").strip()):
        raise InvalidInput("meeting.leave_reason")
    meeting = await _scheduled(session, meeting_id)
    row = await session.scalar(
        select(MeetingParticipant).where(
            MeetingParticipant.meeting_id == meeting.id, MeetingParticipant.user_id == actor.user_id
        )
    )
    if row is None:
        raise NotAllowed("meeting.not_invited")
    row.rsvp, row.leave_reason = answer, (reason or None)
    await audit.record(
        session,
        at=now,
        actor=actor.ref,
        action="meeting.rsvp",
        object_type="meeting",
        object_id=meeting_id,
        after={"rsvp": answer, "reason": reason},
    )


async def check_outcome_open(
    session: AsyncSession, actor: Actor | None, meeting_id: int, now: datetime
) -> None:
    """Refuse before any typing: an outcome is recorded for a scheduled meeting once begun."""
    if actor is not None:
        require_role(actor, "coordinator")
    meeting = await _scheduled(session, meeting_id)
    if meeting.starts_at > now:
        raise InvalidInput("meeting.not_yet")


async def record_outcome(
    session: AsyncSession,
    actor: Actor | None,
    meeting_id: int,
    *,
    held: bool,
    absent_user_ids: Sequence[int],
    minutes: str,
    decisions: str,
    now: datetime,
) -> Meeting:
    """Record afterwards whether the meeting was held, who attended, minutes, decisions."""
    if actor is not None:
        require_role(actor, "coordinator")
    meeting = await _scheduled(session, meeting_id)
    if meeting.starts_at > now:
        raise InvalidInput("meeting.not_yet")
    meeting.status = "held" if held else "not_held"
    meeting.minutes, meeting.decisions = minutes or None, decisions or None
    absent = set(absent_user_ids)
    for row in (
        await session.scalars(
            select(MeetingParticipant).where(
                MeetingParticipant.meeting_id == meeting_id, MeetingParticipant.user_id.is_not(None)
            )
        )
    ).all():
        row.attended = held and row.user_id not in absent
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="meeting.outcome",
        object_type="meeting",
        object_id=meeting_id,
        after={"status": meeting.status, "absent": sorted(absent)},
    )
    return meeting
