"""The sweep: queue, ahead of their time, the reminders and summaries that should exist."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.db import unit_of_work
from models import ProcessedUpdate, UserRole
from services.common.clock import SHANGHAI, Clock
from services.messaging import outbox
from services.records import deadlines


def next_summary(now: datetime, weekday: int, at: time) -> datetime:
    """The first weekly-summary moment at or after `now` (Asia/Shanghai wall time)."""
    local = now.astimezone(SHANGHAI)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    moment = datetime.combine(day, at, SHANGHAI)
    return moment if moment >= local else moment + timedelta(days=7)


KEEP_UPDATES = timedelta(days=2)
ROBOT = ("wecom-robot", "robot")  # the leaders' WeCom group, through its robot


async def _weekly_summaries(
    session: AsyncSession, now: datetime, weekday: int, at: time, robot: bool
) -> None:
    moment = next_summary(now, weekday, at)
    if robot:
        await outbox.enqueue(
            session,
            kind="summary.weekly",
            due_at=moment,
            now=now,
            dedupe_key=f"summary:weekly:{moment.date()}:robot",
            platform=ROBOT[0],
            chat_id=ROBOT[1],
            key="summary.head",
            params={},
            render="weekly_summary",
        )
    leaders = await session.scalars(select(UserRole.user_id).where(UserRole.role == "leader"))
    for user_id in leaders.all():
        await outbox.enqueue(
            session,
            kind="summary.weekly",
            due_at=moment,
            now=now,
            dedupe_key=f"summary:weekly:{moment.date()}:{user_id}",
            recipient_user_id=user_id,
            key="summary.head",
            params={},
            render="weekly_summary",
        )


async def sweep(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    weekday: int = 0,
    at: time = time(9, 0),
    lookahead: timedelta = timedelta(days=14),
    grace: timedelta = timedelta(hours=1),
    robot: bool = False,
) -> None:
    """Queue the next weekly summary and the deadline reminders due soon (idempotent)."""
    now = clock.now()
    today = now.astimezone(SHANGHAI).date()
    async with unit_of_work(sessions) as session:
        # Platforms redeliver for a day at most; older marks only risk matching a reused id.
        await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - KEEP_UPDATES)
        )
        await _weekly_summaries(session, now, weekday, at, robot)
        horizon = today + lookahead
        due = await deadlines.due_reminders(session, today, horizon)
        await deadlines.withdraw_stale(session, {r.dedupe_key for r in due}, today, horizon)
        for r in due:
            if r.due < now - grace:
                continue  # its moment passed before it could be queued; nothing to miss
            await outbox.enqueue(
                session,
                kind=r.kind,
                due_at=r.due,
                now=now,
                dedupe_key=r.dedupe_key,
                recipient_user_id=r.user_id,
                key=r.key,
                params=r.params,
            )
