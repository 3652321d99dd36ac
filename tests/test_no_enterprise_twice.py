"""No enterprise checked twice: a submitted check counts as a check, and plans do not overlap."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import Enterprise
from services.common.clock import local_today
from services.draw import freeze, plans
from tests import records_fixture as rf


async def _plan(app: App, start: date, end: date) -> int:
    spec: dict[str, Any] = {
        "name": f"计划 {start}",
        "items": ["I2"],
        "check_start": start,
        "check_end": end,
        "districts": ["碾伯镇"],
        "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
    }
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, plans.parse_spec(spec), app.clock.now())
    return plan.id


async def _excluded(app: App, plan_id: int) -> dict[str, int]:
    async with unit_of_work(app.sessions, write=False) as session:
        return dict((await freeze.preview(session, None, plan_id)).enterprise_exclusions)


async def _checked_on(app: App, credit_code: str) -> date | None:
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(
            select(Enterprise.last_checked_on).where(Enterprise.credit_code == credit_code)
        )


async def test_a_submitted_check_sets_the_last_check_date(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    assert await _checked_on(app, mine.credit_code) is None
    await rf.submitted(app, mine)
    assert await _checked_on(app, mine.credit_code) == local_today(app.clock)


async def test_an_enterprise_checked_this_year_is_left_out_of_a_later_plan(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    await rf.submitted(app, mine)
    today = local_today(app.clock)
    later = await _plan(app, today + timedelta(days=30), today + timedelta(days=60))
    assert (await _excluded(app, later)).get("recently_checked") == 1


async def test_a_later_check_date_is_never_moved_back(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    ahead = local_today(app.clock) + timedelta(days=3)
    async with unit_of_work(app.sessions) as session:
        enterprise = await session.scalar(
            select(Enterprise).where(Enterprise.credit_code == mine.credit_code)
        )
        assert enterprise is not None
        enterprise.last_checked_on = ahead
    await rf.submitted(app, mine)
    assert await _checked_on(app, mine.credit_code) == ahead


async def test_enterprises_drawn_by_an_overlapping_plan_are_left_out(app: App) -> None:
    await rf.ready(app)
    today = local_today(app.clock)
    overlapping = await _plan(app, today, today + timedelta(days=20))
    assert (await _excluded(app, overlapping)).get("in_open_plan") == 2


async def test_a_plan_after_the_window_may_draw_them_again(app: App) -> None:
    await rf.ready(app)
    today = local_today(app.clock)
    after = await _plan(app, today + timedelta(days=30), today + timedelta(days=60))
    assert "in_open_plan" not in await _excluded(app, after)


async def test_a_plan_that_allows_overlap_may_draw_them(app: App) -> None:
    await rf.ready(app)
    today = local_today(app.clock)
    spec: dict[str, Any] = {
        "name": "复查计划",
        "items": ["I2"],
        "check_start": today,
        "check_end": today + timedelta(days=20),
        "districts": ["碾伯镇"],
        "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
        "allow_overlap": True,
    }
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, plans.parse_spec(spec), app.clock.now())
    assert "in_open_plan" not in await _excluded(app, plan.id)


async def test_the_preview_warns_of_two_plans_competing_for_enterprises(app: App) -> None:
    await rf.ready(app)
    today = local_today(app.clock)
    overlapping = await _plan(app, today, today + timedelta(days=20))
    async with unit_of_work(app.sessions, write=False) as session:
        preview = await freeze.preview(session, None, overlapping)
    assert ("draw.warn_competing", {"count": 2}) in preview.warnings
