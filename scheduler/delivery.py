"""Delivering due outbox messages through the running transports."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.core.model import Button, Reply
from handlers.core.transport import Transport
from models import PlatformAccount, User, UserRole
from services.common.clock import SHANGHAI, Clock
from services.messaging import outbox

log = logging.getLogger(__name__)
DEFAULT_GRACE = timedelta(hours=1)


# sent: reached every address; failed: a send failed (retried later, or given up);
# missed: too late to be worth sending; waiting: its recipient has no chat account yet;
# inactive: its recipient was deactivated (never sent).
Delivery = Literal["sent", "failed", "missed", "waiting", "inactive"]


class DeliveryObserver(Protocol):
    """Told what became of each message the delivery took (metrics count it)."""

    def on_delivery(self, kind: str, outcome: Delivery) -> None:
        """One message of `kind` ended this attempt with `outcome`."""
        ...


def time_sensitive(kind: str) -> bool:
    """Reminders and summaries are worthless late; notices of assignments are not."""
    return kind.startswith("remind.") or kind.startswith("summary.")


@dataclass(frozen=True)
class Reach:
    """The recipient's language, the (platform, chat) pairs we can reach now, and why not."""

    lang: str
    addresses: list[tuple[str, str]]
    # "unbound": an active user with no chat account at all (the message waits for one);
    # "inactive": a deactivated user (never sent).
    gap: str | None = None


async def _reach(session: AsyncSession, message: outbox.Claimed, platforms: set[str]) -> Reach:
    if message.recipient_user_id is None:
        if message.platform and message.chat_id and message.platform in platforms:
            return Reach("zh", [(message.platform, message.chat_id)])
        return Reach("zh", [])
    user = await session.get(User, message.recipient_user_id)
    if user is None or not user.active:
        return Reach("zh", [], "inactive")
    accounts = (
        await session.scalars(select(PlatformAccount).where(PlatformAccount.user_id == user.id))
    ).all()
    return Reach(
        user.language,
        [(a.platform, a.chat_id or a.external_id) for a in accounts if a.platform in platforms],
        None if accounts else "unbound",
    )


async def render(
    session: AsyncSession, message: outbox.Claimed, lang: str, clock: Clock
) -> list[Reply]:
    """The replies of a message in the recipient's language, computed when sent."""
    payload = message.payload
    if payload.get("render") == "weekly_summary":
        from handlers.reports.commands import weekly_summary

        return await weekly_summary(session, lang, clock.now().astimezone(SHANGHAI).date())
    if payload.get("render") == "annual_progress":
        from handlers.reports.progress import agenda_replies

        today = clock.now().astimezone(SHANGHAI).date()
        return await agenda_replies(session, lang, payload.get("params", {}), today)
    text = t(lang, payload.get("key", ""), **payload.get("params", {}))
    rows = tuple(
        tuple(Button(t(lang, label), data) for label, data in row)
        for row in payload.get("buttons", [])
    )
    return [Reply(text, buttons=rows)]


async def _missed(
    sessions: async_sessionmaker[AsyncSession], message: outbox.Claimed, clock: Clock
) -> None:
    now = clock.now()
    async with unit_of_work(sessions) as session:
        await outbox.mark_missed(session, message.id, now)
        coordinators = await session.scalars(
            select(UserRole.user_id).where(UserRole.role == "coordinator")
        )
        for user_id in coordinators.all():
            await outbox.enqueue(
                session,
                kind="outbox.missed",
                due_at=now,
                now=now,
                dedupe_key=f"missed:{message.id}:{user_id}",
                recipient_user_id=user_id,
                key="outbox.missed",
                params={
                    "kind": message.kind,
                    "due": message.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                },
            )


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession],
    transports: Mapping[str, Transport],
    clock: Clock,
    worker: str,
    grace: timedelta = DEFAULT_GRACE,
    recipient_user_id: int | None = None,
    observer: DeliveryObserver | None = None,
) -> int:
    """Send what is due (to one person only, if given); how many messages were delivered."""
    async with unit_of_work(sessions) as session:
        claimed = await outbox.claim_due(
            session, now=clock.now(), worker=worker, recipient_user_id=recipient_user_id
        )
    sent = 0
    for message in claimed:
        outcome = await _deliver(sessions, transports, message, clock, grace)
        if observer is not None:
            observer.on_delivery(message.kind, outcome)
        sent += outcome == "sent"
    return sent


async def _deliver(
    sessions: async_sessionmaker[AsyncSession],
    transports: Mapping[str, Transport],
    message: outbox.Claimed,
    clock: Clock,
    grace: timedelta,
) -> Delivery:
    """Deliver one claimed message (or settle it as missed or waiting); what became of it."""
    if time_sensitive(message.kind) and message.due_at < clock.now() - grace:
        if message.waited:
            # Its recipient bound an account too late for it: the coordinator saw it
            # waiting in /outbox already, so no second notice about it.
            async with unit_of_work(sessions) as session:
                await outbox.mark_missed(session, message.id, clock.now(), "bound too late")
        else:
            await _missed(sessions, message, clock)
        return "missed"
    async with unit_of_work(sessions, write=False) as session:
        reach = await _reach(session, message, set(transports))
        replies = await render(session, message, reach.lang, clock) if reach.addresses else []
    if reach.gap is not None:
        async with unit_of_work(sessions) as session:
            if reach.gap == "unbound":
                await outbox.mark_waiting(session, message.id)
            else:
                await outbox.mark_failed(
                    session,
                    message.id,
                    error="recipient deactivated",
                    attempts=message.attempts,
                    now=clock.now(),
                    permanent=True,
                )
        return "waiting" if reach.gap == "unbound" else "inactive"
    sent = await _send(sessions, transports, message, reach.addresses, replies, clock)
    return "sent" if sent else "failed"


async def _send(
    sessions: async_sessionmaker[AsyncSession],
    transports: Mapping[str, Transport],
    message: outbox.Claimed,
    addresses: list[tuple[str, str]],
    replies: list[Reply],
    clock: Clock,
) -> bool:
    """Send one message to every address; True when it reached them all."""
    error = None if addresses else "no reachable account"
    if addresses:
        # Committed before the platform is called: a send cut short by a crash is then
        # known as such, and settled as "unknown" instead of being sent twice.
        async with unit_of_work(sessions) as session:
            await outbox.mark_sending(session, message.id, clock.now())
    for platform, chat_id in addresses:
        try:
            await transports[platform].send(chat_id, replies)
        except Exception as exc:  # a transport failure is retried, never lost
            log.warning("outbox %s to %s failed: %s", message.id, platform, exc)
            error = f"{platform}: {exc}"
    async with unit_of_work(sessions) as session:
        if error is None:
            await outbox.mark_sent(session, message.id, clock.now())
            return True
        await outbox.mark_failed(
            session, message.id, error=error, attempts=message.attempts, now=clock.now()
        )
    return False
