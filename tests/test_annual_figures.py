"""The annual figures: what was entered afterwards counts, a draft's orders and cases do not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from handlers.core.db import unit_of_work
from models import Case, Department, InspectionResult, RectificationNotice
from services.meetings import past as past_meetings
from services.records import past as past_results
from services.reports import summary
from tests import reports_fixture as fx
from tests.past_fixture import add_enterprises, csv_file, row

YEAR = summary.Period(date(2026, 1, 1), date(2026, 12, 31))


async def _figures(app) -> summary.Figures:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return await summary.figures(session, YEAR, date(2026, 11, 25))


async def _enter_the_past(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    await add_enterprises(app, 1)
    async with unit_of_work(app.sessions) as session:
        session.add(Department(code="SCJG", name="市场监督管理局"))
        await session.flush()
        await past_meetings.record_past(
            session,
            None,
            kind="plenary",
            title="2026年第一次全体会议",
            starts_at=datetime(2026, 1, 20, 1, 30, tzinfo=UTC),
            place="区政府三楼",
            agenda="审议年度计划",
            departments=["SCJG"],
            absent_user_ids=[],
            minutes="审议通过年度抽查计划",
            decisions="",
            now=app.clock.now(),
        )
        # One check before JointCheck: 3 problems, 2 orders to correct, 1 case.
        path = csv_file(tmp_path / "past.csv", [row(1)])
        await past_results.import_results(session, None, path, app.clock.now())


async def test_a_past_meeting_and_an_imported_result_count_in_the_annual_sentence(
    app, tmp_path: Path
) -> None:
    await fx.build(app)
    await _enter_the_past(app, tmp_path)
    assert summary.annual_paragraph(await _figures(app)) == (
        "推行部门联合“双随机、一公开”监管工作，召开联合执法检查联席会议3次，"
        "深入3家经营企业开展联合执法检查，共查出问题8处，下达责令整改通知书6份，立案查处2次。"
    )


async def test_imported_orders_leave_the_correction_rate_alone(app, tmp_path: Path) -> None:
    await fx.build(app)
    await _enter_the_past(app, tmp_path)
    f = await _figures(app)
    assert (f.imported_results, f.imported_notices) == (1, 2)
    assert f.correction_rate == 0.75  # 3 of the 4 tracked orders; the imported 2 are unknown


async def test_orders_and_cases_of_a_draft_are_not_counted(app) -> None:
    await fx.build(app)
    async with unit_of_work(app.sessions) as session:
        draft = await session.scalar(
            select(InspectionResult).where(InspectionResult.status == "draft")
        )
        assert draft is not None
        day = date(2026, 11, 18)
        session.add(
            RectificationNotice(result_id=draft.id, number="D1", issued_on=day, deadline=day)
        )
        session.add(Case(result_id=draft.id, number="DC1", filed_on=day, decision_due=day))
    f = await _figures(app)
    assert (f.notices_issued, f.cases_filed) == (4, 1)
