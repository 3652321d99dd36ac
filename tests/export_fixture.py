"""A joint check of two departments with its parts, for the publicity export tests.

The restaurant (餐饮) is checked under item I1, which the market regulator (X) initiates
with the health commission (Y) cooperating: two department parts, both published. A shop
checked under I2 (X alone) has a draft part. Parts are written as rows here, the way the
record flow leaves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update

from bot.app import App
from handlers.core.db import unit_of_work
from models import (
    Department,
    InspectionResult,
    Item,
    Plan,
    Problem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
)
from services.common.clock import local_today
from tests import records_fixture
from tests.records_fixture import DEPARTMENTS, ENTERPRISES, Team

NUMBER = "ZJ2026-0012"
FINDING = ("pending_follow_up", "market_rules", "undisclosed")


@dataclass(frozen=True)
class Joint:
    """The plan, the two checked enterprises and the parts by name."""

    plan_id: int
    restaurant: Team
    shop: Team
    parts: dict[str, int]  # "X", "Y" (the restaurant's parts), "shop" (a draft)
    checked_on: date
    corrected_on: date


async def add_part(
    app: App,
    assignment_id: int,
    department: str,
    *,
    status: str = "published",
    categories: tuple[str, ...] = (),
    checked_on: date,
) -> int:
    """A department's part of an assignment with its categories; its id."""
    now = app.clock.now()
    published = status == "published"
    async with unit_of_work(app.sessions) as session:
        department_id = await session.scalar(
            select(Department.id).where(Department.code == department)
        )
        assert department_id is not None
        part = InspectionResult(
            assignment_id=assignment_id,
            department_id=department_id,
            status=status,
            checked_on=checked_on,
            started_at=now,
            published_at=now if published else None,
            publication=1 if published else 0,
            version=1,
        )
        session.add(part)
        await session.flush()
        for key in categories:
            category_id = await session.scalar(
                select(ResultCategory.id).where(ResultCategory.code == key)
            )
            assert category_id is not None, key
            session.add(ResultCategoryLink(result_id=part.id, category_id=category_id))
        return part.id


async def joint_check(app: App, *, number: str | None = NUMBER) -> Joint:
    """Build the district, draw the plan over I1 and I2 and write the parts."""
    today = local_today(app.clock)
    await records_fixture.build(app, today)
    plan_id = await records_fixture.drawn_plan(app, today, items=["I1", "I2"])
    teams = {t.enterprise: t for t in await records_fixture.teams(app, plan_id)}
    restaurant, shop = teams[ENTERPRISES[3][0]], teams[ENTERPRISES[2][0]]
    async with unit_of_work(app.sessions) as session:
        await session.execute(update(Plan).where(Plan.id == plan_id).values(number=number))
        await session.execute(
            update(Item).where(Item.code == "I1").values(method="现场检查、抽样检验")
        )
    checked_on = today - timedelta(days=1)
    x = await add_part(
        app, restaurant.assignment_id, "X", categories=FINDING, checked_on=checked_on
    )
    y = await add_part(
        app, restaurant.assignment_id, "Y", categories=("no_problem",), checked_on=checked_on
    )
    draft = await add_part(app, shop.assignment_id, "X", status="draft", checked_on=today)
    corrected_on = today
    async with unit_of_work(app.sessions) as session:
        problem = Problem(result_id=x, description="未按规定公示年度报告", found_on=checked_on)
        session.add(problem)
        await session.flush()
        session.add(
            RectificationNotice(
                result_id=x,
                problem_id=problem.id,
                number="乐市监责改〔2026〕1号",
                issued_on=checked_on,
                deadline=checked_on + timedelta(days=15),
                status="corrected",
                reinspected_on=corrected_on,
                corrected_on=corrected_on,
            )
        )
    return Joint(
        plan_id, restaurant, shop, {"X": x, "Y": y, "shop": draft}, checked_on, corrected_on
    )


X_NAME, Y_NAME = DEPARTMENTS["X"], DEPARTMENTS["Y"]
