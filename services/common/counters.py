"""Named counters, incremented atomically on both SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import Counter
from services.common.dialect import dialect_name


async def next_value(session: AsyncSession, name: str) -> int:
    """Increment the counter `name` (created at 1) and return its new value."""
    upsert = {"value": Counter.value + 1}
    if dialect_name(session) == "postgresql":
        pg = postgresql.insert(Counter).values(name=name, value=1)
        stmt = pg.on_conflict_do_update(index_elements=[Counter.name], set_=upsert).returning(
            Counter.value
        )
    else:
        lite = sqlite.insert(Counter).values(name=name, value=1)
        stmt = lite.on_conflict_do_update(index_elements=[Counter.name], set_=upsert).returning(
            Counter.value
        )
    value = (await session.execute(stmt)).scalar_one()
    return int(value)
