"""The scheduler's heartbeat: the time of its last beat, in the database for every process.

Web workers in other processes read it for `/readyz`. It is kept as a named counter (no
table of its own): the value is the seconds since `EPOCH`, which fits the counters' 32-bit
column on PostgreSQL until 2088.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import Counter
from services.common.dialect import dialect_name

NAME = "scheduler.heartbeat"
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


async def beat(session: AsyncSession, now: datetime) -> None:
    """Record that the scheduler is alive at `now`."""
    value = int((now - EPOCH).total_seconds())
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    stmt = insert(Counter).values(name=NAME, value=value)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[Counter.name], set_={"value": value})
    )


async def last_beat(session: AsyncSession) -> datetime | None:
    """When the scheduler last beat, or None if it never has."""
    value = await session.scalar(select(Counter.value).where(Counter.name == NAME))
    return None if value is None else EPOCH + timedelta(seconds=int(value))
