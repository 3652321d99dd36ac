"""The figures leaders ask for: a period's summary and the annual report paragraph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import Assignment, Case, InspectionResult, Meeting, Problem, RectificationNotice
from models.records import PastResult
from services.common.clock import SHANGHAI

SUBMITTED = ("awaiting_review", "returned", "approved", "published")


@dataclass(frozen=True)
class Period:
    """Dates from `start` to `end` inclusive, as users in Asia/Shanghai mean them."""

    start: date
    end: date

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as a half-open UTC interval."""
        first = datetime.combine(self.start, time(), SHANGHAI).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(), SHANGHAI).astimezone(UTC)
        return first, after


def week_of(day: date) -> Period:
    """Monday to Sunday of the week before the one containing `day` (last full week)."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def year_to(day: date) -> Period:
    """1 January to `day`."""
    return Period(date(day.year, 1, 1), day)


@dataclass(frozen=True)
class Figures:
    """What happened in a period."""

    period: Period
    meetings_held: int
    enterprises_inspected: int
    problems_found: int
    notices_issued: int
    cases_filed: int
    notices_corrected: int
    overdue_notices: int
    overdue_cases: int
    published: int
    published_on_time: int
    # Checks done before JointCheck, imported from a results file (`services.records.past`),
    # and their orders to correct: counted above, their corrections unknown.
    imported_results: int = 0
    imported_notices: int = 0

    @property
    def correction_rate(self) -> float | None:
        """Share of the period's tracked orders to correct that were corrected."""
        tracked = self.notices_issued - self.imported_notices
        return self.notices_corrected / tracked if tracked else None

    @property
    def on_time_rate(self) -> float | None:
        """Share of the period's publications made within the 20 working days."""
        return self.published_on_time / self.published if self.published else None


def _within(
    column: InstrumentedAttribute[date] | InstrumentedAttribute[date | None], p: Period
) -> ColumnElement[bool]:
    return and_(column >= p.start, column <= p.end)


async def figures(session: AsyncSession, period: Period, today: date) -> Figures:
    """Count the period's meetings, checks, problems, notices, cases and publications."""
    # Held meetings count whether scheduled ahead or entered afterwards; imported results
    # of checks done before JointCheck add to the checks, problems, orders and cases.
    first, after = period.utc_bounds()
    submitted = InspectionResult.status.in_(SUBMITTED)
    meetings = select(func.count()).where(
        Meeting.status == "held", Meeting.starts_at >= first, Meeting.starts_at < after
    )
    checked = (
        select(Assignment.enterprise_id.label("enterprise_id"))
        .join(InspectionResult, InspectionResult.assignment_id == Assignment.id)
        .where(submitted, _within(InspectionResult.checked_on, period))
    )
    imported = select(PastResult.enterprise_id.label("enterprise_id")).where(
        _within(PastResult.checked_on, period)
    )
    # An enterprise checked both before and with JointCheck in one period counts once.
    inspected = union(checked, imported).subquery()
    enterprises = select(func.count()).select_from(inspected)
    problems = (
        select(func.count())
        .select_from(Problem)
        .join(InspectionResult, InspectionResult.id == Problem.result_id)
        .where(submitted, _within(Problem.found_on, period))
    )
    corrected = case((RectificationNotice.status == "corrected", 1), else_=0)
    # Orders and cases count on submitted records only, like problems: a draft's are not
    # yet part of the record.
    notices = (
        select(func.count(), func.coalesce(func.sum(corrected), 0))
        .select_from(RectificationNotice)
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .where(submitted, _within(RectificationNotice.issued_on, period))
    )
    cases = (
        select(func.count())
        .select_from(Case)
        .join(InspectionResult, InspectionResult.id == Case.result_id)
        .where(submitted, _within(Case.filed_on, period))
    )
    past = select(
        func.count(),
        func.coalesce(func.sum(PastResult.problems), 0),
        func.coalesce(func.sum(PastResult.notices), 0),
        func.coalesce(func.sum(PastResult.cases), 0),
    ).where(_within(PastResult.checked_on, period))
    overdue_notices = select(func.count()).where(
        RectificationNotice.status.in_(("open", "extended")), RectificationNotice.deadline < today
    )
    overdue_cases = select(func.count()).where(Case.status == "open", Case.decision_due < today)
    published = select(InspectionResult.published_at, InspectionResult.publish_due).where(
        InspectionResult.published_at >= first, InspectionResult.published_at < after
    )
    n_notices, n_corrected = (await session.execute(notices)).one()
    n_past, past_problems, past_notices, past_cases = (await session.execute(past)).one()
    n_published = n_on_time = 0
    for published_at, due in await session.execute(published):
        # On time means published on or before the due date as Shanghai reckons it.
        n_published += 1
        local = published_at.astimezone(SHANGHAI).date() if published_at else None
        n_on_time += due is None or (local is not None and local <= due)
    return Figures(
        period=period,
        meetings_held=await _scalar(session, meetings.select_from(Meeting)),
        enterprises_inspected=await _scalar(session, enterprises),
        problems_found=await _scalar(session, problems) + int(past_problems),
        notices_issued=int(n_notices) + int(past_notices),
        cases_filed=await _scalar(session, cases) + int(past_cases),
        notices_corrected=int(n_corrected),
        overdue_notices=await _scalar(session, overdue_notices.select_from(RectificationNotice)),
        overdue_cases=await _scalar(session, overdue_cases.select_from(Case)),
        published=n_published,
        published_on_time=n_on_time,
        imported_results=int(n_past),
        imported_notices=int(past_notices),
    )


async def _scalar(session: AsyncSession, stmt: Select[int]) -> int:
    return int(await session.scalar(stmt) or 0)


def annual_paragraph(f: Figures) -> str:
    """The sentence of the law-based government report, in the seed report's words."""
    return (
        "推行部门联合“双随机、一公开”监管工作，"
        f"召开联合执法检查联席会议{f.meetings_held}次，"
        f"深入{f.enterprises_inspected}家经营企业开展联合执法检查，"
        f"共查出问题{f.problems_found}处，"
        f"下达责令整改通知书{f.notices_issued}份，"
        f"立案查处{f.cases_filed}次。"
    )
