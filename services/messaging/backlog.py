"""The outbox as monitoring sees it: rows by status and kind, and the oldest message due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage


@dataclass(frozen=True)
class Backlog:
    """Outbox rows by (status, kind), and when the oldest pending message fell due."""

    rows: dict[tuple[str, str], int]
    oldest_due: datetime | None

    def oldest_due_age(self, now: datetime) -> float:
        """Seconds the oldest pending message has been due (0 when none is)."""
        if self.oldest_due is None:
            return 0.0
        return max(0.0, (now - self.oldest_due).total_seconds())


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    """The outbox's rows by status and kind, and its oldest message due by `now`."""
    counted = await session.execute(
        select(OutboxMessage.status, OutboxMessage.kind, func.count()).group_by(
            OutboxMessage.status, OutboxMessage.kind
        )
    )
    # "pending" is what the delivery takes next (a failed send waits there for its retry).
    oldest = await session.scalar(
        select(func.min(OutboxMessage.due_at)).where(
            OutboxMessage.status == "pending", OutboxMessage.due_at <= now
        )
    )
    return Backlog({(s, k): int(n) for s, k, n in counted.all()}, oldest)
