"""/newplan asks every field of a plan; plan files are refused in the reader's language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from models import Plan
from services.common.errors import InvalidInput
from services.draw import plans
from tests.helpers import console_account, load_demo, say, texts


async def test_every_plan_field_is_set_through_the_conversation(app) -> None:
    await load_demo(app)
    await console_account(app, "coord")
    await say(app, "coord", "/newplan")
    await say(app, "coord", "全字段计划")
    await say(app, "coord", "2")
    await say(app, "coord", "2026-12-01 to 2026-12-31")
    await say(app, "coord", "碾伯镇，雨润镇")
    await say(app, "coord", "文化、体育和娱乐业 住宿和餐饮业")
    await say(app, "coord", "娱乐场所；住宿业")
    await say(app, "coord", "D=100 C=50 B=20 A=5")
    await say(app, "coord", "3")
    await say(app, "coord", "40")
    await say(app, "coord", "4")
    await say(app, "coord", "1")
    await say(app, "coord", "2")
    await say(app, "coord", "180")
    summary = texts(await say(app, "coord", button="f:newplan:yes"))
    assert "每人最多参加：2 组" in summary and "近 180 天" in summary
    assert "计划已创建" in texts(await say(app, "coord", button="f:newplan:create"))
    async with unit_of_work(app.sessions, write=False) as session:
        plan = await session.scalar(select(Plan))
    assert plan is not None
    assert plan.districts == ["碾伯镇", "雨润镇"]
    assert plan.industries == ["住宿和餐饮业", "文化、体育和娱乐业"]
    assert plan.object_types == ["住宿业", "娱乐场所"]
    assert plan.ratios == {"A": "0.05", "B": "0.2", "C": "0.5", "D": "1"}
    assert (plan.min_count, plan.max_count, plan.team_size) == (3, 40, 4)
    assert (plan.experts_per_team, plan.load_cap, plan.recent_window_days) == (1, 2, 180)
    assert plan.allow_overlap is True


async def test_skipping_every_optional_question_gives_the_defaults(app) -> None:
    await load_demo(app)
    await console_account(app, "coord")
    await say(app, "coord", "/newplan")
    await say(app, "coord", "默认计划")
    await say(app, "coord", "2")
    await say(app, "coord", "2026-12-01 至 2026-12-31")
    for _ in range(11):
        await say(app, "coord", button="f:newplan:default")
    await say(app, "coord", button="f:newplan:create")
    async with unit_of_work(app.sessions, write=False) as session:
        plan = await session.scalar(select(Plan))
    assert plan is not None
    assert (plan.districts, plan.industries, plan.object_types) == ([], [], [])
    assert plan.ratios == plans.DEFAULT_RATIOS
    assert (plan.min_count, plan.max_count, plan.team_size) == (0, None, 2)
    assert (plan.experts_per_team, plan.load_cap, plan.recent_window_days) == (0, 1, 365)
    assert plan.allow_overlap is False


SPEC = {"name": "x", "items": ["LD-001"], "check_start": "2027-01-04", "check_end": "2027-01-29"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"team_size": 1}, "检查组人数须为 2 到 10"),
        ({"load_cap": "many"}, "1 到 100 的整数"),
        ({"check_end": "2027-01-01"}, "不早于开始日期"),
        ({"min_count": 5, "max_count": 2}, "不少于最少抽取数"),
        ({"ratios": {"E": "0.1"}}, "A、B、C、D 四类"),
        ({"name": ""}, "计划名称须为 1 到 200 个字"),
    ],
)
def test_a_refused_plan_reads_in_chinese(change: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        plans.parse_spec({**SPEC, **change})
    text = t("zh", refused.value.key, **refused.value.params)
    assert words in text
    assert re.search("[A-Za-z]{2,}", text) is None  # risk classes A-D are single letters
