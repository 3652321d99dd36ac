"""The router's refusals are polite, in Chinese by default, and change nothing."""

from __future__ import annotations

from sqlalchemy import select

from handlers.core.db import unit_of_work
from handlers.core.model import Incoming
from models import AuditEntry, User
from tests.helpers import console_account, load_demo, row_counts, say, texts


async def _ready(app) -> None:  # type: ignore[no-untyped-def]
    await load_demo(app)
    await console_account(app, "coord")


async def test_unknown_command_is_refused_in_chinese(app) -> None:
    await _ready(app)
    before = await row_counts(app)
    replies = await say(app, "coord", "/frobnicate")
    assert "未知命令：/frobnicate" in texts(replies)
    assert await row_counts(app) == before


async def test_overlong_message_is_refused(app) -> None:
    await _ready(app)
    before = await row_counts(app)
    replies = await say(app, "coord", "x" * 4097)
    assert "消息过长" in texts(replies)
    assert "4097" in texts(replies)
    assert await row_counts(app) == before


async def test_message_of_exactly_the_limit_is_not_too_long(app) -> None:
    await _ready(app)
    replies = await say(app, "coord", "x" * 4096)
    assert "消息过长" not in texts(replies)


async def test_unknown_button_is_refused(app) -> None:
    await _ready(app)
    before = await row_counts(app)
    replies = await say(app, "coord", button="nosuch:1:2")
    assert "按钮已失效" in texts(replies)
    stale_flow = await say(app, "coord", button="f:draw:confirm")
    assert "按钮已失效" in texts(stale_flow)
    assert await row_counts(app) == before


async def test_stranger_gets_bind_instructions_and_nothing_changes(app) -> None:
    await _ready(app)
    before = await row_counts(app)
    stranger = Incoming("telegram", "999", "999", sender_name="陌生人", text="/whoami")
    replies = await app.core.handle(stranger)
    assert "/bind" in texts(replies)
    assert "还没有绑定" in texts(replies)
    plain = await app.core.handle(Incoming("telegram", "999", "999", text="你好"))
    assert "还没有绑定" in texts(plain)
    assert await row_counts(app) == before


async def test_stranger_in_a_group_gets_no_answer(app) -> None:
    await _ready(app)
    group = Incoming("telegram", "999", "-100", text="/help", is_group=True)
    assert await app.core.handle(group) == []


async def test_help_lists_only_what_the_role_may_do(app) -> None:
    await _ready(app)
    replies = await say(app, "coord", "/help")
    assert "/whoami" in texts(replies)
    assert "/bind" not in texts(replies)


async def test_language_switch_is_per_user_and_audited(app) -> None:
    await _ready(app)
    await console_account(app, "leader")
    assert "Language set to English" in texts(await say(app, "coord", "/lang en"))
    assert "Unknown command" in texts(await say(app, "coord", "/nope"))
    assert "未知命令" in texts(await say(app, "leader", "/nope"))
    async with unit_of_work(app.sessions, write=False) as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
        user = await session.scalar(select(User).where(User.login == "coord"))
    assert "user.language" in actions
    assert user is not None and user.language == "en"


async def test_refused_language_changes_nothing(app) -> None:
    await _ready(app)
    before = await row_counts(app)
    replies = await say(app, "coord", "/lang fr")
    assert "不支持的语言：fr" in texts(replies)
    assert await row_counts(app) == before


async def test_redelivered_update_is_handled_once(app) -> None:
    await _ready(app)
    update = Incoming("console", "coord", "coord", text="/lang en", update_key="42")
    first = await app.core.handle(update)
    second = await app.core.handle(update)
    assert "English" in texts(first)
    assert second == []


async def test_button_runs_command_with_its_role_check(app) -> None:
    await _ready(app)
    replies = await say(app, "coord", button="cmd:whoami")
    assert "登录名：coord" in texts(replies)
