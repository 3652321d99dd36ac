"""/outbox lists what waits for an account, by person; /people shows who can be reached."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.model import Incoming, Reply
from models import Department, Inspector, OutboxMessage, PlatformAccount, User
from scheduler.delivery import deliver_due
from services.accounts import staff
from services.accounts.actors import actor_for_account
from services.common.clock import local_text
from services.draw import freeze as draws
from services.draw import run
from tests import draw_fixture as fx
from tests.helpers import console_account, say, texts


class FakeTransport:
    """The console seam."""

    platform = "console"

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Nothing to record here."""


async def _coordinator(app: App) -> None:
    async with unit_of_work(app.sessions) as session:
        new = staff.NewUser(login="crd", name="协调员", role="coordinator")
        await staff.add_user(session, None, new, app.clock.now())
    await console_account(app, "crd")


async def _drawn_and_waiting(app: App) -> None:
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        await run.execute(session, None, frozen.id, "", app.clock.now())
    await deliver_due(app.sessions, {"console": FakeTransport()}, app.clock, "w1")


async def test_outbox_lists_waiting_messages_once_per_person(app: App) -> None:
    await fx.build(app)
    await _coordinator(app)
    await _drawn_and_waiting(app)
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(
            select(User.display_name, User.login)
            .join(OutboxMessage, OutboxMessage.recipient_user_id == User.id)
            .where(OutboxMessage.status == "waiting")
        )
        expected = Counter(rows.all())
    assert len(expected) > 1
    listing = texts(await say(app, "crd", "/outbox"))
    assert f"等待对方绑定账号后送达（{len(expected)} 人）" in listing
    for (name, login), count in expected.items():
        assert listing.count(f"{name}（{login}）") == 1
        assert f"{name}（{login}）：{count} 条" in listing
    assert "发送失败" not in listing  # waiting is not failing


async def test_people_shows_platform_and_last_seen_and_the_unbound_first(app: App) -> None:
    await fx.build(app)
    await _coordinator(app)
    await console_account(app, "x01")
    seen = app.clock.now()
    async with unit_of_work(app.sessions) as session:
        dept = await session.scalar(select(Department.id).where(Department.code == "X"))
        assert dept is not None
        session.add(
            Inspector(
                cert_no="X98", name="无账号", department_id=dept, cert_expiry=date(2030, 1, 1)
            )
        )
    app.clock.advance(timedelta(hours=3))
    lines = texts(await say(app, "crd", "/people")).splitlines()
    x01 = next(line for line in lines if "｜X01｜" in line)
    assert x01.endswith(f"控制台，最近活动 {local_text(seen)}")
    x98 = next(line for line in lines if "｜X98｜" in line)
    assert x98.endswith("未绑定（尚无用户）")
    x02 = next(line for line in lines if "｜X02｜" in line)
    assert x02.endswith("未绑定（用户 x02）")
    assert lines.index(x98) < lines.index(x01) and lines.index(x02) < lines.index(x01)


async def test_people_unbound_lists_only_those_without_an_account(app: App) -> None:
    await fx.build(app)
    await _coordinator(app)
    await console_account(app, "x01")
    listing = texts(await say(app, "crd", "/people unbound"))
    assert "｜X02｜" in listing and "｜X01｜" not in listing and "协调员" not in listing


async def test_people_shows_staff_without_certificates(app: App) -> None:
    await _coordinator(app)
    listing = texts(await say(app, "crd", "/people"))
    assert "协调员｜-｜crd｜控制台" in listing


async def _seen(app: App, login: str) -> object:
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(
            select(PlatformAccount.last_seen_at).where(PlatformAccount.external_id == login)
        )


async def test_writing_again_after_a_while_moves_last_seen(app: App) -> None:
    await fx.build(app)
    await console_account(app, "x01")
    later = app.clock.now() + timedelta(minutes=10)
    async with unit_of_work(app.sessions) as session:
        await actor_for_account(session, "console", "x01", now=later)
    assert await _seen(app, "x01") == later


async def test_writing_again_within_minutes_writes_nothing(app: App) -> None:
    await fx.build(app)
    await console_account(app, "x01")
    first = app.clock.now()
    async with unit_of_work(app.sessions) as session:
        await actor_for_account(session, "console", "x01", now=first + timedelta(minutes=4))
    assert await _seen(app, "x01") == first


async def test_a_chat_message_marks_the_account_seen(app: App) -> None:
    await fx.build(app)
    await console_account(app, "x01")
    app.clock.advance(timedelta(hours=1))
    await app.core.handle(Incoming("console", "x01", "x01", sender_name="x01", text="/help"))
    assert await _seen(app, "x01") == app.clock.now()
