"""Groups: announcements from the outbox reach the configured group; in a group the bot
answers bound users only, never shows private data, and ignores the group's conversation."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import OutboxMessage
from scheduler.delivery import deliver_due
from services.messaging import outbox
from tests.telegram_helpers import add_user, bind_telegram, stack, texts

GROUP = -1001234567890
COORD = 6001
STRANGER = 9001


async def test_an_announcement_reaches_the_group_chat(app: App) -> None:
    async with unit_of_work(app.sessions) as session:
        await outbox.enqueue(
            session,
            kind="announcement",
            due_at=app.clock.now(),
            now=app.clock.now(),
            dedupe_key="meeting:1",
            key="draw.assigned",
            params={
                "plan": "2026年食品经营联合抽查",
                "enterprise": "企业1",
                "start": "",
                "end": "",
            },
            platform="telegram",
            chat_id=str(GROUP),
        )
    async with stack(app) as (fake, bot):
        transports = {"telegram": bot.transport}
        assert await deliver_due(app.sessions, transports, app.clock, "w1") == 1
        assert "2026年食品经营联合抽查" in texts(fake, GROUP)
        # Delivered once: a second run finds nothing due.
        assert await deliver_due(app.sessions, transports, app.clock, "w1") == 0
        assert len(fake.messages(GROUP)) == 1
    async with unit_of_work(app.sessions, write=False) as session:
        row = await session.scalar(select(OutboxMessage))
    assert row is not None and row.status == "sent"


async def test_in_a_group_only_bound_users_get_answers_and_nothing_private(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", COORD)
    async with stack(app) as (fake, _bot):
        updates = [
            fake.message(STRANGER, "/start", chat_id=GROUP),  # a stranger: silence
            fake.message(STRANGER, "/bind ABCDEFGHJK", chat_id=GROUP),
            fake.message(COORD, "大家好，明天开会", chat_id=GROUP),  # conversation: ignored
            fake.message(COORD, "/help@some_other_bot", chat_id=GROUP),  # not for us
            fake.photo(COORD, b"\xff\xd8\xff\xe0 photo", chat_id=GROUP),  # no files in groups
            fake.message(COORD, "/draw", chat_id=GROUP),  # private-only: refused
            fake.message(COORD, "/whoami@jointcheck_test_bot", chat_id=GROUP),
        ]
        await fake.push(*updates)
        await fake.wait_for(lambda f: len(f.messages(GROUP)) == 2)
        said = [c.text for c in fake.messages(GROUP)]
        assert said[0] == "请在与机器人的私聊中使用此命令。"
        assert "登录名：coord" in said[1]
        # A button pressed in the group is refused like a private-only command.
        await fake.push(fake.press(COORD, "lang:en", chat_id=GROUP))
        await fake.wait_for(lambda f: len(f.messages(GROUP)) == 3)
        assert fake.messages(GROUP)[-1].text == "请在与机器人的私聊中使用此命令。"
        await fake.push(fake.press(STRANGER, "lang:en", chat_id=GROUP))
        await fake.push(fake.message(COORD, "/whoami", chat_id=GROUP))
        await fake.wait_for(lambda f: len(f.messages(GROUP)) == 4)
        assert not fake.sent("getFile")
        assert not fake.messages(STRANGER)
        assert len(fake.sent("answerCallbackQuery")) == 2
