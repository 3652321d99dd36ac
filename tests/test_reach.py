"""Reaching people: messages wait for an unbound account, and the coordinator is told.

The final draw's part (`services.accounts.reach.prepare_team`) is called by
`services.draw.run.execute` before the assignments are announced.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.model import Incoming, Reply
from models import Inspector, OutboxMessage, User, UserRole
from scheduler.delivery import deliver_due
from services.accounts import invites, reach, staff
from services.accounts.actors import actor_for_login
from services.draw import freeze as draws
from services.draw import run
from services.messaging import outbox
from tests import draw_fixture as fx
from tests.helpers import console_account, texts


class FakeTransport:
    """The console seam: records (chat, text) of every message sent."""

    platform = "console"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        self.sent += [(chat_id, r.text) for r in replies]


async def _deliver(app: App, transport: FakeTransport) -> int:
    return await deliver_due(app.sessions, {"console": transport}, app.clock, "w1")


async def _draw(app: App, by: str | None = None) -> int:
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        actor = None if by is None else await actor_for_login(session, by)
        frozen = await draws.freeze(session, actor, plan_id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        actor = None if by is None else await actor_for_login(session, by)
        return (await run.execute(session, actor, frozen.id, "", app.clock.now())).id


async def _bind(app: App, login: str, chat: str) -> None:
    """An invite for `login`, redeemed from a new console chat."""
    async with unit_of_work(app.sessions) as session:
        code = await invites.create_invite(
            session, None, role="inspector", now=app.clock.now(), ttl=timedelta(days=7), login=login
        )
    reply = await app.core.handle(
        Incoming("console", chat, chat, sender_name="N", text=f"/bind {code}")
    )
    assert "绑定成功" in texts(reply)


async def _statuses(app: App) -> dict[int, set[str]]:
    """Each recipient's message statuses."""
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(select(OutboxMessage.recipient_user_id, OutboxMessage.status))
    out: dict[int, set[str]] = {}
    for user_id, status in rows:
        out.setdefault(user_id, set()).add(status)
    return out


async def _coordinator(app: App, login: str = "crd") -> None:
    async with unit_of_work(app.sessions) as session:
        new = staff.NewUser(login=login, name="协调员", role="coordinator")
        await staff.add_user(session, None, new, app.clock.now())
    await console_account(app, login)


async def test_an_unbound_inspectors_messages_wait_then_arrive_when_they_bind(app: App) -> None:
    await fx.build(app)
    await _draw(app)
    transport = FakeTransport()
    assert await _deliver(app, transport) == 0
    waiting = await _statuses(app)
    assert waiting and all(s == {"waiting"} for s in waiting.values())
    user_id = min(waiting)
    async with unit_of_work(app.sessions, write=False) as session:
        login = await session.scalar(select(User.login).where(User.id == user_id))
    assert login is not None
    await _bind(app, login, "new-1")
    sent = await _deliver(app, transport)
    assert sent > 0 and {chat for chat, _ in transport.sent} == {"new-1"}
    # Each member gets the task and the notice to print for the enterprise (抽查通知书).
    assert all(
        "您有新的联合检查任务" in text or "抽查通知书已生成" in text for _, text in transport.sent
    )
    assert any("抽查通知书已生成" in text for _, text in transport.sent)
    after = await _statuses(app)
    assert after.pop(user_id) == {"sent"}
    assert all(s == {"waiting"} for s in after.values())


async def test_a_reminder_whose_time_passed_while_waiting_is_missed_not_sent(app: App) -> None:
    await fx.build(app)
    async with unit_of_work(app.sessions) as session:
        user_id = await session.scalar(select(User.id).where(User.login == "x01"))
        await outbox.enqueue(
            session,
            kind="remind.result",
            due_at=app.clock.now(),
            now=app.clock.now(),
            dedupe_key="remind:test:x01",
            recipient_user_id=user_id,
            key="outbox.none",
            params={},
        )
    transport = FakeTransport()
    await _deliver(app, transport)
    assert await _statuses(app) == {user_id: {"waiting"}}
    app.clock.advance(timedelta(days=2))
    await _bind(app, "x01", "new-1")
    assert await _deliver(app, transport) == 0 and transport.sent == []
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    # Marked missed, and no second notice about it to the coordinators.
    assert [(r.status, "bound too late" in (r.last_error or "")) for r in rows] == [
        ("missed", True)
    ]


async def test_the_drawing_coordinator_is_told_which_members_are_unbound(app: App) -> None:
    await fx.build(app)
    await _coordinator(app)
    for login in ("x01", "y01"):
        await console_account(app, login)
    draw_id = await _draw(app, by="crd")
    async with unit_of_work(app.sessions, write=False) as session:
        unbound = await reach.unbound_members(session, draw_id)
        everyone = await reach.team_members(session, draw_id)
    assert unbound and {m.cert_no for m in unbound} == {
        m.cert_no for m in everyone if m.cert_no not in ("X01", "Y01")
    }
    transport = FakeTransport()
    await _deliver(app, transport)
    notices = [text for chat, text in transport.sent if chat == "crd"]
    assert len(notices) == 1 and f"有 {len(unbound)} 名检查人员尚未绑定账号" in notices[0]
    listed = {line.split()[2] for line in notices[0].splitlines() if line.startswith("- ")}
    assert listed == {m.cert_no for m in unbound}


async def test_a_draw_from_the_command_line_tells_every_coordinator(app: App) -> None:
    await fx.build(app)
    await _coordinator(app, "crd1")
    await _coordinator(app, "crd2")
    await _draw(app)
    transport = FakeTransport()
    await _deliver(app, transport)
    told = {chat for chat, text in transport.sent if "尚未绑定账号" in text}
    assert told == {"crd1", "crd2"}


async def test_nobody_is_told_when_every_member_is_bound(app: App) -> None:
    await fx.build(app)
    await _coordinator(app)
    async with unit_of_work(app.sessions, write=False) as session:
        logins = await session.scalars(select(User.login).where(User.inspector_id.is_not(None)))
        everyone = logins.all()
    for login in everyone:
        await console_account(app, login)
    await _draw(app, by="crd")
    async with unit_of_work(app.sessions, write=False) as session:
        kinds = set((await session.scalars(select(OutboxMessage.kind))).all())
    # The team's task and notice; nothing to the coordinators about unreachable people.
    assert kinds == {"assignment.new", "document.notice"}


async def test_a_drawn_officer_without_a_user_gets_one_and_their_assignment_waits(
    app: App,
) -> None:
    await fx.build(app)
    async with unit_of_work(app.sessions) as session:
        await session.execute(delete(UserRole))
        await session.execute(delete(User))
    draw_id = await _draw(app)
    await _deliver(app, FakeTransport())
    async with unit_of_work(app.sessions, write=False) as session:
        members = await reach.team_members(session, draw_id)
        users = (
            await session.execute(
                select(Inspector.cert_no, User.login, UserRole.role)
                .join(User, User.inspector_id == Inspector.id)
                .join(UserRole, UserRole.user_id == User.id)
            )
        ).all()
    assert sorted(users) == sorted((m.cert_no, f"cert-{m.cert_no}", "inspector") for m in members)
    statuses = await _statuses(app)
    assert len(statuses) == len(members) and all(s == {"waiting"} for s in statuses.values())
