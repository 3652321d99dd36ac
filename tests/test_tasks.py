"""/tasks for inspectors (their own assignments, open first, paged) and /progress."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from services.common.clock import local_today
from tests import records_fixture as rf
from tests.helpers import console_account, say, texts


async def test_tasks_show_what_the_team_needs_on_site_and_only_their_own(app: App) -> None:
    _, mine, other = await rf.ready(app)
    replies = await say(app, mine.logins[0], "/tasks")
    text = texts(replies)
    number = next(n for n, e in rf.ENTERPRISES.items() if e[0] == mine.enterprise)
    name, _, _, address, person, phone = rf.ENTERPRISES[number]
    for expected in (name, mine.credit_code, address, person, phone, "食品经营许可及经营行为检查"):
        assert expected in text
    teammates = [rf.INSPECTORS[login][2] for login in mine.logins]
    assert all(t in text for t in teammates)
    assert "检查时间" in text and "待检查" in text
    assert other.enterprise not in text
    assert rf.buttons(replies) == [f"rec:{mine.assignment_id}"]


async def test_tasks_are_paged_with_open_ones_first(app: App) -> None:
    today = local_today(app.clock)
    await rf.build(app, today)
    # Four plans one after the other (an enterprise is never in two plans at once), each
    # drawn with load cap 1 over four officers: every officer gets one assignment per plan.
    plan_ids = [
        await rf.drawn_plan(
            app,
            today,
            name=f"计划{n}",
            check_start=today - timedelta(days=2) + timedelta(days=8 * n),
            check_end=today + timedelta(days=5) + timedelta(days=8 * n),
        )
        for n in range(4)
    ]
    first = (await rf.teams(app, plan_ids[0]))[0]
    login = first.logins[0]
    await console_account(app, login)
    await rf.submitted(app, first)  # the first plan's check is done: it goes last
    page1 = await say(app, login, "/tasks")
    assert "第 1/2 页，共 4 项" in texts(page1)
    assert "task:p:2" in rf.buttons(page1)
    assert "计划0" not in texts(page1)
    page2 = await rf.press(app, login, "task:p:2")
    assert "第 2/2 页" in texts(page2) and "计划0" in texts(page2)
    assert "待审核" in texts(page2)
    assert "task:p:1" in rf.buttons(page2)
    assert not page1[0].edit and page2[0].edit  # a page turned replaces the one shown
    # No record button for a submitted check.
    assert f"rec:{first.assignment_id}" not in rf.buttons(page2)


async def test_a_user_without_tasks_is_told_so(app: App) -> None:
    await rf.ready(app)
    await console_account(app, "insp5")  # department Y is not in the plan
    assert "没有检查任务" in texts(await say(app, "insp5", "/tasks"))


async def test_progress_lists_every_assignment_for_coordinators_only(app: App) -> None:
    plan_id, mine, other = await rf.ready(app)
    await rf.submitted(app, mine)
    progress = texts(await say(app, "coord", f"/progress {plan_id}"))
    assert mine.enterprise in progress and other.enterprise in progress
    assert "待审核 1" in progress and "未填报 1" in progress
    assert "公示期限" in progress
    assert "无权" in texts(await say(app, mine.logins[0], f"/progress {plan_id}"))
    assert "没有编号为 99 的抽查计划" in texts(await say(app, "coord", "/progress 99"))
    assert "用法" in texts(await say(app, "coord", "/progress"))
