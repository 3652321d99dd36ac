"""Every response of the web app carries the security headers: pages, redirects, health,
errors, the Telegram webhook and the WeCom callback."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.app import App
from bot.telegram_config import TelegramConfig, application_builder
from bot.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH, webhook_route
from bot.web import SECURITY_HEADERS, create_web_app
from bot.wecom import WeComCallback, WeComTransport
from bot.wecom_api import WeComClient
from bot.wecom_crypto import WeComCrypto
from tests.wecom_helpers import AES_KEY, CORP, TOKEN

SECRET = "hook-secret"


async def _broken(_request: Request) -> Response:
    raise RuntimeError("a bug in a route")


@pytest.fixture
async def web(app: App) -> AsyncIterator[httpx.AsyncClient]:
    """The web app with the webhook, the WeCom callback and a route that fails."""
    telegram = application_builder(
        TelegramConfig(token="1:x", webhook_url="https://a/b", webhook_secret=SECRET)
    ).build()  # never started: the webhook answers 503 to a right secret
    async with httpx.AsyncClient(base_url="http://wecom.invalid") as http:
        client = WeComClient(http, corp_id=CORP, secret="secret", agent_id="1")
        callback = WeComCallback(
            app.core, WeComCrypto(TOKEN, AES_KEY, CORP), client, WeComTransport(client), time.time
        )
        extra = [
            webhook_route(telegram, SECRET),
            *callback.routes(),
            Route("/broken", _broken),
        ]
        transport = httpx.ASGITransport(
            app=create_web_app(app, extra_routes=extra), raise_app_exceptions=False
        )
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client_:
            yield client_


REQUESTS = [
    ("GET", "/results", {}, 200),
    ("GET", "/results.csv", {}, 200),
    ("GET", "/healthz", {}, 200),
    ("GET", "/", {}, 307),
    ("GET", "/no-such-page", {}, 404),
    ("POST", "/results", {}, 405),
    ("GET", "/broken", {}, 500),
    ("POST", WEBHOOK_PATH, {}, 403),
    ("POST", WEBHOOK_PATH, {"headers": {SECRET_HEADER: SECRET}}, 503),
    ("GET", "/wecom/callback", {"params": {"msg_signature": "0" * 40}}, 403),
    ("POST", "/wecom/callback", {"params": {"timestamp": "1"}}, 403),
    ("POST", "/wecom/callback", {"headers": {"content-length": "²".encode()}}, 400),
]


@pytest.mark.parametrize(("method", "path", "extra", "status"), REQUESTS)
async def test_every_response_carries_the_security_headers(
    web: httpx.AsyncClient, method: str, path: str, extra: dict[str, object], status: int
) -> None:
    response = await web.request(method, path, follow_redirects=False, **extra)  # type: ignore[arg-type]
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_public_page_may_be_cached_and_nothing_else(web: httpx.AsyncClient) -> None:
    assert (await web.get("/results")).headers["cache-control"] == "public, max-age=60"
    assert (await web.get("/results.csv")).headers["cache-control"] == "public, max-age=60"
    for path in ("/healthz", "/", "/no-such-page", "/broken"):
        response = await web.get(path, follow_redirects=False)
        assert response.headers["cache-control"] == "no-store", path


async def test_an_error_page_says_nothing_of_the_error(web: httpx.AsyncClient) -> None:
    response = await web.get("/broken")
    assert response.text == "Internal Server Error"
    assert "RuntimeError" not in response.text and "a bug" not in response.text
