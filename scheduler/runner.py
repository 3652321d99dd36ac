"""APScheduler wiring: it only wakes services up; the outbox table is the source of truth."""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.db import unit_of_work
from handlers.core.transport import Transport
from scheduler.config import Schedule
from scheduler.delivery import DeliveryObserver, deliver_due
from scheduler.sweeps import sweep
from services.common import heartbeat
from services.common.clock import Clock

DELIVERY_SECONDS = 10
SWEEP_SECONDS = 60
# Web workers' /readyz wants a beat younger than READYZ_HEARTBEAT_SECONDS (default 180).
HEARTBEAT_SECONDS = 30


async def beat(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
    """Write the scheduler's heartbeat, which every process's /readyz reads."""
    async with unit_of_work(sessions) as session:
        await heartbeat.beat(session, clock.now())


def build_scheduler(
    sessions: async_sessionmaker[AsyncSession],
    transports: Mapping[str, Transport],
    clock: Clock,
    schedule: Schedule,
    *,
    chats: Sequence[tuple[str, str]] = (),
    checkpoints: Path | None = None,
    observer: DeliveryObserver | None = None,
) -> AsyncIOScheduler:
    """A scheduler that sweeps for reminders every minute and delivers every few seconds.

    `chats` (the leaders' group chats) and the `checkpoints` file receive the daily audit
    checkpoint, at the weekly summary's time of day. A heartbeat goes into the database
    every half minute; `observer` is told what became of each message delivered.
    """
    worker = f"{socket.gethostname()}:{id(transports)}"
    grace = schedule.grace
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        sweep,
        "interval",
        seconds=SWEEP_SECONDS,
        args=(sessions, clock),
        id="sweep",
        kwargs={
            "weekday": schedule.summary_weekday,
            "at": schedule.summary_at,
            "lookahead": schedule.lookahead,
            "grace": grace,
            "chats": tuple(chats),
            "checkpoints": checkpoints,
        },
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )
    scheduler.add_job(
        deliver_due,
        "interval",
        seconds=DELIVERY_SECONDS,
        args=(sessions, transports, clock, worker),
        kwargs={"grace": grace, "observer": observer},
        id="outbox-delivery",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        beat,
        "interval",
        seconds=HEARTBEAT_SECONDS,
        args=(sessions, clock),
        id="heartbeat",
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )
    return scheduler
