"""Review and publication: returned with a reason (the team is told), approved, published;
due soon first; each transition once however often the button is pressed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import Assignment, AuditEntry, InspectionResult, OutboxMessage, User
from services.common.clock import local_today
from tests import records_fixture as rf
from tests.helpers import console_account, say, texts


async def _result(app: App, rid: int) -> InspectionResult:
    async with unit_of_work(app.sessions, write=False) as session:
        result = await session.get(InspectionResult, rid)
    assert result is not None
    return result


async def _audits(app: App, action: str) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return len(rows.all())


async def test_returned_with_a_reason_the_team_is_told_and_can_resubmit(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine, categories=("other_market_rule",), problem="问题一")
    listing = await say(app, "coord", "/review")
    assert mine.enterprise in texts(listing)
    card = await rf.press(app, "coord", f"review:show:{rid}")
    assert "问题一" in texts(card)
    await rf.press(app, "coord", f"review:ret:{rid}")
    returned = await say(app, "coord", "请补充问题照片")
    assert "已退回" in texts(returned) and "已通知检查组" in texts(returned)
    result = await _result(app, rid)
    assert result.status == "returned" and result.return_reason == "请补充问题照片"
    async with unit_of_work(app.sessions, write=False) as session:
        messages = (await session.scalars(select(OutboxMessage))).all()
        users = (await session.scalars(select(User.id).where(User.login.in_(mine.logins)))).all()
    told = [m for m in messages if m.kind == "record.returned"]
    assert sorted(m.recipient_user_id for m in told) == sorted(users)
    assert all(m.payload["key"] == "review.returned_notice" for m in told)
    assert told[0].payload["params"]["reason"] == "请补充问题照片"
    # The team fixes it and submits again.
    member = mine.logins[1]
    card = await say(app, member, f"/record {mine.assignment_id}")
    assert "退回理由：请补充问题照片" in texts(card)
    assert "已提交审核" in texts(await rf.press(app, member, "f:record:submit"))
    assert (await _result(app, rid)).status == "awaiting_review"


async def test_approve_and_publish_each_happen_once(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine)
    assert "已审核通过" in texts(await rf.press(app, "coord", f"review:ok:{rid}"))
    again = await rf.press(app, "coord", f"review:ok:{rid}")
    assert "已经审核通过" in texts(again)
    assert await _audits(app, "review.approve") == 1
    listing = await say(app, "coord", "/publish")
    assert f"pub:{rid}" in rf.buttons(listing)
    assert "已公示" in texts(await rf.press(app, "coord", f"pub:{rid}"))
    assert "已经公示" in texts(await rf.press(app, "coord", f"pub:{rid}"))
    assert await _audits(app, "result.publish") == 1
    result = await _result(app, rid)
    assert result.status == "published" and result.published_at is not None
    async with unit_of_work(app.sessions, write=False) as session:
        assignment = await session.get(Assignment, mine.assignment_id)
    assert assignment is not None and assignment.status == "closed"
    # A published record is final, for the office too.
    assert "已公示，不能再修改" in texts(await say(app, "coord", f"/record {mine.assignment_id}"))


async def test_publish_all_and_nothing_left(app: App) -> None:
    _, mine, other = await rf.ready(app)
    for team in (mine, other):
        rid = await rf.submitted(app, team)
        await rf.press(app, "coord", f"review:ok:{rid}")
    listing = await say(app, "coord", "/publish")
    assert "pub:all" in rf.buttons(listing)
    assert "已公示 2 条" in texts(await rf.press(app, "coord", "pub:all"))
    assert "没有待公示" in texts(await rf.press(app, "coord", "pub:all"))


async def test_due_soon_is_listed_first(app: App) -> None:
    today = local_today(app.clock)
    await rf.build(app, today)
    await console_account(app, "coord")
    late = await rf.drawn_plan(app, today, name="晚到期计划", check_end=today + timedelta(days=40))
    # The same shops in an overlapping window: only a plan that allows it may draw them.
    soon = await rf.drawn_plan(
        app, today, name="早到期计划", check_end=today + timedelta(days=3), allow_overlap=True
    )
    await rf.submitted(app, (await rf.teams(app, late))[0])
    await rf.submitted(app, (await rf.teams(app, soon))[0])
    text = texts(await say(app, "coord", "/review"))
    assert text.index("早到期计划") < text.index("晚到期计划")
    assert "还剩" in text


async def test_inspectors_may_not_review_or_publish(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine)
    login = mine.logins[0]
    assert "无权" in texts(await say(app, login, "/review"))
    assert "无权" in texts(await say(app, login, "/publish"))
    assert "无权" in texts(await rf.press(app, login, f"review:ok:{rid}"))
    assert "无权" in texts(await rf.press(app, login, f"pub:{rid}"))
    assert (await _result(app, rid)).status == "awaiting_review"


async def test_the_reviewer_sees_the_evidence(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}")
    await rf.press(app, login, f"f:record:c+:{await rf.category_id(app, 'other_market_rule')}")
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await say(app, login, "现场照片一张")
    await rf.press(app, login, "f:record:basis:none")
    await rf.upload(app, login, rf.png(7), "shelf.png")
    await rf.press(app, login, "f:record:pdone")
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:hub")
    await rf.press(app, login, "f:record:submit")
    async with unit_of_work(app.sessions, write=False) as session:
        rid = await session.scalar(select(InspectionResult.id))
    shown = await rf.press(app, "coord", f"review:ev:{rid}")
    assert len(shown) == 1 and shown[0].document is not None
    assert shown[0].document.data == rf.png(7) and shown[0].document.mime == "image/png"
