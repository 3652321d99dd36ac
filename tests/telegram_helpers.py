"""The Telegram end-to-end harness: the fake Bot API server, the real bot, the webhook."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from bot.app import App
from bot.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramBot, TelegramConfig
from handlers.core.db import unit_of_work
from models import PlatformAccount, User, UserRole
from tests.fake_telegram import FakeTelegram

SECRET = "s3cret_for-the-webhook"
WEBHOOK_URL = "https://jointcheck.example.org/telegram/webhook"


@asynccontextmanager
async def fake_server() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server, listening for the block."""
    fake = await FakeTelegram().start()
    try:
        yield fake
    finally:
        await fake.stop()


def config(fake: FakeTelegram, *, webhook: bool = False, **overrides: Any) -> TelegramConfig:
    """A bot configuration pointed at the fake server (no pacing, short long polls)."""
    values: dict[str, Any] = {
        "token": fake.token,
        "base_url": fake.base_url,
        "webhook_url": WEBHOOK_URL if webhook else None,
        "webhook_secret": SECRET if webhook else None,
        "poll_timeout": 1,
        "rate_limit": False,
        "menu_sync_seconds": 0,
        **overrides,
    }
    return TelegramConfig(**values)


@asynccontextmanager
async def stack(
    app: App, *, webhook: bool = False, **overrides: Any
) -> AsyncIterator[tuple[FakeTelegram, TelegramBot]]:
    """The fake server and the real bot running against it."""
    async with fake_server() as fake:
        bot = TelegramBot(app, config(fake, webhook=webhook, **overrides))
        async with bot.running():
            assert bot.initial_menus is not None
            await bot.initial_menus  # so that tests see only the calls they cause
            yield fake, bot


@asynccontextmanager
async def webhook_client(bot: TelegramBot) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client posting to a web app that serves the bot's webhook route."""
    web = Starlette(routes=bot.routes())
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        yield client


async def post(
    client: httpx.AsyncClient, update: dict[str, Any], secret: str | None = SECRET
) -> httpx.Response:
    """POST an update to the webhook, with the secret header unless None."""
    headers = {} if secret is None else {SECRET_HEADER: secret}
    return await client.post(WEBHOOK_PATH, json=update, headers=headers)


async def add_user(
    app: App, login: str, name: str, *roles: str, inspector_id: int | None = None
) -> int:
    """A user with roles; its id."""
    async with unit_of_work(app.sessions) as session:
        user = User(
            login=login, display_name=name, inspector_id=inspector_id, created_at=app.clock.now()
        )
        session.add(user)
        await session.flush()
        for role in roles:
            session.add(UserRole(user_id=user.id, role=role))
        return user.id


async def bind_telegram(app: App, login: str, telegram_id: int) -> None:
    """Bind a Telegram account (private chat id = user id) to an existing login."""
    async with unit_of_work(app.sessions) as session:
        user_id = await session.scalar(select(User.id).where(User.login == login))
        assert user_id is not None, login
        session.add(
            PlatformAccount(
                user_id=user_id,
                platform="telegram",
                external_id=str(telegram_id),
                chat_id=str(telegram_id),
                bound_at=app.clock.now(),
            )
        )


def texts(fake: FakeTelegram, chat_id: int | str) -> str:
    """Everything the bot said to a chat, joined."""
    return "\n".join(c.text for c in fake.messages(chat_id))


async def domain_rows(app: App) -> dict[str, int]:
    """Row counts of every table but the ledger of processed updates (which every handled
    update, refused or not, adds to)."""
    from tests.helpers import row_counts

    counts = await row_counts(app)
    counts.pop("processed_updates")
    return counts
