"""A year hand-counted to match the seed report: 2 meetings, 2 enterprises, 5 problems,
4 orders to correct, 1 case, plus things that must not be counted."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.app import App
from handlers.core.db import unit_of_work
from models import (
    Assignment,
    Case,
    Department,
    Draw,
    Enterprise,
    InspectionResult,
    Meeting,
    Plan,
    Problem,
    RectificationNotice,
)

YEAR = 2026
WEEK = (date(2026, 11, 16), date(2026, 11, 22))  # the last full week before 2026-11-25


def _at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def build(app: App) -> None:
    """Create the year's records."""
    now = app.clock.now()
    async with unit_of_work(app.sessions) as s:
        plan = Plan(
            name="p",
            ratios={},
            check_start=date(2026, 3, 1),
            check_end=date(2026, 11, 30),
            created_at=now,
        )
        dept = Department(code="R", name="报表测试局")
        s.add_all([plan, dept])
        await s.flush()
        draw = Draw(
            plan_id=plan.id,
            status="final",
            seed_hex="0" * 64,
            commitment="c",
            enterprise_snapshot="e",
            inspector_snapshot="i",
            params={},
            snapshot_blob=b"",
            frozen_at=now,
        )
        s.add(draw)
        ents = [
            Enterprise(credit_code=f"9163020200000000{i}X", name=f"E{i}", risk_class="B")
            for i in range(3)
        ]
        s.add_all(ents)
        await s.flush()
        assigns = [
            Assignment(
                draw_id=draw.id, plan_id=plan.id, enterprise_id=e.id, position=i, rank_hex="0"
            )
            for i, e in enumerate(ents)
        ]
        s.add_all(assigns)
        await s.flush()
        results = [
            # Checked in March, published on time.
            InspectionResult(
                assignment_id=assigns[0].id,
                department_id=dept.id,
                status="published",
                checked_on=date(2026, 3, 10),
                publish_due=date(2026, 4, 8),
                published_at=_at(date(2026, 11, 17)),
            ),
            # Checked in the summary week, approved.
            InspectionResult(
                assignment_id=assigns[1].id,
                department_id=dept.id,
                status="approved",
                checked_on=date(2026, 11, 18),
            ),
            # A draft: never counted.
            InspectionResult(
                assignment_id=assigns[2].id,
                department_id=dept.id,
                status="draft",
                checked_on=date(2026, 11, 18),
            ),
        ]
        s.add_all(results)
        await s.flush()
        found = [(0, date(2026, 3, 10))] * 3 + [(1, date(2026, 11, 18))] * 2
        found += [(2, date(2026, 11, 18))]  # on the draft: not counted
        problems = [Problem(result_id=results[r].id, description="x", found_on=d) for r, d in found]
        s.add_all(problems)
        notices = [
            ("N1", date(2026, 3, 10), date(2026, 3, 31), "corrected"),
            ("N2", date(2026, 3, 10), date(2026, 3, 31), "corrected"),
            ("N3", date(2026, 3, 10), date(2026, 3, 31), "corrected"),
            ("N4", date(2026, 11, 18), date(2026, 11, 20), "open"),  # overdue by the 25th
        ]
        s.add_all(
            RectificationNotice(
                result_id=results[0].id, number=n, issued_on=i, deadline=d, status=st
            )
            for n, i, d, st in notices
        )
        s.add(
            Case(
                result_id=results[0].id,
                number="C1",
                filed_on=date(2026, 3, 20),
                decision_due=date(2026, 6, 18),
                status="closed",
            )
        )
        meetings = [
            ("held", date(2026, 2, 10)),
            ("held", date(2026, 11, 19)),
            ("cancelled", date(2026, 6, 1)),
            ("not_held", date(2026, 7, 1)),
            ("held", date(2025, 12, 30)),  # last year
        ]
        s.add_all(
            Meeting(kind="plenary", title="联席会议", starts_at=_at(d), status=st, created_at=now)
            for st, d in meetings
        )
