"""The outbox: every message the system starts on its own is a row, delivered when due.

Statuses: pending (due_at says when), claimed (a worker took it), sending, sent, failed
(kept with its reason), missed (a reminder found too late), unknown (cut short while
sending), cancelled, and waiting: the recipient has no bound chat account yet. A waiting
message is taken again as soon as its recipient binds one, and then sent, or marked
missed when it is a reminder whose time has passed meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage, PlatformAccount, User
from services.common.dialect import dialect_name


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
    buttons: list[list[list[str]]] | None = None,
    render: str | None = None,
) -> None:
    """Queue a catalog message (rendered in the recipient's language when sent), once.

    `buttons` are rows of [label key, callback data]; the labels are translated at sending.
    """
    payload: dict[str, Any] = {"key": key, "params": params}
    if buttons:
        payload["buttons"] = buttons
    if render:
        payload["render"] = render  # computed when sent (the weekly summary and its chart)
    values = {
        "kind": kind,
        "due_at": due_at,
        "dedupe_key": dedupe_key,
        "payload": payload,
        "recipient_user_id": recipient_user_id,
        "platform": platform,
        "chat_id": chat_id,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }
    await enqueue_rows(session, [values])


def row(
    *,
    kind: str,
    due_at: datetime,
    dedupe_key: str,
    key: str,
    params: dict[str, Any],
    now: datetime,
    recipient_user_id: int | None = None,
) -> dict[str, Any]:
    """One message to a user as `enqueue_rows` takes it (for many messages at once)."""
    return {
        "kind": kind,
        "due_at": due_at,
        "dedupe_key": dedupe_key,
        "payload": {"key": key, "params": params},
        "recipient_user_id": recipient_user_id,
        "platform": None,
        "chat_id": None,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


async def enqueue_rows(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Queue messages in one statement; a dedupe key already queued is skipped (a retry)."""
    if not rows:
        return
    # The dedupe key makes a repeated enqueue (a retried action) a no-op.
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    stmt = insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])
    await session.execute(stmt, rows)


STALE_CLAIM = timedelta(minutes=10)
MAX_ATTEMPTS = 5
INTERRUPTED = "interrupted while sending; not sent again, it may have arrived"


@dataclass(frozen=True)
class Claimed:
    """A due message taken by one worker, with what it needs to be sent."""

    id: int
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    recipient_user_id: int | None
    platform: str | None
    chat_id: str | None
    attempts: int
    # It waited for its recipient to bind an account: a reminder is then judged by its time.
    waited: bool = False


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    worker: str,
    limit: int = 100,
    recipient_user_id: int | None = None,
) -> list[Claimed]:
    """Take due messages for this worker; two workers never take the same row.

    A claimed row is "claimed" until its send starts (`mark_sending`). A worker that died
    leaves it there, and it is taken again later: nothing was sent. A row left in
    "sending" may or may not have reached the platform (neither Telegram nor WeCom can be
    asked), so it is settled as "unknown" and listed by /outbox, never sent twice.
    """
    stale = now - STALE_CLAIM
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < stale)
        .values(status="unknown", last_error=INTERRUPTED)
        .execution_options(synchronize_session=False)
    )
    bound = exists().where(PlatformAccount.user_id == OutboxMessage.recipient_user_id)
    due = and_(
        OutboxMessage.due_at <= now,
        or_(
            OutboxMessage.status == "pending",
            and_(OutboxMessage.status == "claimed", OutboxMessage.claimed_at < stale),
            # Released here rather than by /bind: however the account came to be (an
            # invite, the console), and even if it was bound while this row was claimed.
            and_(OutboxMessage.status == "waiting", bound),
        ),
    )
    if recipient_user_id is not None:
        # One person's messages only: a console session shows its user what waits for them.
        due = and_(due, OutboxMessage.recipient_user_id == recipient_user_id)
    stmt = select(OutboxMessage).where(due).order_by(OutboxMessage.due_at).limit(limit)
    if dialect_name(session) == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = (await session.scalars(stmt)).all()
    waited = {r.id for r in rows if r.status == "waiting"}
    for row in rows:
        row.status, row.claimed_by, row.claimed_at = "claimed", worker, now
        row.attempts += 1
    await session.flush()
    return [
        Claimed(
            id=r.id,
            kind=r.kind,
            due_at=r.due_at,
            payload=dict(r.payload),
            recipient_user_id=r.recipient_user_id,
            platform=r.platform,
            chat_id=r.chat_id,
            attempts=r.attempts,
            waited=r.id in waited,
        )
        for r in rows
    ]


async def mark_sending(session: AsyncSession, message_id: int, now: datetime) -> None:
    """Record that the send starts now; commit it before the platform is called."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="sending", claimed_at=now)
    )


async def mark_missed(
    session: AsyncSession, message_id: int, now: datetime, why: str = "missed"
) -> None:
    """A reminder found too late to be useful: kept, marked missed, never sent."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="missed", last_error=f"{why} at {now.isoformat()}")
    )


NO_ACCOUNT = "waiting: the recipient has no bound account yet"


async def mark_waiting(session: AsyncSession, message_id: int) -> None:
    """Keep a message until its recipient binds an account; waiting is no failed attempt."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="waiting", attempts=0, claimed_by=None, last_error=NO_ACCOUNT)
    )


# A message not sent yet that can still be withdrawn: whoever cancels messages that no
# longer apply cancels the waiting ones too, or they are sent when their recipient binds.
UNSENT = ("pending", "waiting")


async def cancel_for_user(session: AsyncSession, user_id: int) -> int:
    """Cancel what is queued or waiting for a user; returns how many messages."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient_user_id == user_id, OutboxMessage.status.in_(UNSENT))
        .values(status="cancelled")
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Waiting:
    """The messages waiting for one person to bind an account."""

    user_id: int
    name: str
    login: str
    count: int
    oldest: datetime
    kinds: tuple[str, ...]


async def waiting_by_person(session: AsyncSession) -> list[Waiting]:
    """Messages waiting for an unbound account, one entry per person, longest wait first."""
    rows = await session.execute(
        select(
            User.id,
            User.display_name,
            User.login,
            OutboxMessage.kind,
            func.count(),
            func.min(OutboxMessage.due_at),
        )
        .join(User, User.id == OutboxMessage.recipient_user_id)
        .where(OutboxMessage.status == "waiting")
        .group_by(User.id, User.display_name, User.login, OutboxMessage.kind)
    )
    people: dict[int, Waiting] = {}
    for user_id, name, login, kind, count, oldest in rows:
        seen = people.get(user_id)
        if seen is not None:
            count, oldest = seen.count + count, min(seen.oldest, oldest)
        kinds = tuple(sorted({kind, *(seen.kinds if seen else ())}))
        people[user_id] = Waiting(user_id, name, login, count, oldest, kinds)
    return sorted(people.values(), key=lambda w: (w.oldest, w.login))


async def mark_sent(session: AsyncSession, message_id: int, now: datetime) -> None:
    """Record a successful delivery."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="sent", sent_at=now, last_error=None)
    )


async def mark_failed(
    session: AsyncSession,
    message_id: int,
    *,
    error: str,
    attempts: int,
    now: datetime,
    permanent: bool = False,
) -> None:
    """Retry later with backoff, or keep it as failed with its reason."""
    if permanent or attempts >= MAX_ATTEMPTS:
        values: dict[str, Any] = {"status": "failed", "last_error": error[:1000]}
    else:
        backoff = timedelta(seconds=30 * 2 ** (attempts - 1))
        values = {"status": "pending", "due_at": now + backoff, "last_error": error[:1000]}
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
    )
