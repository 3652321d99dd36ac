"""1,000 updates from 100 users at once: all answered, each to the right user, none twice."""

from __future__ import annotations

import asyncio
import random
import re

from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import PlatformAccount, ProcessedUpdate, User, UserRole
from tests.fake_telegram import FakeTelegram
from tests.telegram_helpers import config, fake_server, post, webhook_client

USERS = 100
PER_USER = 10
FIRST_ID = 100_000


async def _users(app: App) -> None:
    async with unit_of_work(app.sessions) as session:
        for n in range(USERS):
            user = User(login=f"u{n:03d}", display_name=f"用户{n:03d}", created_at=app.clock.now())
            session.add(user)
            await session.flush()
            session.add(
                UserRole(user_id=user.id, role=("leader", "inspector", "coordinator")[n % 3])
            )
            tid = str(FIRST_ID + n)
            session.add(
                PlatformAccount(
                    user_id=user.id,
                    platform="telegram",
                    external_id=tid,
                    chat_id=tid,
                    bound_at=app.clock.now(),
                )
            )


def _updates(fake: FakeTelegram) -> list[dict[str, object]]:
    updates = [
        fake.message(FIRST_ID + n, "/whoami", name=f"TG {n}")
        for _ in range(PER_USER)
        for n in range(USERS)
    ]
    random.Random(7).shuffle(updates)
    for update in updates:  # numbered in the order they arrive, as Telegram does
        update["update_id"] = fake.next_update_id()
    return updates


def _check_answers(fake: FakeTelegram) -> None:
    replies = fake.sent("sendMessage")
    assert len(replies) == USERS * PER_USER
    per_chat: dict[str, int] = {}
    for call in replies:
        login = re.search(r"登录名：(u\d{3})", call.text)
        assert login is not None, call.text
        # The reply went to the chat of the user it names.
        assert call.chat_id == str(FIRST_ID + int(login.group(1)[1:]))
        per_chat[call.chat_id] = per_chat.get(call.chat_id, 0) + 1
    assert set(per_chat.values()) == {PER_USER} and len(per_chat) == USERS


async def _processed(app: App) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(select(func.count()).select_from(ProcessedUpdate)) or 0


async def test_a_thousand_updates_by_polling_with_duplicates(app: App) -> None:
    from bot.telegram import TelegramBot

    await _users(app)
    async with fake_server() as fake:
        updates = _updates(fake)
        # Fifty updates are delivered twice, in the same batch as the original.
        doubled = []
        for n, update in enumerate(updates):
            doubled.append(update)
            if n % 20 == 0:
                doubled.append(update)
        await fake.push(*doubled)
        bot = TelegramBot(app, config(fake))
        async with bot.running():
            await fake.wait_for(lambda f: len(f.sent("sendMessage")) >= USERS * PER_USER, 120)
        # Stopping finished every update already taken: nothing more can come.
        _check_answers(fake)
        assert len(bot.locks) == 0
    assert await _processed(app) == USERS * PER_USER


async def test_a_thousand_updates_by_webhook_at_once_and_redelivered(app: App) -> None:
    from bot.telegram import TelegramBot

    await _users(app)
    async with fake_server() as fake:
        bot = TelegramBot(app, config(fake, webhook=True))
        async with bot.running(), webhook_client(bot) as client:
            updates = _updates(fake)
            again = updates[::25]  # Telegram retries some while the first tries still run
            responses = await asyncio.gather(*(post(client, u) for u in [*updates, *again]))
            assert {r.status_code for r in responses} == {200}
            _check_answers(fake)
            # Delivered once more after all was handled: still answered once.
            for update in again[:5]:
                assert (await post(client, update)).status_code == 200
            _check_answers(fake)
    assert await _processed(app) == USERS * PER_USER
