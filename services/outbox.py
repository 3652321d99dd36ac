"""The outbox: every message the system starts on its own is a row, delivered when due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage
from services.dialect import dialect_name


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    due_at: datetime,
    dedupe_key: str,
    key: str,
    params: dict[str, Any],
    now: datetime,
    recipient_user_id: int | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
) -> None:
    """Queue a catalog message (rendered in the recipient's language when sent), once."""
    values = {
        "kind": kind,
        "due_at": due_at,
        "dedupe_key": dedupe_key,
        "payload": {"key": key, "params": params},
        "recipient_user_id": recipient_user_id,
        "platform": platform,
        "chat_id": chat_id,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }
    # The dedupe key makes a repeated enqueue (a retried action) a no-op.
    if dialect_name(session) == "postgresql":
        pg = postgresql.insert(OutboxMessage).values(**values)
        await session.execute(pg.on_conflict_do_nothing(index_elements=["dedupe_key"]))
    else:
        lite = sqlite.insert(OutboxMessage).values(**values)
        await session.execute(lite.on_conflict_do_nothing(index_elements=["dedupe_key"]))
