"""Voiding a draw protects work: what ends is shown first, handed-in work forbids it, and
every team member is told while their pending reminders are withdrawn."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from bot.app import App
from handlers.core.db import unit_of_work
from models import Assignment, Draw, OutboxMessage, Plan, User
from scheduler.delivery import deliver_due
from scheduler.sweeps import sweep
from services.common.clock import local_today
from services.common.errors import Conflict
from services.draw import cancel
from services.records import results
from tests import amend_fixture as af
from tests import records_fixture as rf
from tests.helpers import row_counts, say, texts
from tests.test_meetings import Inbox


async def _draw_id(app: App, plan_id: int) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(select(Draw.id).where(Draw.plan_id == plan_id))
    assert found is not None
    return found


async def _status(app: App, draw_id: int) -> str:
    return (await af.the_draw(app, draw_id)).status


async def test_void_shows_what_will_end_and_waits_for_the_confirmation(app: App) -> None:
    plan_id, mine, _ = await rf.ready(app)
    draw_id = await _draw_id(app, plan_id)
    member = await rf.actor(app, mine.logins[0])
    async with unit_of_work(app.sessions) as session:
        await results.open_record(
            session, member, mine.assignment_id, local_today(app.clock), app.clock.now()
        )
    asked = await say(app, "coord", f"/void {draw_id} 名单录入错误")
    assert "未填报：1" in texts(asked) and "填报中：1" in texts(asked)
    assert rf.buttons(asked) == ["f:void:go", "f:void:cancel"]
    assert await _status(app, draw_id) == "final"  # nothing happens before the confirmation
    left = await say(app, "coord", button="f:void:cancel")
    assert "已退出" in texts(left) and await _status(app, draw_id) == "final"

    await say(app, "coord", f"/void {draw_id} 名单录入错误")
    done = await say(app, "coord", button="f:void:go")
    assert "抽取作废公告" in texts(done)
    assert await _status(app, draw_id) == "voided"
    async with unit_of_work(app.sessions, write=False) as session:
        plan = await session.get(Plan, plan_id)
        statuses = set((await session.scalars(select(Assignment.status))).all())
    assert plan is not None and plan.status == "draft" and statuses == {"void"}
    again = await say(app, "coord", button="f:void:go")  # the confirmation pressed twice
    assert "按钮已失效" in texts(again)


@pytest.mark.parametrize("handed_in", ["submitted", "approved", "published"])
async def test_a_draw_with_handed_in_work_cannot_be_voided(app: App, handed_in: str) -> None:
    from services.records import review

    plan_id, mine, _ = await rf.ready(app)
    draw_id = await _draw_id(app, plan_id)
    if handed_in == "published":
        await rf.published(app, mine)
    else:
        rid = await rf.submitted(app, mine)
        if handed_in == "approved":
            async with unit_of_work(app.sessions) as session:
                await review.approve(session, None, rid, app.clock.now())
    before = await row_counts(app)
    refused = await say(app, "coord", f"/void {draw_id} 名单录入错误")
    assert "不能作废" in texts(refused) and "/cancel_task" in texts(refused)
    assert not rf.buttons(refused)
    with pytest.raises(Conflict) as raised:
        async with unit_of_work(app.sessions) as session:
            await cancel.void(session, None, draw_id, "名单录入错误", app.clock.now())
    assert raised.value.key == "draw.void_handed_in"
    assert await row_counts(app) == before
    assert await _status(app, draw_id) == "final"


async def test_every_member_is_told_in_their_language_and_no_task_notice_follows(
    app: App,
) -> None:
    plan_id, mine, other = await rf.ready(app)
    draw_id = await _draw_id(app, plan_id)
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(User).where(User.login == mine.logins[0]).values(language="en")
        )
    app.core.policy = replace(app.core.policy, announce_chats=(("console", "group"),))
    await say(app, "coord", f"/void {draw_id} 名单录入错误")
    await say(app, "coord", button="f:void:go")
    async with unit_of_work(app.sessions, write=False) as session:
        new_task = (
            await session.scalars(
                select(OutboxMessage.status).where(OutboxMessage.kind == "assignment.new")
            )
        ).all()
    assert new_task and set(new_task) == {"cancelled"}  # withdrawn before they were sent
    inbox = Inbox()
    await deliver_due(app.sessions, {"console": inbox}, app.clock, "w")
    assert inbox.texts_for(mine.logins[0]) == [
        f"Draw voided: your check of {mine.enterprise} (task {mine.assignment_id}, plan "
        "2026年食品经营联合抽查) is cancelled: 名单录入错误. Do not go."
    ]
    for login in [mine.logins[1], *other.logins]:
        got = inbox.texts_for(login)
        assert len(got) == 1 and got[0].startswith("抽取作废通知")
    assert any("抽取作废公告" in t for t in inbox.texts_for("group"))


async def test_a_voided_draws_window_reminders_are_withdrawn_and_not_queued_again(
    app: App,
) -> None:
    plan_id, _, _ = await rf.ready(app)
    draw_id = await _draw_id(app, plan_id)
    await sweep(app.sessions, app.clock)  # queues the check window reminders
    async with unit_of_work(app.sessions) as session:
        await cancel.void(session, None, draw_id, "名单录入错误", app.clock.now())
    await sweep(app.sessions, app.clock)
    async with unit_of_work(app.sessions, write=False) as session:
        windows = (
            await session.scalars(
                select(OutboxMessage.status).where(OutboxMessage.kind == "remind.window")
            )
        ).all()
    assert windows and set(windows) == {"cancelled"}
    inbox = Inbox()
    await deliver_due(app.sessions, {"console": inbox}, app.clock, "w")
    assert not [t for _, t in inbox.got if "到期提醒" in t or "新的联合检查任务" in t]


async def test_a_draw_voided_from_the_command_line_needs_yes(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command line's runner, in process: without --yes it lists and refuses.
    import argparse

    from bot import cli_draw

    plan_id, _, _ = await rf.ready(app)
    draw_id = await _draw_id(app, plan_id)
    args = argparse.Namespace(
        draw_command="void", draw_id=draw_id, reason="名单录入错误", yes=False
    )
    before = await row_counts(app)
    assert await cli_draw.run_draw(app, args) == 1
    shown = capsys.readouterr().out
    assert "未填报 / not entered: 2" in shown and "--yes" in shown
    assert await row_counts(app) == before
    assert await cli_draw.run_draw(app, replace_yes(args)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == str(draw_id)
    assert await _status(app, draw_id) == "voided"


def replace_yes(args: object) -> object:
    """The same command line with --yes."""
    import argparse

    assert isinstance(args, argparse.Namespace)
    return argparse.Namespace(**{**vars(args), "yes": True})
