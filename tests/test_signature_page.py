"""The signature page over HTTP: what it shows, its headers, and every POST it refuses
with nothing changed (another site, another link's form, a blank drawing, a used or
expired link, a body too large)."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.app import App
from bot.public_site import public_routes
from bot.signature_page import BODY_LIMIT, signature_routes
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from services.common.clock import ManualClock
from services.records import signature_links
from tests import records_fixture as rf
from tests.helpers import row_counts
from tests.test_signatures import _check, _link, drawn

BASE = "http://signing.test"


@pytest.fixture
async def client(app: App) -> AsyncIterator[httpx.AsyncClient]:
    """The web app with the public site and the signature page, in process."""
    web = create_web_app(app, extra_routes=public_routes(app) + signature_routes(app))
    transport = httpx.ASGITransport(app=web, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
        yield c


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, name
    return found.group(1)


async def _form(client: httpx.AsyncClient, token: str) -> dict[str, str]:
    page = await client.get(f"/sign/{token}")
    assert page.status_code == 200, page.text
    return {"csrf": _field(page.text, "csrf"), "content": _field(page.text, "content")}


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


async def _post(
    client: httpx.AsyncClient, token: str, fields: dict[str, str], origin: str = BASE
) -> httpx.Response:
    return await client.post(f"/sign/{token}", data=fields, headers={"Origin": origin})


async def test_the_page_shows_the_record_to_sign_under_a_strict_policy(
    app: App, client: httpx.AsyncClient
) -> None:
    mine, other, _rid = await _check(app)
    page = await client.get(f"/sign/{await _link(app, mine, 'inspected')}")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="zh-CN">' in html and mine.enterprise in html
    assert other.enterprise not in html and "未公示食品经营许可证" in html
    assert '<script src="/static/sign.js" defer></script>' in html
    assert '<label for="reason">' in html and "清除" in html and "提交签名" in html
    assert not re.search(r'(src|href|action)="(https?:)?//', html)  # nothing from elsewhere
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "form-action 'self'" in csp and "unsafe-eval" not in csp
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie
    script = await client.get("/static/sign.js")
    assert script.status_code == 200 and "pointerdown" in script.text


async def test_a_good_signature_is_thanked_once(app: App, client: httpx.AsyncClient) -> None:
    mine, _other, _rid = await _check(app)
    token = await _link(app, mine, "inspected")
    fields = {**await _form(client, token), "action": "sign", "signature": _data_url(drawn())}
    done = await _post(client, token, fields)
    assert done.status_code == 200 and "张建国 的签名已提交" in done.text
    assert mine.enterprise not in done.text
    before = await row_counts(app)
    again = await _post(client, token, fields)
    assert again.status_code == 410 and "已经使用过" in again.text
    assert await row_counts(app) == before


async def test_refused_posts_change_nothing(app: App, client: httpx.AsyncClient) -> None:
    mine, other, _rid = await _check(app)
    token = await _link(app, mine, "inspected")
    coordinator = await rf.actor(app, "coord")
    async with unit_of_work(app.sessions) as session:
        made = await signature_links.create_link(
            session, coordinator, other.assignment_id, "inspected", "李秀英", app.clock.now(), 30
        )
    form_b = await _form(client, made.token)
    form_a = await _form(client, token)
    good = {"action": "sign", "signature": _data_url(drawn())}
    before = await row_counts(app)

    cross_site = await _post(client, token, {**form_a, **good}, origin="https://evil.example")
    assert cross_site.status_code == 403
    other_link = await _post(client, token, {**form_b, **good})  # B's form sent to link A
    assert other_link.status_code == 403 and "页面已过期" in other_link.text
    blank = await _post(
        client, token, {**form_a, "action": "sign", "signature": _data_url(drawn(ink=False))}
    )
    assert blank.status_code == 400 and "没有检测到签名笔迹" in blank.text
    assert mine.enterprise in blank.text  # the page again, to sign once more
    no_reason = await _post(client, token, {**form_a, "action": "refuse", "reason": ""})
    assert no_reason.status_code == 400 and "拒绝签字的理由" in no_reason.text
    huge = await _post(client, token, {**form_a, "action": "sign", "signature": "A" * BODY_LIMIT})
    assert huge.status_code == 413
    assert await row_counts(app) == before

    assert isinstance(app.clock, ManualClock)
    app.clock.advance(timedelta(minutes=31))
    expired = await _post(client, token, {**form_a, **good})
    assert expired.status_code == 410 and "已过期" in expired.text
    assert mine.enterprise not in expired.text
    assert await row_counts(app) == before


async def test_an_unknown_link_learns_nothing(app: App, client: httpx.AsyncClient) -> None:
    mine, _other, _rid = await _check(app)
    await _link(app, mine, "inspected")
    for token in ("y" * 43, "short", "%2e%2e"):
        page = await client.get(f"/sign/{token}")
        assert page.status_code == 404 and "签字链接无效" in page.text
        assert mine.enterprise not in page.text and "set-cookie" not in page.headers
