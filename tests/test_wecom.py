"""WeCom end to end: our callback endpoint in, a fake WeCom API server on 127.0.0.1 out."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.wecom import WeComTransport
from bot.wecom_api import GroupRobot, RateLimiter
from handlers.core.db import unit_of_work
from handlers.core.model import Button, Reply
from services.accounts import invites
from tests.helpers import load_demo, row_counts
from tests.wecom_helpers import Rig, card_event, text_msg, wecom_rig


@pytest.fixture
async def rig(app) -> AsyncIterator[Rig]:  # type: ignore[no-untyped-def]
    async with wecom_rig(app) as made:
        yield made


async def _bound(app, rig: Rig, user: str = "zhangsan") -> None:  # type: ignore[no-untyped-def]
    await load_demo(app)
    async with unit_of_work(app.sessions) as session:
        code = await invites.create_invite(
            session,
            None,
            role="coordinator",
            login="coord",
            now=app.clock.now(),
            ttl=timedelta(days=7),
        )
    response = await rig.post(text_msg(user, f"/bind {code}", 1))
    assert response.status_code == 200
    assert "绑定成功" in rig.fake.sent()[-1]["text"]["content"]


async def test_url_verification_with_the_official_sample(rig: Rig) -> None:
    response = await rig.endpoint.get(
        "/wecom/callback",
        params={
            "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
            "timestamp": "1409659589",
            "nonce": "263014780",
            "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP"
            "3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
        },
    )
    assert (response.status_code, response.text) == (200, "1616140317555161061")
    wrong = await rig.endpoint.get(
        "/wecom/callback",
        params={"msg_signature": "0" * 40, "timestamp": "1409659589", "nonce": "1", "echostr": "x"},
    )
    assert wrong.status_code == 403


async def test_token_fetched_once_and_refreshed_on_42001(rig: Rig) -> None:
    await rig.client.send("lisi", {"msgtype": "text", "text": {"content": "一"}})
    await rig.client.send("lisi", {"msgtype": "text", "text": {"content": "二"}})
    assert rig.fake.tokens_issued == 1
    rig.fake.expire_next_send = True
    await rig.client.send("lisi", {"msgtype": "text", "text": {"content": "三"}})
    assert rig.fake.tokens_issued == 2
    tokens = [token for kind, token, _ in rig.fake.calls if kind == "send"]
    assert tokens == ["T1", "T1", "T2"]


async def test_bind_and_chat_through_encrypted_callbacks(app, rig: Rig) -> None:
    await _bound(app, rig)
    await rig.post(text_msg("zhangsan", "/whoami", 2))
    assert "登录名：coord" in rig.fake.sent()[-1]["text"]["content"]
    assert rig.fake.sent()[-1]["touser"] == "zhangsan"


async def test_button_card_and_its_click(app, rig: Rig) -> None:
    await _bound(app, rig)
    await rig.post(text_msg("zhangsan", "/start", 2))
    card = rig.fake.sent()[-1]
    assert card["msgtype"] == "template_card"
    assert card["template_card"]["card_type"] == "button_interaction"
    keys = [b["key"] for b in card["template_card"]["button_list"]]
    assert keys == ["cmd:help", "cmd:whoami", "cmd:lang"]
    await rig.post(card_event("zhangsan", "cmd:whoami", card["template_card"]["task_id"]))
    assert "登录名：coord" in rig.fake.sent()[-1]["text"]["content"]
    updates = [body for kind, _, body in rig.fake.calls if kind == "update_card"]
    assert updates and updates[0]["response_code"] == "RC1"


async def test_image_is_uploaded_then_sent(rig: Rig) -> None:
    transport = WeComTransport(rig.client)
    await transport.send("lisi", [Reply("周报", image=b"\x89PNG fake chart")])
    kinds = [kind for kind, _, _ in rig.fake.calls]
    assert kinds == ["send", "upload", "send"]
    assert rig.fake.sent()[-1]["msgtype"] == "image"


async def test_more_than_six_buttons_make_several_cards(rig: Rig) -> None:
    buttons = tuple(Button(f"b{i}", f"k:{i}") for i in range(8))
    await WeComTransport(rig.client).send("lisi", [Reply("选择\n说明", buttons=(buttons,))])
    cards = [m["template_card"] for m in rig.fake.sent()]
    assert [len(c["button_list"]) for c in cards] == [6, 2]


async def test_group_robot_posts_markdown_and_image(rig: Rig) -> None:
    robot = GroupRobot(rig.client.http, "KEY")
    await robot.markdown("**周报**")
    await robot.image(b"\x89PNG chart")
    posts = [body for kind, key, body in rig.fake.calls if kind == "robot" and key == "KEY"]
    assert [p["msgtype"] for p in posts] == ["markdown", "image"]


async def test_rate_limit_queues_and_never_drops() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(30, clock=lambda: now[0], sleep=sleep)
    times = []
    for _ in range(75):
        await limiter.wait("lisi")
        times.append(now[0])
    assert len(times) == 75  # nothing dropped
    assert all(sum(1 for u in times if t <= u < t + 60) <= 30 for t in times)
    assert times[29] == 0 and times[30] == pytest.approx(60.0)
    waited = len(slept)
    await limiter.wait("wangwu")  # another member is not held up
    assert len(slept) == waited


async def test_forged_replayed_foreign_and_hostile_callbacks_do_nothing(app, rig: Rig) -> None:
    await _bound(app, rig)
    before, sent = await row_counts(app), len(rig.fake.sent())
    params, body = rig.envelope(text_msg("zhangsan", "/lang en", 10))
    forged = {**params, "msg_signature": "0" * 40}
    assert (
        await rig.endpoint.post("/wecom/callback", params=forged, content=body)
    ).status_code == 403
    assert (
        await rig.post(text_msg("zhangsan", "/lang en", 11), corp="wx_other_corp")
    ).status_code == 403
    old = await rig.post(text_msg("zhangsan", "/lang en", 12), ts=int(time.time()) - 3600)
    assert old.status_code == 403
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<xml><Encrypt>&lol2;</Encrypt></xml>"
    )
    stamp = str(int(time.time()))
    hostile = {"msg_signature": "x", "timestamp": stamp, "nonce": "77"}
    assert (
        await rig.endpoint.post("/wecom/callback", params=hostile, content=bomb)
    ).status_code == 400
    huge = b"<xml>" + b"A" * 10_000_000 + b"</xml>"
    assert (
        await rig.endpoint.post("/wecom/callback", params=hostile, content=huge)
    ).status_code == 413
    assert await row_counts(app) == before
    assert len(rig.fake.sent()) == sent
    # A genuine callback, then the very same one again: processed once.
    good_params, good_body = rig.envelope(text_msg("zhangsan", "/whoami", 13))
    first = await rig.endpoint.post("/wecom/callback", params=good_params, content=good_body)
    again = await rig.endpoint.post("/wecom/callback", params=good_params, content=good_body)
    await rig.callback.drain()
    assert (first.status_code, again.status_code) == (200, 403)
    assert len(rig.fake.sent()) == sent + 1


async def test_tasks_conversation_through_encrypted_callbacks(app, rig: Rig) -> None:
    from services.common.clock import local_today
    from tests import records_fixture

    today = local_today(app.clock)
    await records_fixture.build(app, today)
    plan_id = await records_fixture.drawn_plan(app, today)
    mine = (await records_fixture.teams(app, plan_id))[0]
    async with unit_of_work(app.sessions) as session:
        code = await invites.create_invite(
            session,
            None,
            role="inspector",
            login=mine.logins[0],
            now=app.clock.now(),
            ttl=timedelta(days=7),
        )
    await rig.post(text_msg("lisi", f"/bind {code}", 1))
    assert "绑定成功" in rig.fake.sent()[-1]["text"]["content"]
    await rig.post(text_msg("lisi", "/tasks", 2))
    shown = " ".join(
        m.get("text", {}).get("content", "") + str(m.get("template_card", ""))
        for m in rig.fake.sent()[-3:]
    )
    assert mine.enterprise in shown
    cards = [m["template_card"] for m in rig.fake.sent() if m["msgtype"] == "template_card"]
    assert cards, "the /tasks reply carries buttons"
    key = cards[-1]["button_list"][0]["key"]  # a button of the /tasks card, pressed
    before = len(rig.fake.sent())
    assert (await rig.post(card_event("lisi", key, cards[-1]["task_id"]))).status_code == 200
    assert len(rig.fake.sent()) > before
