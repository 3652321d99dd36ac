"""/summary names the weeks it shows truthfully."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from tests.helpers import console_account, load_demo, say, texts


async def test_the_weekly_summary_calls_last_week_last_week(app: App) -> None:
    await load_demo(app)
    await console_account(app, "leader")
    shown = texts(await say(app, "leader", "/summary"))  # Wednesday 2026-11-25
    assert "2026-11-16 至 2026-11-22" in shown
    assert "上周：" in shown and "本周" not in shown


async def test_in_early_january_the_year_figures_name_the_year_before(app: App, clock) -> None:  # type: ignore[no-untyped-def]
    await load_demo(app)
    await console_account(app, "leader")
    clock.set(datetime(2027, 1, 2, 2, 0, tzinfo=UTC))  # Saturday: last week ended 2026-12-27
    shown = texts(await say(app, "leader", "/summary"))
    assert "2026年累计（至 2026-12-27）：" in shown
