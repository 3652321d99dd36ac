"""Telling people about a draw and its changes, and withdrawing what no longer applies.

Every message goes through the outbox, rendered in the recipient's language when sent.
The dedupe keys of an assignment's own messages: `assignment:<id>:[<why>:]user:<user>`
(a new task: drawn, substituted in, filled by a supplement) and, made by
services/records/deadlines.py, `remind:window:<id>:<user>` (its check window ending) and
`remind:publish:<result id>:<user>` (its record's publication, to the coordinators).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AssignmentMember, InspectionResult, OutboxMessage, User, UserRole
from services.messaging import outbox

Chats = Sequence[tuple[str, str]]  # (platform, chat id) of the group chats announced to


async def users_of(session: AsyncSession, inspector_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active users bound to each of these inspectors."""
    wanted = list(set(inspector_ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(User.inspector_id, User.id)
        .where(User.inspector_id.in_(wanted), User.active.is_(True))
        .order_by(User.id)
    )
    out: dict[int, list[int]] = {}
    for inspector_id, user_id in rows:
        if inspector_id is not None:
            out.setdefault(inspector_id, []).append(user_id)
    return out


async def team_users(session: AsyncSession, assignment_id: int) -> list[int]:
    """The active users of an assignment's team, in team order."""
    ids = (
        await session.scalars(
            select(AssignmentMember.inspector_id)
            .where(AssignmentMember.assignment_id == assignment_id)
            .order_by(AssignmentMember.position)
        )
    ).all()
    found = await users_of(session, ids)
    return [user for inspector in ids for user in found.get(inspector, [])]


async def coordinators(session: AsyncSession) -> list[int]:
    """The users holding the coordinator role."""
    rows = await session.scalars(
        select(UserRole.user_id).where(UserRole.role == "coordinator").order_by(UserRole.user_id)
    )
    return list(rows.all())


async def tell(
    session: AsyncSession,
    user_ids: Iterable[int],
    *,
    kind: str,
    ref: str,
    key: str,
    params: dict[str, Any],
    now: datetime,
    buttons: list[list[list[str]]] | None = None,
) -> None:
    """Queue one message to each user, once per `ref` (dedupe `<ref>:user:<id>`)."""
    for user_id in dict.fromkeys(user_ids):
        await outbox.enqueue(
            session,
            kind=kind,
            due_at=now,
            now=now,
            dedupe_key=f"{ref}:user:{user_id}",
            recipient_user_id=user_id,
            key=key,
            params=params,
            buttons=buttons,
        )


async def announce(
    session: AsyncSession, chats: Chats, ref: str, key: str, params: dict[str, str], now: datetime
) -> None:
    """Queue an announcement to every configured group chat (in Chinese, as published)."""
    for platform, chat in chats:
        await outbox.enqueue(
            session,
            kind="announce",
            due_at=now,
            now=now,
            dedupe_key=f"announce:{ref}:{platform}:{chat}",
            platform=platform,
            chat_id=chat,
            key=key,
            params=params,
        )


async def withdraw(
    session: AsyncSession, assignment_id: int, user_ids: Iterable[int] | None = None
) -> int:
    """Cancel the pending new-task, check-window and publication reminders of an
    assignment (of some of its people only, when given); how many."""
    users = None if user_ids is None else list(user_ids)
    match: list[ColumnElement[bool]]
    if users is None:
        match = [
            OutboxMessage.dedupe_key.like(f"assignment:{assignment_id}:%"),
            OutboxMessage.dedupe_key.like(f"remind:window:{assignment_id}:%"),
        ]
        result_ids = await session.scalars(
            select(InspectionResult.id).where(InspectionResult.assignment_id == assignment_id)
        )
        for result_id in result_ids.all():
            # Publication reminders go to the coordinators: withdrawn with the whole check.
            match.append(OutboxMessage.dedupe_key.like(f"remind:publish:{result_id}:%"))
    else:
        match = [OutboxMessage.dedupe_key == f"remind:window:{assignment_id}:{u}" for u in users]
        match += [
            OutboxMessage.dedupe_key.like(f"assignment:{assignment_id}:%user:{u}") for u in users
        ]
        if not match:
            return 0
    done = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status.in_(outbox.UNSENT), or_(*match))
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0) or 0)
