"""Delivering due outbox messages through the running transports."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import unit_of_work
from bot.transport import Transport
from handlers.i18n import t
from handlers.model import Reply
from models import PlatformAccount, User
from services import outbox
from services.clock import Clock

log = logging.getLogger(__name__)


async def _addresses(
    session: AsyncSession, message: outbox.Claimed, platforms: set[str]
) -> tuple[str, list[tuple[str, str]]]:
    """The recipient's language and the (platform, chat) pairs we can reach now."""
    if message.recipient_user_id is None:
        if message.platform and message.chat_id and message.platform in platforms:
            return "zh", [(message.platform, message.chat_id)]
        return "zh", []
    user = await session.get(User, message.recipient_user_id)
    if user is None or not user.active:
        return "zh", []
    accounts = await session.scalars(
        select(PlatformAccount).where(PlatformAccount.user_id == user.id)
    )
    return user.language, [
        (a.platform, a.chat_id or a.external_id) for a in accounts if a.platform in platforms
    ]


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession],
    transports: Mapping[str, Transport],
    clock: Clock,
    worker: str,
) -> int:
    """Send what is due; returns how many messages were delivered."""
    async with unit_of_work(sessions) as session:
        claimed = await outbox.claim_due(session, now=clock.now(), worker=worker)
    sent = 0
    for message in claimed:
        async with unit_of_work(sessions, write=False) as session:
            lang, addresses = await _addresses(session, message, set(transports))
        error = None
        if not addresses:
            error = "no reachable account"
        text = t(lang, message.payload.get("key", ""), **message.payload.get("params", {}))
        for platform, chat_id in addresses:
            try:
                await transports[platform].send(chat_id, [Reply(text)])
            except Exception as exc:  # a transport failure is retried, never lost
                log.warning("outbox %s to %s failed: %s", message.id, platform, exc)
                error = f"{platform}: {exc}"
        async with unit_of_work(sessions) as session:
            if error is None:
                await outbox.mark_sent(session, message.id, clock.now())
                sent += 1
            else:
                await outbox.mark_failed(
                    session, message.id, error=error, attempts=message.attempts, now=clock.now()
                )
    return sent
