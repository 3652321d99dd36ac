"""Objections filed on the public site: they reach a coordinator, the 6th from one address
within the window is refused politely, a wrong credit code or an oversized attachment is
refused, a cross-site post is refused, and the acknowledgement shows the reference alone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from handlers.core.db import unit_of_work
from models import EvidenceFile, Objection
from scheduler.delivery import deliver_due
from services.common.clock import ManualClock
from tests import publicity_fixture as pf
from tests import records_fixture as rf
from tests.test_meetings import Inbox

MAX_BYTES = 4096  # the evidence limit of these tests
GROUNDS = "检查当日已在公示系统报送年度报告，结果认定有误，请复核。"
CONTACT = "张建国 13897000001"


@pytest.fixture
async def site(db_url: str, clock: ManualClock, settings_for) -> AsyncIterator[App]:  # type: ignore[no-untyped-def]
    """The application with a small evidence limit, so that "too big" is cheap to send."""
    settings = settings_for(db_url).model_copy(update={"evidence_max_bytes": MAX_BYTES})
    application = await build_app(settings, clock=clock)
    try:
        yield application
    finally:
        await application.aclose()


async def _form(web: httpx.AsyncClient, rid: int) -> str:
    """Open the form (which sets its cookie) and return its token."""
    page = await web.get(f"/results/{rid}/objection")
    assert page.status_code == 200
    found = re.search(r'name="token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def _file(
    web: httpx.AsyncClient,
    rid: int,
    code: str,
    *,
    attachment: tuple[str, bytes, str] | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    token = token if token is not None else await _form(web, rid)
    data = {"token": token, "credit_code": code, "contact": CONTACT, "grounds": GROUNDS}
    files = {"attachment": attachment} if attachment else {"attachment": ("", b"", "")}
    return await web.post(f"/results/{rid}/objection", data=data, files=files, headers=headers)


async def test_filed_on_the_site_reaches_a_coordinator_and_shows_only_the_reference(
    site: App, clock: ManualClock
) -> None:
    d = await pf.district(site)
    async with pf.client(site) as web:
        form = await web.get(f"/results/{d.result_id}/objection")
        assert 'lang="zh-CN"' in form.text and '<label for="credit_code">' in form.text
        assert "SameSite=strict" in form.headers["set-cookie"]
        filed = await _file(
            web,
            d.result_id,
            d.mine.credit_code.lower(),
            attachment=("年报.png", rf.png(2), "image/png"),
        )
    assert filed.status_code == 200
    assert "YY-2026-0001" in filed.text
    for private in (GROUNDS, CONTACT, d.mine.credit_code, "2026-12-16"):
        assert private not in filed.text
    async with unit_of_work(site.sessions, write=False) as session:
        o = (await session.scalars(select(Objection))).one()
        stored = await session.get(EvidenceFile, o.evidence_id)
    assert (o.source, o.credit_code, o.client_address, o.contact) == (
        "public",
        d.mine.credit_code,
        "198.51.100.7",
        CONTACT,
    )
    assert stored is not None and stored.mime == "image/png" and stored.result_id is None
    inbox = Inbox()
    await deliver_due(site.sessions, {"console": inbox}, clock, "w")
    got = inbox.texts_for("coord")
    assert any("YY-2026-0001" in text and "公示网站" in text for text in got)


async def test_the_sixth_from_one_address_within_the_window_is_refused_politely(
    site: App, clock: ManualClock
) -> None:
    d = await pf.district(site)
    async with pf.client(site) as web:
        for _ in range(5):
            assert (await _file(web, d.result_id, d.mine.credit_code)).status_code == 200
        sixth = await _file(web, d.result_id, d.mine.credit_code)
    assert sixth.status_code == 429
    assert "同一网络地址 24 小时内最多可提交 5 件异议，请稍后再试" in sixth.text
    async with pf.client(site, address="203.0.113.9") as web:  # same enterprise elsewhere
        by_code = await _file(web, d.result_id, d.mine.credit_code)
    assert by_code.status_code == 429 and "该企业" in by_code.text
    assert await pf.objection_count(site) == 5
    clock.set(clock.now() + timedelta(hours=24, minutes=1))  # the window has passed
    async with pf.client(site) as web:
        assert (await _file(web, d.result_id, d.mine.credit_code)).status_code == 200


async def test_a_wrong_or_invalid_credit_code_is_refused(site: App) -> None:
    d = await pf.district(site)
    async with pf.client(site) as web:
        other = await _file(web, d.result_id, d.other.credit_code)
        invalid = await _file(web, d.result_id, "91630202000000501X")
    assert other.status_code == 400 and "与该抽查结果的企业不一致" in other.text
    assert invalid.status_code == 400 and "格式不正确" in invalid.text
    assert GROUNDS in other.text  # what was typed is kept in the form
    assert await pf.objection_count(site) == 0


async def test_an_oversized_or_foreign_attachment_is_refused(site: App) -> None:
    d = await pf.district(site)
    big = rf.png(1) + b"\x00" * MAX_BYTES
    async with pf.client(site) as web:
        too_big = await _file(
            web, d.result_id, d.mine.credit_code, attachment=("a.png", big, "image/png")
        )
        huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_BYTES + 200_000)
        far_too_big = await _file(
            web, d.result_id, d.mine.credit_code, attachment=("b.png", huge, "image/png")
        )
        script = await _file(
            web, d.result_id, d.mine.credit_code, attachment=("c.png", b"<script>", "image/png")
        )
    assert too_big.status_code == 413 and "超过" in too_big.text
    assert far_too_big.status_code == 413 and "过大" in far_too_big.text
    assert script.status_code == 400 and "JPEG" in script.text
    assert await pf.objection_count(site) == 0
    async with unit_of_work(site.sessions, write=False) as session:
        assert await session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


async def test_a_cross_site_or_tokenless_post_is_refused(site: App) -> None:
    d = await pf.district(site)
    async with pf.client(site) as web:
        token = await _form(web, d.result_id)
        forged = await _file(
            web,
            d.result_id,
            d.mine.credit_code,
            token=token,
            headers={"Origin": "https://evil.example"},
        )
        wrong_token = await _file(web, d.result_id, d.mine.credit_code, token="guess")
    async with pf.client(site) as fresh:  # no cookie: never opened the form
        no_cookie = await _file(fresh, d.result_id, d.mine.credit_code, token=token)
    assert [r.status_code for r in (forged, wrong_token, no_cookie)] == [403, 403, 403]
    assert await pf.objection_count(site) == 0


async def test_an_unpublished_part_has_no_form(site: App) -> None:
    d = await pf.district(site)
    unpublished = await rf.submitted(site, d.other)
    async with pf.client(site) as web:
        assert (await web.get(f"/results/{unpublished}/objection")).status_code == 404
        assert (await web.get("/results/abc/objection")).status_code == 404
        assert (await web.get(f"/results/{unpublished}/history")).status_code == 404
        posted = await web.post(f"/results/{unpublished}/objection", data={"token": "x"})
    assert posted.status_code == 404
