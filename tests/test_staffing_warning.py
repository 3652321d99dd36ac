"""The preview warns, per department, when its officers cannot staff the teams."""

from __future__ import annotations

from handlers.core.db import unit_of_work
from services.draw import freeze as draws
from tests import draw_fixture as fx

# The fixture draws six enterprises at 100%: two of 餐饮 (departments X and Y) and four of
# 食品 (X alone). Eligible officers: four of X, two of Y; one expert.


async def _warnings(app, **plan) -> list:  # type: ignore[no-untyped-def]
    await fx.build(app)
    plan_id = await fx.plan(app, **plan)
    async with unit_of_work(app.sessions, write=False) as session:
        return (await draws.preview(session, None, plan_id)).warnings


async def test_a_department_short_of_officers_is_named_with_the_number_missing(app) -> None:
    warnings = await _warnings(app, load_cap=1)
    # X: one place in each 餐饮 team, both places in each 食品 team: 2 + 4 x 2 = 10 places,
    # 4 officers x 1 team each: 6 officers missing.
    assert ("draw.warn_staffing", {"teams": 6}) in warnings
    short = {"department": "部门X", "needed": 10, "officers": 4, "cap": 1, "missing": 6}
    assert ("draw.warn_department_short", short) in warnings


async def test_a_department_that_can_staff_its_share_is_not_named(app) -> None:
    warnings = await _warnings(app, load_cap=1)
    named = [p["department"] for k, p in warnings if k == "draw.warn_department_short"]
    assert named == ["部门X"]  # Y's two officers fill its two places


async def test_extra_seats_of_a_joint_team_are_shared_by_its_departments(app) -> None:
    warnings = await _warnings(app, load_cap=1, team_size=3)
    # Y: each 餐饮 team of three has one seat of X, one of Y and one for either: 1.5 each.
    short = {"department": "部门Y", "needed": 3, "officers": 2, "cap": 1, "missing": 1}
    assert ("draw.warn_department_short", short) in warnings


async def test_missing_experts_are_warned(app) -> None:
    warnings = await _warnings(app, experts_per_team=1)
    assert ("draw.warn_experts", {"needed": 6, "capacity": 5}) in warnings


async def test_enough_officers_give_no_staffing_warning(app) -> None:
    warnings = await _warnings(app, load_cap=5)
    staffing = {"draw.warn_staffing", "draw.warn_department_short", "draw.warn_experts"}
    assert [k for k, _ in warnings if k in staffing] == []
