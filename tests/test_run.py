"""`jointcheck run` with WeCom configured: the web app answers, callbacks are verified."""

from __future__ import annotations

import asyncio
import socket

import httpx

from bot.app import build_app
from bot.serve import build_platforms, scheduled, serve
from bot.settings import Settings
from tests.fake_wecom import FakeWeCom
from tests.fake_wecom import serve as serve_fake


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_serves_the_wecom_callback_and_health(sqlite_url, tmp_path, clock) -> None:
    fake = FakeWeCom()
    async with serve_fake(fake.app()) as api:
        port = _free_port()
        settings = Settings(
            _env_file=None,
            database_url=sqlite_url,
            data_dir=tmp_path / "data",
            wecom_corp_id="wx5823bf96d3bd56c7",
            wecom_agent_id="1000002",
            wecom_secret="s",
            wecom_token="QDG6eK",
            wecom_encoding_aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            wecom_api_base_url=api,
            web_port=port,
        )
        app = await build_app(settings, clock=clock)
        platforms = build_platforms(app)
        assert set(platforms.transports) == {"wecom"} and platforms.chat
        stop = asyncio.Event()
        async with scheduled(app, platforms):
            task = asyncio.create_task(serve(app, platforms, stop))
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base) as client:
                for _ in range(200):
                    try:
                        health = await client.get("/healthz")
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.02)
                assert health.json() == {"status": "ok"}
                echo = await client.get(
                    "/wecom/callback",
                    params={
                        "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                        "timestamp": "1409659589",
                        "nonce": "263014780",
                        "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp"
                        "+4RPcs8TgAE7OaBO+FZXvnaqQ==",
                    },
                )
                assert echo.text == "1616140317555161061"
            stop.set()
            await task
        await app.aclose()


async def test_without_chat_settings_run_is_the_console(sqlite_url, settings_for, clock) -> None:
    app = await build_app(settings_for(sqlite_url), clock=clock)
    assert not build_platforms(app).chat
    await app.aclose()
