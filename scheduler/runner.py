"""APScheduler wiring: it only wakes services up; the outbox table is the source of truth."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from datetime import time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from handlers.core.transport import Transport
from scheduler.delivery import deliver_due
from scheduler.sweeps import sweep
from services.common.clock import Clock

DELIVERY_SECONDS = 10
SWEEP_SECONDS = 60


def build_scheduler(
    sessions: async_sessionmaker[AsyncSession],
    transports: Mapping[str, Transport],
    clock: Clock,
    settings: Settings,
) -> AsyncIOScheduler:
    """A scheduler that sweeps for reminders every minute and delivers every few seconds."""
    worker = f"{socket.gethostname()}:{id(transports)}"
    grace = timedelta(minutes=settings.outbox_grace_minutes)
    hour, minute = (int(x) for x in settings.weekly_summary_time.split(":"))
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        sweep,
        "interval",
        seconds=SWEEP_SECONDS,
        args=(sessions, clock),
        id="sweep",
        kwargs={
            "weekday": settings.weekly_summary_day,
            "at": time(hour, minute),
            "lookahead": timedelta(days=settings.reminder_lookahead_days),
            "grace": grace,
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
        kwargs={"grace": grace},
        id="outbox-delivery",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
