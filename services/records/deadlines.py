"""Which deadline reminders should exist: check windows, orders to correct, publication,
case decisions. The sweep turns them into outbox rows; their dedupe keys make it idempotent.

A cancelled or voided check has no window or publication reminder (services/draw/notify.py
withdraws those already queued); orders to correct and cases issued in its record keep
theirs, being acts of their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Case,
    Enterprise,
    InspectionResult,
    OutboxMessage,
    Plan,
    RectificationNotice,
    User,
    UserRole,
)
from services.common.calendar_store import calendar
from services.common.clock import SHANGHAI
from services.common.workdays import OFFICIAL, Calendar
from services.messaging import outbox
from services.publicity import tracking

WINDOW_DAYS, NOTICE_DAYS, PUBLISH_DAYS, CASE_DAYS = 3, 1, 5, 5
PUBLISH_LIMIT = 20  # working days after the check ends (企业信息公示暂行条例)
REMIND_AT = time(9, 0)  # local time a reminder is sent on its day


def working_days_before(day: date, n: int, cal: Calendar = OFFICIAL) -> date:
    """The day n working days before `day` (official calendar, Monday-Friday fallback)."""
    return cal.working_days_before(day, n)


def at_nine(day: date) -> datetime:
    """09:00 Asia/Shanghai on a day, as an aware datetime."""
    return datetime.combine(day, REMIND_AT, SHANGHAI)


@dataclass(frozen=True)
class Reminder:
    """One reminder that should be sent: to whom, when, what."""

    kind: str
    dedupe_key: str
    user_id: int
    due: datetime
    key: str
    params: dict[str, str]


def _each(
    kind: str, ref: object, users: list[int], day: date, params: dict[str, str]
) -> list[Reminder]:
    """One reminder of a kind for each user, keyed `remind:<kind>:<ref>:<user>`."""
    return [
        Reminder(
            f"remind.{kind}", f"remind:{kind}:{ref}:{u}", u, at_nine(day), f"remind.{kind}", params
        )
        for u in users
    ]


async def _team(session: AsyncSession, assignment_id: int) -> list[int]:
    rows = await session.scalars(
        select(User.id)
        .join(AssignmentMember, AssignmentMember.inspector_id == User.inspector_id)
        .where(AssignmentMember.assignment_id == assignment_id, User.active)
    )
    return list(rows.all())


async def _coordinators(session: AsyncSession) -> list[int]:
    rows = await session.scalars(select(UserRole.user_id).where(UserRole.role == "coordinator"))
    return list(rows.all())


async def due_reminders(session: AsyncSession, today: date, horizon: date) -> list[Reminder]:
    """Every deadline reminder whose day falls between today and the horizon."""
    cal = await calendar(session)  # with the years loaded from the State Council's notice
    out: list[Reminder] = []
    coordinators = await _coordinators(session)

    def soon(day: date) -> bool:
        return today <= day <= horizon

    # Check windows ending, for assignments still open (not cancelled, void or handed in).
    rows = await session.execute(
        select(Assignment.id, Enterprise.name, Plan.check_end)
        .join(Plan, Plan.id == Assignment.plan_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(Assignment.status.in_(("pending", "in_progress")), Plan.check_end >= today)
    )
    for assignment_id, name, end in rows:
        day = working_days_before(end, WINDOW_DAYS, cal)
        if soon(day):
            params = {"enterprise": name, "end": end.isoformat()}
            out += _each("window", assignment_id, await _team(session, assignment_id), day, params)
    # Orders to correct: due soon to the team; overdue to the coordinators.
    notices = await session.execute(
        select(
            RectificationNotice.id,
            RectificationNotice.number,
            RectificationNotice.deadline,
            InspectionResult.assignment_id,
        )
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .where(RectificationNotice.status.in_(("open", "extended")))
    )
    for notice_id, number, deadline, assignment_id in notices:
        params = {"number": number, "deadline": deadline.isoformat()}
        day = working_days_before(deadline, NOTICE_DAYS, cal)
        if soon(day):
            team = await _team(session, assignment_id)
            out += _each("notice", f"{notice_id}:{deadline}", team, day, params)
        overdue = cal.add_working_days(deadline, 1).day
        if soon(overdue):
            out += _each("overdue", f"{notice_id}:{deadline}", coordinators, overdue, params)
    # Publication within 20 working days of the check's end.
    results = await session.execute(
        select(InspectionResult.id, InspectionResult.publish_due, Plan.check_end, Enterprise.name)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(
            InspectionResult.status != "published",
            # A cancelled or voided check's record is kept but never published.
            Assignment.status.not_in(("cancelled", "void")),
        )
    )
    for result_id, publish_due, end, name in results:
        limit = publish_due or cal.add_working_days(end, PUBLISH_LIMIT).day
        day = working_days_before(limit, PUBLISH_DAYS, cal)
        if soon(day):
            params = {"enterprise": name, "limit": limit.isoformat()}
            out += _each("publish", result_id, coordinators, day, params)
    # Case decisions due within 90 days of filing.
    cases = await session.execute(
        select(Case.id, Case.number, Case.decision_due).where(Case.status == "open")
    )
    for case_id, number, due in cases:
        day = working_days_before(due, CASE_DAYS, cal)
        if soon(day):
            params = {"number": number, "due": due.isoformat()}
            out += _each("case", case_id, coordinators, day, params)
    # Objections to decide and abnormal-operations proposals to settle (services/publicity).
    for item in await tracking.deadlines(session):
        day = working_days_before(item.deadline, item.before, cal)
        if soon(day):
            out += _each(item.kind, item.ref, item.users, day, item.params)
    return out


async def withdraw_stale(
    session: AsyncSession, still_due: set[str], today: date, horizon: date
) -> int:
    """Cancel the pending deadline reminders due from today to the horizon that no longer
    apply: the work was done, or the deadline moved. Returns how many.

    Reminders are queued up to two weeks ahead, and the work is often done meanwhile: a
    team must not be reminded of a record it has submitted. Reminders due before today
    are left to the delivery's grace rule.
    """
    start = datetime.combine(today, time(0), SHANGHAI)
    end = datetime.combine(horizon + timedelta(days=1), time(0), SHANGHAI)
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.dedupe_key).where(
            OutboxMessage.status.in_(outbox.UNSENT),
            OutboxMessage.dedupe_key.like("remind:%"),
            OutboxMessage.due_at >= start,
            OutboxMessage.due_at < end,
        )
    )
    stale = [message_id for message_id, key in rows if key not in still_due]
    for i in range(0, len(stale), 500):  # within every database's bound-parameter limit
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(stale[i : i + 500]), OutboxMessage.status.in_(outbox.UNSENT)
            )
            .values(status="cancelled")
        )
    return len(stale)
