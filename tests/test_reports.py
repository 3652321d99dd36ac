"""The weekly summary and the annual paragraph match hand-counted figures."""

from __future__ import annotations

import warnings
from datetime import date

from matplotlib.ft2font import FT2Font

from handlers.core.db import unit_of_work
from services.reports import charts, summary
from tests import reports_fixture as fx
from tests.helpers import console_account, load_demo, say, texts


async def _figures(app, start: date, end: date):  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return await summary.figures(session, summary.Period(start, end), date(2026, 11, 25))


async def test_annual_paragraph_matches_the_seed_report(app) -> None:
    await fx.build(app)
    f = await _figures(app, date(2026, 1, 1), date(2026, 12, 31))
    assert summary.annual_paragraph(f) == (
        "推行部门联合“双随机、一公开”监管工作，召开联合执法检查联席会议2次，"
        "深入2家经营企业开展联合执法检查，共查出问题5处，下达责令整改通知书4份，立案查处1次。"
    )


async def test_a_year_with_zero_cases(app) -> None:
    await fx.build(app)
    f = await _figures(app, date(2025, 1, 1), date(2025, 12, 31))
    assert (f.meetings_held, f.enterprises_inspected, f.cases_filed) == (1, 0, 0)
    assert "立案查处0次" in summary.annual_paragraph(f)


async def test_weekly_figures(app) -> None:
    await fx.build(app)
    week = await _figures(app, *fx.WEEK)
    assert (week.meetings_held, week.enterprises_inspected, week.problems_found) == (1, 1, 2)
    assert (week.notices_issued, week.notices_corrected, week.cases_filed) == (1, 0, 0)
    assert week.correction_rate == 0
    assert (week.overdue_notices, week.overdue_cases) == (1, 0)
    assert (week.published, week.published_on_time) == (1, 0)  # published after its due date
    year = await _figures(app, date(2026, 1, 1), fx.WEEK[1])
    assert year.correction_rate == 0.75


def test_last_full_week() -> None:
    assert summary.week_of(date(2026, 11, 25)) == summary.Period(*fx.WEEK)
    assert summary.week_of(date(2026, 11, 23)) == summary.Period(*fx.WEEK)


def test_chart_is_a_png_drawn_with_the_cjk_font() -> None:
    path = charts.cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    font = FT2Font(str(path))
    assert all(
        font.get_char_index(ord(ch)) for ch in "联席会议检查企业发现问题责令整改立案查处周报"
    )
    f = summary.Figures(summary.Period(*fx.WEEK), 1, 2, 5, 4, 1, 3, 1, 0, 2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns; make it fail
        png = charts.weekly_chart(f, f, "zh")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


async def test_summary_and_report_in_chat(app) -> None:
    await load_demo(app)
    await fx.build(app)
    await console_account(app, "leader")
    await console_account(app, "insp01")
    replies = await say(app, "leader", "/summary")
    assert replies[0].image is not None and "召开联席会议 1 次" in texts(replies)
    assert "立案查处1次" in texts(await say(app, "leader", "/report 2026"))
    assert "用法" in texts(await say(app, "leader", "/report twenty"))
    assert "无权" in texts(await say(app, "insp01", "/summary"))


def test_annual_report_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "report", "annual", "--year", "2025"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("立案查处0次。")
    assert "召开联合执法检查联席会议0次" in run.stdout
