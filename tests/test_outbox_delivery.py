"""Messages the system starts on its own are delivered once, and retried when sending fails."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from handlers.core.db import unit_of_work
from handlers.core.model import Reply
from models import OutboxMessage
from scheduler.delivery import deliver_due
from services.draw import freeze as draws
from services.draw import run
from tests import draw_fixture as fx
from tests.helpers import console_account


class FakeTransport:
    """A transport at the seam: it records what it was asked to send."""

    platform = "console"

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail = fail

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        if self.fail:
            raise ConnectionError("network down")
        self.sent += [(chat_id, r.text) for r in replies]


async def _drawn(app) -> None:  # type: ignore[no-untyped-def]
    await fx.build(app)
    for login in ("x01", "x02", "x03", "x04", "y01", "y02"):
        await console_account(app, login)
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        await run.execute(session, None, frozen.id, "", app.clock.now())


async def test_team_members_receive_their_assignment_once(app) -> None:
    await _drawn(app)
    transport = FakeTransport()
    sent = await deliver_due(app.sessions, {"console": transport}, app.clock, "w1")
    assert sent > 0 and len(transport.sent) == sent
    # Each member gets the task and the notice to print for the enterprise (抽查通知书).
    assert all(
        "您有新的联合检查任务" in text or "抽查通知书已生成" in text for _, text in transport.sent
    )
    assert any("抽查通知书已生成" in text for _, text in transport.sent)
    assert any("企业1" in text for _, text in transport.sent)
    assert await deliver_due(app.sessions, {"console": transport}, app.clock, "w1") == 0
    assert len(transport.sent) == sent


async def test_failed_sends_are_retried_with_backoff_then_kept_as_failed(app) -> None:
    await _drawn(app)
    broken = FakeTransport(fail=True)
    assert await deliver_due(app.sessions, {"console": broken}, app.clock, "w1") == 0
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    reachable = [r for r in rows if r.last_error and "network down" in r.last_error]
    assert reachable and all(r.status == "pending" and r.attempts == 1 for r in reachable)
    assert all(r.due_at > app.clock.now() for r in reachable)
    for _ in range(5):
        app.clock.advance(timedelta(hours=2))
        await deliver_due(app.sessions, {"console": broken}, app.clock, "w1")
    async with unit_of_work(app.sessions, write=False) as session:
        statuses = set((await session.scalars(select(OutboxMessage.status))).all())
    assert statuses == {"failed"}
    healthy = FakeTransport()
    assert await deliver_due(app.sessions, {"console": healthy}, app.clock, "w1") == 0


async def test_coordinator_sees_failures_with_their_reason(app) -> None:
    from tests.helpers import say, texts

    await _drawn(app)
    from models import User, UserRole

    async with unit_of_work(app.sessions) as session:
        user = User(login="coord", display_name="协调员", created_at=app.clock.now())
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="coordinator"))
    await console_account(app, "coord")
    assert "没有未送达" in texts(await say(app, "coord", "/outbox"))
    broken = FakeTransport(fail=True)
    for _ in range(6):
        await deliver_due(app.sessions, {"console": broken}, app.clock, "w1")
        app.clock.advance(timedelta(hours=2))
    listing = texts(await say(app, "coord", "/outbox"))
    assert "发送失败" in listing and "network down" in listing
    assert "无权" in texts(await say(app, "x01", "/outbox"))


class Killed(BaseException):
    """The process dying mid-send (kill -9): nothing after the platform call runs."""


class DyingTransport(FakeTransport):
    """Takes the message (the platform got it), then the process dies before the answer."""

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        await super().send(chat_id, replies)
        raise Killed


async def test_a_send_cut_short_is_settled_unknown_and_never_sent_twice(app) -> None:
    await _drawn(app)
    dying = DyingTransport()
    with contextlib.suppress(Killed):
        await deliver_due(app.sessions, {"console": dying}, app.clock, "w1")
    assert len(dying.sent) == 1
    app.clock.advance(timedelta(minutes=11))
    healthy = FakeTransport()
    await deliver_due(app.sessions, {"console": healthy}, app.clock, "w2")
    # The one that reached the platform is not sent again; every other one is, once.
    assert dying.sent[0] not in healthy.sent
    assert len(healthy.sent) == len(set(healthy.sent)) > 0
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    unknown = [r for r in rows if r.status == "unknown"]
    assert len(unknown) == 1 and "interrupted" in (unknown[0].last_error or "")
    assert {r.status for r in rows} - {"unknown"} == {"sent"}


async def test_messages_claimed_by_a_dead_worker_are_sent_later_once(app) -> None:
    from services.messaging import outbox

    await _drawn(app)
    async with unit_of_work(app.sessions) as session:
        claimed = await outbox.claim_due(session, now=app.clock.now(), worker="dead")
    assert claimed
    healthy = FakeTransport()
    # Not before the claim is stale: the other worker may still be sending.
    assert await deliver_due(app.sessions, {"console": healthy}, app.clock, "w2") == 0
    app.clock.advance(timedelta(minutes=11))
    sent = await deliver_due(app.sessions, {"console": healthy}, app.clock, "w2")
    assert sent == len(claimed) == len(healthy.sent)


async def test_an_interrupted_send_is_listed_by_outbox(app) -> None:
    from models import User, UserRole
    from tests.helpers import say, texts

    await _drawn(app)
    async with unit_of_work(app.sessions) as session:
        user = User(login="coord", display_name="协调员", created_at=app.clock.now())
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="coordinator"))
    await console_account(app, "coord")
    with contextlib.suppress(Killed):
        await deliver_due(app.sessions, {"console": DyingTransport()}, app.clock, "w1")
    app.clock.advance(timedelta(minutes=11))
    await deliver_due(app.sessions, {"console": FakeTransport()}, app.clock, "w1")
    assert "发送中断" in texts(await say(app, "coord", "/outbox"))


async def test_a_message_to_a_deactivated_user_fails_at_once(app) -> None:
    from sqlalchemy import func, update

    from models import User

    await _drawn(app)
    async with unit_of_work(app.sessions) as session:
        user_id = await session.scalar(select(func.min(OutboxMessage.recipient_user_id)))
        await session.execute(update(User).where(User.id == user_id).values(active=False))
    await deliver_due(app.sessions, {"console": FakeTransport()}, app.clock, "w1")
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (
            await session.execute(
                select(OutboxMessage.status, OutboxMessage.last_error).where(
                    OutboxMessage.recipient_user_id == user_id
                )
            )
        ).all()
    # Not retried five times: nobody can read it.
    assert rows and set(rows) == {("failed", "recipient deactivated")}
