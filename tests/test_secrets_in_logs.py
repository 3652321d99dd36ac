"""No secret reaches the logs: Telegram, WeCom and both, at INFO and DEBUG, through token
fetches, sends, invite codes and failures (the fake servers answer on 127.0.0.1)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest

from bot import logs
from bot.app import App, build_app
from bot.serve import Platforms, build_platforms
from bot.settings import Settings
from bot.telegram import SECRET_HEADER, TelegramBot, TelegramConfig
from bot.web import create_web_app
from bot.wecom_crypto import WeComCrypto
from handlers.core.db import unit_of_work
from scheduler.delivery import deliver_due
from services.accounts import invites
from services.common.clock import ManualClock
from services.messaging import outbox
from tests import records_fixture as rf
from tests.fake_telegram import FakeTelegram
from tests.fake_wecom import FakeWeCom
from tests.fake_wecom import serve as serve_wecom
from tests.telegram_helpers import add_user, bind_telegram
from tests.wecom_helpers import CORP, Rig, image_msg, text_msg

TELEGRAM_TOKEN = "7012345678:AAH-secret_bot_token_0123456789abcde"
WEBHOOK_SECRET = "webhook-secret_0123456789"
WECOM_SECRET = "corp-secret-0123456789abcdefghijklmnopqrstuvw"
WECOM_TOKEN = "cbTokenXyz123"
AES_KEY = "kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
ROBOT_KEY = "9a8b7c6d-1234-4e5f-8a9b-112233445566"
ACCESS = "wecom-access-token-value-"  # the fake issues ACCESS1, ACCESS2, ...
ADMIN_TG, STRANGER_TG = 6001, 7002
CODE = re.compile(r"邀请码：(\S+)")


async def _no_wait(_seconds: float) -> None:
    """The WeCom client's pause between retries, skipped."""


def _settings(tmp_path: Path, db_url: str, level: str, telegram: str | None, api: str | None):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "database_url": db_url,
        "data_dir": tmp_path / "data",
        "log_level": level,
    }
    if telegram is not None:
        values |= {
            "telegram_bot_token": TELEGRAM_TOKEN,
            "telegram_base_url": telegram,
            "telegram_webhook_url": "https://jc.example.org/telegram/webhook",
            "telegram_webhook_secret": WEBHOOK_SECRET,
        }
    if api is not None:
        values |= {
            "wecom_corp_id": CORP,
            "wecom_agent_id": "1000002",
            "wecom_secret": WECOM_SECRET,
            "wecom_token": WECOM_TOKEN,
            "wecom_encoding_aes_key": AES_KEY,
            "wecom_robot_key": ROBOT_KEY,
            "wecom_api_base_url": api,
        }
    return Settings(_env_file=None, **values)


@asynccontextmanager
async def _web(app: App, platforms: Platforms) -> AsyncIterator[httpx.AsyncClient]:
    web = create_web_app(app, extra_routes=platforms.routes)
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://ours") as client:
        yield client


async def _telegram(app: App, fake: FakeTelegram, bot: TelegramBot, web: httpx.AsyncClient) -> str:
    """Invite, bind, a photo, a failed reply and an outbox message; returns the code."""

    async def say(update: dict[str, object], chat: int, more: int = 1) -> None:
        before = len(fake.sent("sendMessage", chat))
        if bot.config.webhook:
            answer = await web.post(
                "/telegram/webhook", json=update, headers={SECRET_HEADER: WEBHOOK_SECRET}
            )
            assert answer.status_code == 200
        else:
            await fake.push(update)
        await fake.wait_for(lambda f: len(f.sent("sendMessage", chat)) >= before + more)

    await say(fake.message(ADMIN_TG, "/invite inspector lisi"), ADMIN_TG)
    match = CODE.search(fake.sent("sendMessage", ADMIN_TG)[-1].text)
    assert match is not None
    await say(fake.message(STRANGER_TG, f"/bind {match[1]}"), STRANGER_TG)
    assert "绑定成功" in fake.sent("sendMessage", STRANGER_TG)[-1].text
    await say(fake.photo(ADMIN_TG, rf.png(1)), ADMIN_TG)  # fetched: getFile, then the file
    assert fake.sent("getFile")
    fake.fail("sendMessage", 500, "Internal Server Error")
    await say(fake.message(ADMIN_TG, "/whoami"), ADMIN_TG, more=2)  # the failure, an apology
    async with unit_of_work(app.sessions) as session:
        await outbox.enqueue(
            session,
            kind="notice.test",
            due_at=app.clock.now(),
            dedupe_key="tg-log-test",
            key="cancel.done",
            params={},
            now=app.clock.now(),
            platform="telegram",
            chat_id=str(ADMIN_TG),
        )
    assert await deliver_due(app.sessions, {"telegram": bot.transport}, app.clock, "w1") == 1
    return match[1]


