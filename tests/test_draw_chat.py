"""/draw as a coordinator chats it, and who may not."""

from __future__ import annotations

from sqlalchemy import select

from handlers.core.db import unit_of_work
from models import Draw
from tests import draw_fixture as fx
from tests.helpers import console_account, say, texts


async def _coordinator(app) -> None:  # type: ignore[no-untyped-def]
    from models import User, UserRole

    async with unit_of_work(app.sessions) as session:
        user = User(login="coord", display_name="协调员", created_at=app.clock.now())
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="coordinator"))
    await console_account(app, "coord")


async def test_draw_conversation_from_plan_to_announcement(app) -> None:
    await fx.build(app)
    await _coordinator(app)
    plan_id = await fx.plan(app)
    listing = await say(app, "coord", "/draw")
    assert listing[0].buttons[0][0].data == f"f:draw:plan:{plan_id}"
    preview = await say(app, "coord", button=f"f:draw:plan:{plan_id}")
    assert "D 类：名录 2 家，比例 100%，抽取 2 家" in texts(preview)
    assert "近期已检查：1" in texts(preview)
    frozen = await say(app, "coord", button="f:draw:freeze")
    assert "随机种子承诺" in texts(frozen)
    confirm = await say(app, "coord", "20261201")
    assert "盐值：“20261201”" in texts(confirm)
    result = await say(app, "coord", button="f:draw:go")
    assert "抽取完成" in texts(result)
    assert "【抽查公告】" in texts(result)
    assert fx.code(1) in texts(result)
    async with unit_of_work(app.sessions, write=False) as session:
        draw = await session.scalar(select(Draw))
    assert draw is not None and draw.status == "final" and draw.salt == "20261201"
    verified = await say(app, "coord", f"/verify {draw.id}")
    assert "一致" in texts(verified)
    assert verified[0].document is not None


async def test_a_pressed_go_twice_draws_once(app) -> None:
    await fx.build(app)
    await _coordinator(app)
    plan_id = await fx.plan(app)
    await say(app, "coord", f"/draw {plan_id}")
    await say(app, "coord", button="f:draw:freeze")
    await say(app, "coord", button="f:draw:nosalt")
    await say(app, "coord", button="f:draw:go")
    again = await say(app, "coord", button="f:draw:go")
    assert "按钮已失效" in texts(again)


async def test_inspector_may_not_draw_or_void(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    await console_account(app, "x01")
    assert "无权" in texts(await say(app, "x01", f"/draw {plan_id}"))
    assert "无权" in texts(await say(app, "x01", "/void 1 理由"))
    # A forged flow button acts on nothing: there is no draw conversation to answer.
    assert "按钮已失效" in texts(await say(app, "x01", button=f"f:draw:plan:{plan_id}"))


async def test_bad_plan_number_gets_a_clear_reply(app) -> None:
    await fx.build(app)
    await _coordinator(app)
    assert "没有编号为 42 的抽查计划" in texts(await say(app, "coord", "/draw 42"))
    assert "没有编号为 abc 的抽取" in texts(await say(app, "coord", "/verify abc"))


async def test_freeze_result_and_void_are_announced_to_the_group(app) -> None:
    from dataclasses import replace

    from models import OutboxMessage

    app.core.policy = replace(app.core.policy, announce_chats=(("telegram", "-1001"),))
    await fx.build(app)
    await _coordinator(app)
    plan_id = await fx.plan(app)
    await say(app, "coord", f"/draw {plan_id}")
    await say(app, "coord", button="f:draw:freeze")
    await say(app, "coord", button="f:draw:nosalt")
    await say(app, "coord", button="f:draw:go")
    await say(app, "coord", "/void 1 录入有误")
    await say(app, "coord", button="f:void:go")
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "announce"))
        ).all()
    assert [r.payload["key"] for r in rows] == ["draw.frozen", "draw.announcement", "draw.voided"]
    assert {(r.platform, r.chat_id) for r in rows} == {("telegram", "-1001")}
    assert rows[1].payload["params"]["seed"]  # the seed is revealed with the result
