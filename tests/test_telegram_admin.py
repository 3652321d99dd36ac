"""/invite in chat for admins, and /bind with its codes over Telegram."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.app import App
from services.common.clock import ManualClock
from tests import draw_fixture as fx
from tests.telegram_helpers import add_user, bind_telegram, domain_rows, stack, texts

ADMIN, COORD, NEWCOMER, LATECOMER = 1001, 1002, 2001, 2002
GROUP = -100777


def _code(text: str) -> str:
    found = re.search(r"/bind ([A-Z0-9]{10})", text)
    assert found is not None, text
    return found.group(1)


async def _people(app: App) -> None:
    await fx.build(app)
    await add_user(app, "admin", "系统管理员", "admin")
    await add_user(app, "coord", "协调员", "coordinator")
    await add_user(app, "wang", "王局长")
    await bind_telegram(app, "admin", ADMIN)
    await bind_telegram(app, "coord", COORD)


async def test_an_admin_invites_and_the_person_binds_once(app: App, clock: ManualClock) -> None:
    await _people(app)
    async with stack(app) as (fake, _bot):

        async def say(user: int, text: str, chat: int | None = None) -> str:
            count = len(fake.messages(chat or user))
            await fake.push(fake.message(user, text, chat_id=chat))
            await fake.wait_for(lambda f: len(f.messages(chat or user)) > count)
            return fake.messages(chat or user)[-1].text

        created = await say(ADMIN, "/invite 检查人员 X03")
        assert "角色：检查人员；对象：X03" in created and "仅可使用一次" in created
        assert "2026-12-02 09:00" in created  # seven days on, Beijing time
        code = _code(created)
        assert (await say(NEWCOMER, f"/bind {code.lower()}")).startswith("绑定成功，检查员X03")
        assert await say(LATECOMER, f"/bind {code}") == "该邀请码已被使用。"
        leader = _code(await say(ADMIN, "/invite leader wang"))
        clock.advance(timedelta(days=7, seconds=1))
        assert "已过期" in await say(LATECOMER, f"/bind {leader}")
        assert "名录库中没有在职的执法证号 nobody" in await say(ADMIN, "/invite inspector nobody")
        assert await say(ADMIN, "/invite chief wang") == "未知角色：chief"
        assert "用法：/invite" in await say(ADMIN, "/invite")
        before = await domain_rows(app)
        assert await say(COORD, "/invite inspector X04") == "抱歉，您的角色无权执行此操作。"
        assert (
            await say(ADMIN, "/invite inspector X04", GROUP) == "请在与机器人的私聊中使用此命令。"
        )
        assert await domain_rows(app) == before
        assert "X04" not in texts(fake, GROUP)


async def test_wrong_codes_are_answered_politely_then_the_account_waits(app: App) -> None:
    async with stack(app) as (fake, _bot):
        for n in range(6):
            await fake.push(fake.message(NEWCOMER, f"/bind WRONGCODE{n}"))
        await fake.wait_for(lambda f: len(f.messages(NEWCOMER)) == 6)
        said = [c.text for c in fake.messages(NEWCOMER)]
        assert said[:5] == ["邀请码不正确。"] * 5
        assert said[5] == "错误尝试次数过多，请一小时后再试。"
        await fake.push(fake.message(NEWCOMER, "/bind"))
        await fake.wait_for(lambda f: len(f.messages(NEWCOMER)) == 7)
        assert fake.messages(NEWCOMER)[-1].text == "用法：/bind 邀请码"