async def _wecom(app: App, fake: FakeWeCom, platforms: Platforms, web: httpx.AsyncClient) -> str:
    """Bind, invite, a renewed token, failed sends, a photo and the robot; returns a code."""
    transport = platforms.transports["wecom"]
    client = transport.client  # type: ignore[attr-defined]
    client.sleep = _no_wait
    assert platforms.wecom is not None
    crypto = WeComCrypto(WECOM_TOKEN, AES_KEY, CORP)
    rig = Rig(fake, client, platforms.wecom, web, crypto, nonce=1000)
    async with unit_of_work(app.sessions) as session:
        first = await invites.create_invite(
            session, None, role="admin", login="admin", now=app.clock.now(), ttl=timedelta(days=7)
        )
    await rig.post(text_msg("wangwu", f"/bind {first}", 1))
    await rig.post(text_msg("wangwu", "/invite inspector lisi", 2))
    match = CODE.search(fake.sent()[-1]["text"]["content"])
    assert match is not None
    await rig.post(text_msg("lisi_wx", f"/bind {match[1]}", 3))
    assert "绑定成功" in fake.sent()[-1]["text"]["content"]
    fake.expire_next_send = True
    await rig.post(text_msg("wangwu", "/whoami", 4))  # the token is renewed
    fake.server_errors = 10
    await rig.post(text_msg("wangwu", "/whoami", 5))  # every retry fails: logged
    fake.server_errors = 0
    await rig.post(image_msg("wangwu", "MEDIA-1", 6))  # media/get with the token
    fake.robot_errcode = 93000
    async with unit_of_work(app.sessions) as session:
        await outbox.enqueue(
            session,
            kind="notice.test",
            due_at=app.clock.now(),
            dedupe_key="robot-log-test",
            key="cancel.done",
            params={},
            now=app.clock.now(),
            platform="wecom-robot",
            chat_id="robot",
        )
    assert await deliver_due(app.sessions, platforms.transports, app.clock, "w1") == 0
    assert fake.tokens_issued == 2
    return match[1]


def _forms(value: str) -> set[str]:
    return {value, quote(value, safe=""), quote_plus(value, safe="")}


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
@pytest.mark.parametrize("mode", ["telegram", "wecom", "both"])
async def test_no_configured_secret_nor_invite_code_is_logged(
    mode: str,
    level: str,
    db_url: str,
    tmp_path: Path,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    logs.forget_all()  # what is masked comes from this run's settings and tokens
    caplog.set_level(level)
    caplog.set_level(level, logger="httpx")
    fake_tg = await FakeTelegram(token=TELEGRAM_TOKEN).start() if mode != "wecom" else None
    fake_wc = FakeWeCom(token_prefix=ACCESS)
    codes: list[str] = []
    try:
        async with serve_wecom(fake_wc.app()) as api:
            settings = _settings(
                tmp_path,
                db_url,
                level,
                fake_tg.base_url if fake_tg else None,
                api if mode != "telegram" else None,
            )
            app = await build_app(settings, clock=clock)
            try:
                await add_user(app, "admin", "管理员", "admin")
                await add_user(app, "lisi", "李四", "inspector")
                await bind_telegram(app, "admin", ADMIN_TG)
                platforms = build_platforms(app)
                bot = None
                if fake_tg is not None:
                    config = replace(
                        TelegramConfig.from_settings(settings),
                        rate_limit=False,
                        menu_sync_seconds=0,
                        poll_timeout=1,
                        # Telegram alone by webhook, with WeCom by polling: both paths logged.
                        webhook_url=settings.telegram_webhook_url if mode == "telegram" else None,
                    )
                    bot = TelegramBot(app, config)
                    platforms.routes += bot.routes() if config.webhook else []
                async with _web(app, platforms) as web:
                    if bot is not None and fake_tg is not None:
                        async with bot.running():
                            codes.append(await _telegram(app, fake_tg, bot, web))
                    if mode != "telegram":
                        codes.append(await _wecom(app, fake_wc, platforms, web))
                for client in platforms.clients:
                    await client.aclose()
            finally:
                await app.aclose()
    finally:
        if fake_tg is not None:
            await fake_tg.stop()
    text = caplog.text
    assert "HTTP Request" in text and logs.MASK in text  # the URLs were logged, masked
    secrets = [TELEGRAM_TOKEN, WEBHOOK_SECRET, *codes]
    if mode != "telegram":
        secrets += [WECOM_SECRET, WECOM_TOKEN, AES_KEY, ROBOT_KEY, f"{ACCESS}1", f"{ACCESS}2"]
    for secret in secrets:
        for form in _forms(secret):
            assert form not in text, f"{form} logged at {level}"


def test_patterns_mask_secrets_nobody_configured() -> None:
    lines = {
        "GET https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=wx1&corpsecret=S3cr3t-x": "S3cr3t",
        "POST /cgi-bin/message/send?access_token=tok_123&debug=1": "tok_123",
        "POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-def": "abc-def",
        "POST https://api.telegram.org/bot123:AA-bb_cc/getMe": "123:AA-bb_cc",
        "GET https://api.telegram.org/file/bot123:AA-bb_cc/photos/x.jpg": "123:AA-bb_cc",
        "parameters `{'url': 'https://x', 'secret_token': 'hook'}`": "hook",
        "Update(message=Message(text='/bind abcdefghjk'))": "abcdefghjk",
        "text='邀请码：ABCDEFGH23\\n角色'": "ABCDEFGH23",
    }
    for line, secret in lines.items():
        masked = logs.redact(line)
        assert secret not in masked and logs.MASK in masked, masked
    assert logs.redact("HTTP Request: GET /results?page=2 200") == (
        "HTTP Request: GET /results?page=2 200"
    )


def test_a_record_keeps_its_arguments_and_masks_the_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logs.install_redaction(Settings(_env_file=None, wecom_secret="configured-secret-value"))
    log = logging.getLogger("tests.secrets")
    try:
        raise RuntimeError("failed for configured-secret-value")
    except RuntimeError:
        with caplog.at_level(logging.INFO, logger="tests.secrets"):
            log.exception("request %s took %d ms", "configured-secret-value", 12)
    record = caplog.records[-1]
    assert record.getMessage() == f"request {logs.MASK} took 12 ms"
    assert "configured-secret-value" not in caplog.text
    assert f"RuntimeError: failed for {logs.MASK}" in caplog.text
