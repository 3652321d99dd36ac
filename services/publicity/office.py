"""Who handles what follows publication: the coordinators, and a part's department reviewers.

Imports only the models and the outbox, so that the deadline reminders and the follow-up
list can ask it without importing the rest of the subject.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import User, UserRole
from services.messaging import outbox


async def coordinators(session: AsyncSession) -> list[int]:
    """The active users holding the coordinator role."""
    rows = await session.scalars(
        select(UserRole.user_id)
        .join(User, User.id == UserRole.user_id)
        .where(UserRole.role == "coordinator", User.active.is_(True))
        .order_by(UserRole.user_id)
    )
    return list(rows.all())


async def reviewers(session: AsyncSession, department_id: int) -> list[int]:
    """The active reviewers of one department."""
    rows = await session.scalars(
        select(UserRole.user_id)
        .join(User, User.id == UserRole.user_id)
        .where(
            UserRole.role == "reviewer",
            User.department_id == department_id,
            User.active.is_(True),
        )
        .order_by(UserRole.user_id)
    )
    return list(rows.all())


async def handlers_of(session: AsyncSession, department_id: int | None) -> list[int]:
    """The coordinators, and the reviewers of the department when one is given."""
    users = await coordinators(session)
    if department_id is not None:
        users += [u for u in await reviewers(session, department_id) if u not in users]
    return users


async def tell(
    session: AsyncSession,
    user_ids: Iterable[int],
    *,
    kind: str,
    ref: str,
    key: str,
    params: dict[str, Any],
    now: datetime,
) -> int:
    """Queue one message to each user, once per `ref` (dedupe `<ref>:user:<id>`); how many."""
    rows = [
        outbox.row(
            kind=kind,
            due_at=now,
            dedupe_key=f"{ref}:user:{user_id}",
            key=key,
            params=params,
            now=now,
            recipient_user_id=user_id,
        )
        for user_id in dict.fromkeys(user_ids)
    ]
    await outbox.enqueue_rows(session, rows)
    return len(rows)
