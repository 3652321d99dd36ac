"""The sweep: queue, ahead of their time, the reminders and summaries that should exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.db import unit_of_work
from models import ProcessedUpdate, UserRole
from services.common import audit, audit_files
from services.common.clock import SHANGHAI, Clock
from services.draw import proposals
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


async def _daily_checkpoint(
    session: AsyncSession,
    now: datetime,
    at: time,
    chats: Sequence[tuple[str, str]],
    checkpoints: Path | None,
) -> audit.Checkpoint | None:
    """From `at` each day, once: queue the audit head to the group chats; return it to keep."""
    local = now.astimezone(SHANGHAI)
    if local < datetime.combine(local.date(), at, SHANGHAI) or not (chats or checkpoints):
        return None
    if checkpoints is not None and audit_files.taken_on(checkpoints, local.date(), "daily"):
        return None
    head = await audit.head(session)
    if head.seq == 0:
        return None  # nothing written yet, nothing to vouch for
    for platform, chat_id in chats:
        # Outside the database: a copy in the leaders' chat cannot be rewritten with it.
        await outbox.enqueue(
            session,
            kind="audit.checkpoint",
            due_at=now,
            now=now,
            dedupe_key=f"audit:checkpoint:{local.date()}:{platform}:{chat_id}",
            platform=platform,
            chat_id=chat_id,
            key="audit.checkpoint",
            params={"date": str(local.date()), "seq": head.seq, "hash": head.hash},
        )
    return head


async def sweep(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    weekday: int = 0,
    at: time = time(9, 0),
    lookahead: timedelta = timedelta(days=14),
    grace: timedelta = timedelta(hours=1),
    robot: bool = False,
    chats: Sequence[tuple[str, str]] = (),
    checkpoints: Path | None = None,
) -> None:
    """Queue the weekly summary, reminders due soon and the daily audit checkpoint (idempotent)."""
    now = clock.now()
    today = now.astimezone(SHANGHAI).date()
    async with unit_of_work(sessions) as session:
        # Platforms redeliver for a day at most; older marks only risk matching a reused id.
        await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - KEEP_UPDATES)
        )
        await _weekly_summaries(session, now, weekday, at, robot)
        taken = await _daily_checkpoint(session, now, at, chats, checkpoints)
        horizon = today + lookahead
        due = await deadlines.due_reminders(session, today, horizon)
        await deadlines.withdraw_stale(session, {r.dedupe_key for r in due}, today, horizon)
        # A recusal, a departure or a lapsed certificate since the freeze: offer a substitute.
        await proposals.propose(session, now)
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
    if taken is not None and checkpoints is not None:
        # After the commit: a line in the file always names a head the database kept.
        audit_files.append_checkpoint(checkpoints, taken, now, "daily")
