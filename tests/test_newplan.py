"""/newplan: a guided conversation; bad answers re-ask without losing what was given."""

from __future__ import annotations

from sqlalchemy import select

from handlers.core.db import unit_of_work
from models import Plan
from tests.helpers import console_account, load_demo, row_counts, say, texts


async def _start(app) -> None:  # type: ignore[no-untyped-def]
    await load_demo(app)
    await console_account(app, "coord")
    assert "计划名称" in texts(await say(app, "coord", "/newplan"))


async def test_plan_created_through_the_conversation(app) -> None:
    await _start(app)
    assert "LD-002 食品经营行为检查" in texts(await say(app, "coord", "年末联合抽查"))
    assert "检查时间" in texts(await say(app, "coord", "2 LD-003"))
    await say(app, "coord", "2026/12/1 到 2026年12月31日")
    for _ in ("districts", "industries", "object_types"):
        await say(app, "coord", button="f:newplan:default")
    await say(app, "coord", "D=100 C=30 B=10 A=0.5")
    await say(app, "coord", button="f:newplan:default")
    await say(app, "coord", "12")
    await say(app, "coord", button="f:newplan:team:3")
    for _ in ("experts_per_team", "load_cap", "recent_window_days", "allow_overlap"):
        summary = await say(app, "coord", button="f:newplan:default")
    assert "A 0.5%" in texts(summary) and "C 30%" in texts(summary)
    created = await say(app, "coord", button="f:newplan:create")
    assert "计划已创建" in texts(created)
    async with unit_of_work(app.sessions, write=False) as session:
        plan = await session.scalar(select(Plan))
    assert plan is not None
    assert (plan.name, plan.team_size, plan.max_count) == ("年末联合抽查", 3, 12)
    assert plan.ratios == {"A": "0.005", "B": "0.1", "C": "0.3", "D": "1"}
    assert str(plan.check_start) == "2026-12-01" and str(plan.check_end) == "2026-12-31"


async def test_bad_answers_are_refused_and_the_question_stands(app) -> None:
    await _start(app)
    await say(app, "coord", "计划")
    assert "无法识别的事项编号：99" in texts(await say(app, "coord", "2 99"))
    await say(app, "coord", "2")
    before = await row_counts(app)
    assert "开始日期 至 结束日期" in texts(await say(app, "coord", "下周"))
    assert "开始日期 至 结束日期" in texts(await say(app, "coord", "2026-12-31 至 2026-12-01"))
    assert "开始日期 至 结束日期" in texts(await say(app, "coord", "2020-01-01 至 2020-01-31"))
    assert await row_counts(app) == before
    assert "区域" in texts(await say(app, "coord", "2026-12-01 至 2026-12-31"))
    assert "名录中没有：火星镇" in texts(await say(app, "coord", "碾伯镇 火星镇"))
    await say(app, "coord", button="f:newplan:default")
    await say(app, "coord", button="f:newplan:default")
    assert "抽查比例" in texts(await say(app, "coord", button="f:newplan:default"))
    assert "比例格式有误" in texts(await say(app, "coord", "D=0"))
    await say(app, "coord", button="f:newplan:default")
    assert "0 到 100000 之间的整数" in texts(await say(app, "coord", "很多"))
    await say(app, "coord", "5")
    assert "不能少于最少抽取数 5" in texts(await say(app, "coord", "3"))
    assert await row_counts(app) == before


async def test_an_english_window_is_accepted(app) -> None:
    await _start(app)
    await say(app, "coord", "计划")
    await say(app, "coord", "2")
    assert "区域" in texts(await say(app, "coord", "2026-12-01 to 2026-12-31"))


async def test_inspector_cannot_create_plans(app) -> None:
    await load_demo(app)
    await console_account(app, "insp01")
    assert "无权" in texts(await say(app, "insp01", "/newplan"))


async def test_a_window_already_under_way_is_taken_with_a_note(app) -> None:
    await _start(app)
    await say(app, "coord", "计划")
    await say(app, "coord", "2")
    # The clock's today is 2026-11-25: a window that began in October and runs on.
    reply = texts(await say(app, "coord", "2026-10-01 至 2026-12-31"))
    assert "已经开始" in reply and "区域" in reply


async def test_a_window_already_over_is_refused(app) -> None:
    await _start(app)
    await say(app, "coord", "计划")
    await say(app, "coord", "2")
    assert "结束不早于今天" in texts(await say(app, "coord", "2026-10-01 至 2026-10-31"))
