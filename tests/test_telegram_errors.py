"""When Telegram pushes back: rate limits are waited out, failures are logged with their
traceback and the user is told politely."""

from __future__ import annotations

import logging

import pytest

from bot.app import App
from tests import records_fixture as rf
from tests.telegram_helpers import add_user, bind_telegram, stack, texts

COORD = 6001
# PTB itself reads its RetryAfter's deprecated int form when building it.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_a_rate_limited_send_is_retried_after_the_wait(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", COORD)
    async with stack(app) as (fake, _bot):
        fake.fail(
            "sendMessage", 429, "Too Many Requests: retry after 1", parameters={"retry_after": 1}
        )
        await fake.push(fake.message(COORD, "/whoami"))
        await fake.wait_for(lambda f: len(f.sent("sendMessage", COORD)) == 2)
        first, second = fake.sent("sendMessage", COORD)
        assert first.text == second.text and "登录名：coord" in second.text


async def test_a_failure_before_the_core_is_logged_and_answered_politely(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", COORD)
    async with stack(app) as (fake, _bot):
        fake.fail(
            "getFile", 400, "Bad Request: wrong file_id or the file is temporarily unavailable"
        )
        with caplog.at_level(logging.ERROR, logger="bot.telegram"):
            await fake.push(fake.photo(COORD, rf.png(1)))
            await fake.wait_for(lambda f: bool(f.messages(COORD)))
        assert texts(fake, COORD) == (
            "抱歉，处理时出现内部错误，本次操作未生效。请稍后再试或联系管理员。"
        )
    failure = next(r for r in caplog.records if r.name == "bot.telegram" and r.exc_info)
    assert "failed" in failure.getMessage()
    assert failure.exc_info is not None
    assert "wrong file_id" in str(failure.exc_info[1]).lower()


async def test_a_reply_telegram_refused_is_followed_by_an_apology_in_the_users_language(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", COORD)
    async with stack(app) as (fake, _bot):
        fake.fail("sendMessage", 400, "Bad Request: chat not found")
        with caplog.at_level(logging.ERROR, logger="bot.telegram"):
            await fake.push(fake.message(COORD, "/lang en"))
            await fake.wait_for(lambda f: len(f.sent("sendMessage", COORD)) == 2)
        apology = fake.sent("sendMessage", COORD)[-1].text
        # The language was switched (the core committed) and the apology says so, in English.
        assert apology.startswith("Sorry, your request was handled")
    assert any(r.exc_info for r in caplog.records if r.name == "bot.telegram")
