"""The leaders' annual report: the seed report's sentence, figures by department and by
month, the progress chart and the year's plans with their completion."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AnnualPlan, AnnualPlanRow, Assignment, Draw, InspectionResult, Plan
from services.accounts.actors import Actor
from services.documents.config import Wording
from services.documents.content import Content, Image, day_text
from services.reports import summary
from services.reports.progress import YearProgress, year_progress
from services.reports.summary import SUBMITTED, Period


def _rate(done: int, of: int) -> str:
    return f"{done / of:.0%}" if of else "—"


async def _months(session: AsyncSession, year: int, end: date, today: date) -> list[dict[str, Any]]:
    out = []
    for month in range(1, end.month + 1):
        first = date(year, month, 1)
        after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        period = Period(first, min(after - timedelta(days=1), end))
        f = await summary.figures(session, period, today)
        out.append(
            {
                "month": f"{month}月",
                "meetings": f.meetings_held,
                "enterprises": f.enterprises_inspected,
                "problems": f.problems_found,
                "notices": f.notices_issued,
                "cases": f.cases_filed,
            }
        )
    return out


async def _plans(session: AsyncSession, year: int) -> list[dict[str, Any]]:
    """The year's plans (from its annual plans, or starting in it) with drawn and checked."""
    rows = (
        select(AnnualPlanRow.id)
        .join(AnnualPlan, AnnualPlan.id == AnnualPlanRow.annual_plan_id)
        .where(AnnualPlan.year == year)
    )
    in_year = and_(Plan.check_start >= date(year, 1, 1), Plan.check_start <= date(year, 12, 31))
    plans = (
        await session.scalars(
            select(Plan).where(or_(Plan.annual_row_id.in_(rows), in_year)).order_by(Plan.id)
        )
    ).all()
    ids = [p.id for p in plans]
    standing = and_(
        Assignment.plan_id.in_(ids),
        Draw.status == "final",
        Assignment.status.not_in(("void", "cancelled")),
    )
    drawn = dict(
        (
            await session.execute(
                select(Assignment.plan_id, func.count())
                .join(Draw, Draw.id == Assignment.draw_id)
                .where(standing)
                .group_by(Assignment.plan_id)
            )
        ).all()
    )
    checked_ids = (
        select(Assignment.id)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(InspectionResult, InspectionResult.assignment_id == Assignment.id)
        .where(standing, InspectionResult.status.in_(SUBMITTED))
        .distinct()
        .subquery()
    )
    checked = dict(
        (
            await session.execute(
                select(Assignment.plan_id, func.count())
                .where(Assignment.id.in_(select(checked_ids.c.id)))
                .group_by(Assignment.plan_id)
            )
        ).all()
    )
    return [
        {
            "number": plan.number or f"JC{plan.check_start.year}{plan.id:04d}",
            "name": plan.name,
            "window": f"{plan.check_start.isoformat()} 至 {plan.check_end.isoformat()}",
            "drawn": int(drawn.get(plan.id, 0)),
            "checked": int(checked.get(plan.id, 0)),
            "completion": _rate(int(checked.get(plan.id, 0)), int(drawn.get(plan.id, 0))),
        }
        for plan in plans
    ]


def _departments(progress: YearProgress) -> list[dict[str, Any]]:
    rows = [(d.name, d.counts) for d in progress.departments] + [("合计", progress.total)]
    return [
        {
            "name": name,
            "drawn": c.drawn,
            "checked": c.checked,
            "published": c.published,
            "problems": c.problems,
            "completion": _rate(c.checked, c.drawn),
        }
        for name, c in rows
    ]


def _chart(progress: YearProgress) -> Any:
    def draw() -> bytes:
        # matplotlib loads only when the chart is drawn (not for the public page's check).
        from services.reports.progress_chart import progress_chart

        return progress_chart(progress)

    return draw


async def annual_content(
    session: AsyncSession, actor: Actor | None, year: int, wording: Wording, today: date
) -> Content:
    """The annual report of `year`, its figures up to `today` when the year is running."""
    end = min(date(year, 12, 31), today) if year == today.year else date(year, 12, 31)
    progress = await year_progress(session, actor, year)
    figures = await summary.figures(session, Period(date(year, 1, 1), end), today)
    values: dict[str, Any] = {
        "title": wording.text("annual_title", year=year),
        "number": f"{year}年度",
        "department": wording.office,
        "issued_on": day_text(end),
        "year": year,
        "period": f"{day_text(date(year, 1, 1))}至{day_text(end)}",
        "paragraph": summary.annual_paragraph(figures),
        "departments": _departments(progress),
        "months": await _months(session, year, end, today),
        "plans": await _plans(session, year),
        "documents": "、".join(progress.documents) or "—",
        "chart": {"image": "chart"},
        "seal_note": wording.get("issuer", "seal_note"),
    }
    # The chart is drawn from the figures above, so their hash stands for it.
    images = {"chart": Image("", _chart(progress))}
    return Content("annual", year, f"{year}年度", None, end, values, images)
