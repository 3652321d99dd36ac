"""Conversation state: one row per chat account, so a restart continues the dialogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ConversationState


@dataclass
class State:
    """The active flow of one account, its step and what it has collected so far."""

    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


async def load(session: AsyncSession, account_id: int, now: datetime) -> State | None:
    """The account's active conversation, or None (an expired one is dropped)."""
    row = await session.scalar(
        select(ConversationState).where(ConversationState.account_id == account_id)
    )
    if row is None:
        return None
    if row.expires_at <= now:
        await session.delete(row)
        return None
    return State(row.flow, row.step, dict(row.data))


async def save(
    session: AsyncSession, account_id: int, state: State, now: datetime, ttl: timedelta
) -> None:
    """Store the account's conversation, replacing any other."""
    row = await session.scalar(
        select(ConversationState).where(ConversationState.account_id == account_id)
    )
    if row is None:
        row = ConversationState(account_id=account_id)
        session.add(row)
    row.flow, row.step, row.data = state.flow, state.step, dict(state.data)
    row.updated_at, row.expires_at = now, now + ttl
    await session.flush()


async def clear(session: AsyncSession, account_id: int) -> bool:
    """End the account's conversation; True when there was one."""
    result = await session.execute(
        delete(ConversationState).where(ConversationState.account_id == account_id)
    )
    return bool(getattr(result, "rowcount", 0))
