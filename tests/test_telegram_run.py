"""Running the bot: settings, polling until stopped, the webhook inside the web app, menus
that follow deactivation and language, and a user's messages answered in order."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import update

from bot.app import App
from bot.settings import Settings
from bot.telegram import (
    OFFICIAL_BASE_URL,
    TelegramBot,
    TelegramConfig,
    mode,
    run_telegram,
)
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from handlers.core.transport import Transport
from models import User
from tests.telegram_helpers import (
    SECRET,
    add_user,
    bind_telegram,
    config,
    fake_server,
    post,
    stack,
)


def test_settings_choose_polling_or_webhook() -> None:
    bare = Settings(_env_file=None)
    assert mode(bare) is None
    polling = Settings(_env_file=None, telegram_bot_token=SecretStr("1:x"))
    assert mode(polling) == "polling"
    assert TelegramConfig.from_settings(polling).base_url == OFFICIAL_BASE_URL
    hooked = Settings(
        _env_file=None,
        telegram_bot_token=SecretStr("1:x"),
        telegram_base_url="http://10.0.0.5:8081/bot",
        telegram_webhook_url="https://jc.example.org/telegram/webhook",
        telegram_webhook_secret=SecretStr(SECRET),
    )
    assert mode(hooked) == "webhook"
    made = TelegramConfig.from_settings(hooked)
    assert made.webhook and made.webhook_secret == SECRET
    assert made.base_url == "http://10.0.0.5:8081/bot"


async def test_a_webhook_without_a_usable_secret_is_refused_at_start(app: App) -> None:
    for secret in (None, "", "has space", "x" * 257):
        with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
            TelegramBot(
                app, TelegramConfig(token="1:x", webhook_url="https://a/b", webhook_secret=secret)
            )


async def test_polling_runs_until_stopped_and_lends_its_transport(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", 6001)
    transports: dict[str, Transport] = {}
    stop = asyncio.Event()
    async with fake_server() as fake:
        task = asyncio.create_task(run_telegram(app, transports, stop=stop, config=config(fake)))
        await fake.wait_for(lambda f: bool(f.sent("getUpdates")))
        assert "telegram" in transports
        assert fake.sent("deleteWebhook")  # polling takes over from any webhook
        await fake.push(fake.message(6001, "/whoami"))
        await fake.wait_for(lambda f: bool(f.messages(6001)))
        await transports["telegram"].send("6001", [])
        stop.set()
        await task
        assert "telegram" not in transports


async def test_the_webhook_lives_in_the_web_app_beside_the_health_check(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", 6001)
    async with stack(app, webhook=True) as (fake, bot):
        web = create_web_app(app, extra_routes=bot.routes())
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://jc.test") as client:
            assert (await client.get("/healthz")).status_code == 200
            assert (await client.get("/telegram/webhook")).status_code == 405
            assert (
                await post(client, fake.message(6001, "/whoami"), secret="no")
            ).status_code == 403
            assert (await post(client, fake.message(6001, "/whoami"))).status_code == 200
        assert "登录名：coord" in fake.messages(6001)[0].text
        hooked = fake.sent("setWebhook")[0].params
        assert hooked["url"] == "https://jointcheck.example.org/telegram/webhook"
        assert hooked["allowed_updates"] == ["message", "callback_query"]


async def test_menus_follow_language_and_deactivation(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await add_user(app, "gone", "已离职", "inspector")
    await bind_telegram(app, "coord", 6001)
    await bind_telegram(app, "gone", 6002)
    async with unit_of_work(app.sessions) as session:
        await session.execute(update(User).where(User.login == "gone").values(active=False))
    async with stack(app) as (fake, _bot):
        deleted = [c.params["scope"] for c in fake.sent("deleteMyCommands")]
        assert {"type": "chat", "chat_id": 6002} in deleted
        await fake.push(fake.message(6001, "/lang en"))
        await fake.wait_for(
            lambda f: any(
                c.params["scope"].get("chat_id") == 6001
                and c.params["commands"][0]["description"] == "Start"
                for c in f.sent("setMyCommands")
            )
        )


async def test_a_users_messages_are_answered_in_order(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", 6001)
    async with stack(app) as (fake, _bot):
        script = ["/lang en", "/whoami", "/lang zh", "/whoami"] * 5
        await fake.push(*(fake.message(6001, text) for text in script))
        await fake.wait_for(lambda f: len(f.messages(6001)) == len(script))
        said = [c.text for c in fake.messages(6001)]
        for n in range(0, len(script), 4):
            assert said[n] == "Language set to English."
            assert said[n + 1].startswith("Name: 协调员")
            assert said[n + 2] == "语言已切换为中文。"
            assert said[n + 3].startswith("姓名：协调员")
