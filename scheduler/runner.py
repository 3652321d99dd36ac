"""APScheduler wiring: it only wakes services up; the outbox table is the source of truth."""

from __future__ import annotations

import socket
from collections.abc import Mapping

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.transport import Transport
from scheduler.delivery import deliver_due
from services.clock import Clock

DELIVERY_SECONDS = 10


def build_scheduler(
    sessions: async_sessionmaker[AsyncSession], transports: Mapping[str, Transport], clock: Clock
) -> AsyncIOScheduler:
    """A scheduler whose delivery job sends due outbox rows every few seconds."""
    worker = f"{socket.gethostname()}:{id(transports)}"
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        deliver_due,
        "interval",
        seconds=DELIVERY_SECONDS,
        args=(sessions, transports, clock, worker),
        id="outbox-delivery",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
