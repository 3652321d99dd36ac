"""Cancelling one check after the draw: the record kept, shown cancelled, the team told.

Two shops drawn, two teams of two (tests/records_fixture.py); the check window ends five
days after the start of the test, so its reminder is among those the sweep queues.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import Draw, InspectionResult, OutboxMessage, ResultCategory
from scheduler.delivery import deliver_due
from scheduler.sweeps import sweep
from services.common.clock import local_today
from services.common.errors import Conflict
from services.draw import cancel
from services.draw.verify import verify_record
from services.records import results
from tests import amend_fixture as af
from tests import records_fixture as rf
from tests.helpers import row_counts, say, texts
from tests.test_meetings import Inbox


async def _draft(app: App, team: rf.Team) -> int:
    member = await rf.actor(app, team.logins[0])
    async with unit_of_work(app.sessions) as session:
        opened = await results.open_record(
            session, member, team.assignment_id, local_today(app.clock), app.clock.now()
        )
    return opened.result.id


async def _draw_id(app: App, plan_id: int) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(select(Draw.id).where(Draw.plan_id == plan_id))
    assert found is not None
    return found


async def test_a_cancelled_check_keeps_its_record_and_reads_cancelled(app: App) -> None:
    plan_id, mine, other = await rf.ready(app)
    rid = await _draft(app, mine)
    reply = await say(app, "coord", f"/cancel_task {mine.assignment_id} 企业已停业整顿")
    assert f"任务 {mine.assignment_id} 已取消" in texts(reply)

    tasks = await say(app, mine.logins[0], "/tasks")
    assert "已取消" in texts(tasks) and "企业已停业整顿" in texts(tasks)
    assert f"rec:{mine.assignment_id}" not in rf.buttons(tasks)
    progress = texts(await say(app, "coord", f"/progress {plan_id}"))
    line = next(t for t in progress.splitlines() if f"任务 {mine.assignment_id}" in t)
    assert "已取消" in line
    assert "已取消 1" in progress.splitlines()[1]
    async with unit_of_work(app.sessions, write=False) as session:
        kept = await session.get(InspectionResult, rid)
    assert kept is not None and kept.status == "draft"  # kept as it was

    told = await af.messages(app, "task.cancelled")
    team = {await af.user_id(app, login) for login in mine.logins}
    assert {m.recipient_user_id for m in told} == team
    assert all(m.payload["params"]["reason"] == "企业已停业整顿" for m in told)
    record = await af.record(app, await _draw_id(app, plan_id))
    assert record["amendments"][0]["kind"] == "cancel"
    assert record["amendments"][0]["code"] == mine.credit_code
    assert verify_record(record) == []
    other_line = next(t for t in progress.splitlines() if f"任务 {other.assignment_id}" in t)
    assert "已取消" not in other_line


async def test_a_cancelled_check_takes_no_more_recording(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await _draft(app, mine)
    async with unit_of_work(app.sessions) as session:
        await cancel.cancel(session, None, mine.assignment_id, "企业已注销", app.clock.now())
    member = await rf.actor(app, mine.logins[0])
    async with unit_of_work(app.sessions, write=False) as session:
        category = await session.scalar(select(ResultCategory.id))
    assert category is not None
    before = await row_counts(app)
    with pytest.raises(Conflict) as refused:
        async with unit_of_work(app.sessions) as session:
            await results.set_category(session, member, rid, category, True, app.clock.now())
    assert refused.value.key == "record.assignment_closed"
    with pytest.raises(Conflict):
        async with unit_of_work(app.sessions) as session:
            await results.submit(session, member, rid, app.clock.now())
    assert await row_counts(app) == before


@pytest.mark.parametrize("handed_in", ["submitted", "published"])
async def test_a_check_handed_in_cannot_be_cancelled(app: App, handed_in: str) -> None:
    _, mine, _ = await rf.ready(app)
    await (rf.submitted if handed_in == "submitted" else rf.published)(app, mine)
    before = await row_counts(app)
    reply = await say(app, "coord", f"/cancel_task {mine.assignment_id} 理由充分")
    assert "不能取消" in texts(reply)
    with pytest.raises(Conflict):
        async with unit_of_work(app.sessions) as session:
            await cancel.cancel(session, None, mine.assignment_id, "理由充分", app.clock.now())
    assert await row_counts(app) == before


async def test_cancel_needs_a_reason_and_a_coordinator(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    before = await row_counts(app)
    assert "用法" in texts(await say(app, "coord", f"/cancel_task {mine.assignment_id}"))
    assert "理由" in texts(await say(app, "coord", f"/cancel_task {mine.assignment_id} 停"))
    assert "无权" in texts(
        await say(app, mine.logins[0], f"/cancel_task {mine.assignment_id} 停业")
    )
    assert await row_counts(app) == before


async def test_a_cancelled_check_sends_no_task_or_deadline_reminder(app: App) -> None:
    _, mine, other = await rf.ready(app)
    now = app.clock.now()
    await sweep(app.sessions, app.clock)  # the window reminders, queued ahead
    async with unit_of_work(app.sessions, write=False) as session:
        windows = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "remind.window", OutboxMessage.status == "pending")
        )
    assert windows == 4  # both teams
    async with unit_of_work(app.sessions) as session:
        await cancel.cancel(session, None, mine.assignment_id, "企业已停业", now)
    await sweep(app.sessions, app.clock)  # the next sweep must not queue them again
    inbox = Inbox()
    app.clock.set(now + timedelta(minutes=1))  # the window reminders fall due today
    await deliver_due(app.sessions, {"console": inbox}, app.clock, "w")
    got = {chat: [t for c, t in inbox.got if c == chat] for chat in [*mine.logins, *other.logins]}
    for login in mine.logins:
        assert not [t for t in got[login] if "新的联合检查任务" in t or "到期提醒" in t]
        assert any("任务取消通知" in t for t in got[login])
    for login in other.logins:
        assert any("新的联合检查任务" in t for t in got[login])
        assert any("到期提醒" in t for t in got[login])


async def test_a_cancelled_checks_record_is_not_due_for_publication(app: App) -> None:
    _, mine, other = await rf.ready(app)
    kept, still = await _draft(app, mine), await _draft(app, other)
    async with unit_of_work(app.sessions) as session:
        await cancel.cancel(session, None, mine.assignment_id, "企业已停业", app.clock.now())
    # Two weeks on, the publication deadline (20 working days after the check) is near.
    app.clock.set(app.clock.now() + timedelta(days=14))
    await sweep(app.sessions, app.clock)
    async with unit_of_work(app.sessions, write=False) as session:
        keys = (
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "remind.publish")
            )
        ).all()
    assert keys and all(k.startswith(f"remind:publish:{still}:") for k in keys)
    assert not [k for k in keys if k.startswith(f"remind:publish:{kept}:")]
