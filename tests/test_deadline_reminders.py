"""Deadline reminders besides the overdue order: each reaches the right people on its day, once.

The clock starts on Wednesday 2026-11-25 09:00 Shanghai and the sweep looks 14 days ahead.
The days used below (official calendar, December 2026 has no holiday):
- a check window ending Fri 12-18: its team on Tue 12-15 (3 working days before);
- an order to correct due Fri 12-18: its team on Thu 12-17 (1 working day before);
- a check ended Mon 11-30, to be published by Mon 12-28: coordinators on Mon 12-21 (5 before);
- a case filed 09-18, to be decided by Thu 12-17: coordinators on Thu 12-10 (5 before).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import OutboxMessage
from scheduler.delivery import deliver_due
from scheduler.sweeps import sweep
from services.common.clock import SHANGHAI, ManualClock, local_today
from services.records import cases, notices, publication, results, review
from tests import records_fixture as rf
from tests.helpers import console_account
from tests.test_meetings import Inbox

CHECK_END = date(2026, 12, 18)
# The work done before the sweep first sees the reminder, or after it has queued it (the
# next sweep withdraws it).
QUEUED_FIRST = pytest.mark.parametrize(
    "queued_first", [False, True], ids=["done", "queued-then-done"]
)


def nine(day: date) -> datetime:
    """09:00 in Shanghai on a day, when reminders are sent."""
    return datetime.combine(day, time(9), SHANGHAI)


async def district(app: App, check_end: date = CHECK_END) -> tuple[rf.Team, rf.Team]:
    """Two teams drawn for a plan ending on `check_end`, everyone on the console."""
    today = local_today(app.clock)
    await rf.build(app, today)
    mine, other = await rf.teams(app, await rf.drawn_plan(app, today, check_end=check_end))
    for login in [*mine.logins, *other.logins, "coord"]:
        await console_account(app, login)
    return mine, other


async def draft(app: App, team: rf.Team) -> int:
    """The team starts its record; the result id."""
    member = await rf.actor(app, team.logins[0])
    async with unit_of_work(app.sessions) as session:
        opened = await results.open_record(
            session, member, team.assignment_id, local_today(app.clock), app.clock.now()
        )
    return opened.result.id


async def with_notice(app: App, team: rf.Team) -> int:
    """An order to correct due on CHECK_END in the team's record; its id."""
    rid, today = await draft(app, team), local_today(app.clock)
    async with unit_of_work(app.sessions) as session:
        notice = await notices.add_notice(
            session,
            None,
            rid,
            number=None,
            issued_on=today,
            deadline=CHECK_END,
            today=today,
            now=app.clock.now(),
        )
    return notice.id


async def with_case(app: App, team: rf.Team) -> int:
    """A case filed on 2026-09-18 in the team's record (decision due 12-17); its id."""
    rid, today = await draft(app, team), local_today(app.clock)
    async with unit_of_work(app.sessions) as session:
        case = await cases.add_case(
            session,
            None,
            rid,
            number="乐市监立〔2026〕7号",
            filed_on=date(2026, 9, 18),
            today=today,
            now=app.clock.now(),
        )
    return case.id


async def approved(app: App, team: rf.Team) -> int:
    """The team's record submitted and approved, not published; the result id."""
    rid = await rf.submitted(app, team)
    async with unit_of_work(app.sessions) as session:
        await review.approve(session, None, rid, app.clock.now())
    return rid


async def sweep_at(app: App, clock: ManualClock, when: datetime) -> None:
    """Move the clock and run the sweep."""
    clock.set(when)
    await sweep(app.sessions, clock)


async def queued(app: App, kind: str) -> int:
    """How many outbox rows of a kind exist."""
    async with unit_of_work(app.sessions, write=False) as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == kind)
        )
    return count or 0


async def received(app: App, clock: ManualClock, when: datetime, marker: str) -> list[str]:
    """Move the clock and deliver what is due; the logins sent a text containing `marker`."""
    clock.set(when)
    inbox = Inbox()
    await deliver_due(app.sessions, {"console": inbox}, clock, "w")
    return sorted(chat for chat, text in inbox.got if marker in text)


async def sent_once_when_due(
    app: App, clock: ManualClock, kind: str, marker: str, due: datetime, people: list[str]
) -> None:
    """Not queued 15 days ahead; queued by two sweeps 14 days ahead; sent at `due`, once."""
    await sweep_at(app, clock, due - timedelta(days=15))
    assert await queued(app, kind) == 0
    await sweep_at(app, clock, due - timedelta(days=14))
    await sweep_at(app, clock, due - timedelta(days=14) + timedelta(minutes=1))
    assert await received(app, clock, due - timedelta(minutes=1), marker) == []
    assert await received(app, clock, due, marker) == sorted(people)
    await sweep_at(app, clock, due + timedelta(minutes=5))  # the same day's sweep again
    assert await received(app, clock, due + timedelta(minutes=6), marker) == []


async def test_window_reminder_reaches_the_team_three_working_days_before_the_end(
    app: App, clock: ManualClock
) -> None:
    mine, _ = await district(app)
    due, marker = nine(date(2026, 12, 15)), f"【到期提醒】{mine.enterprise}"
    await sent_once_when_due(app, clock, "remind.window", marker, due, mine.logins)


async def test_notice_reminder_reaches_the_team_one_working_day_before_the_deadline(
    app: App, clock: ManualClock
) -> None:
    mine, _ = await district(app)
    await with_notice(app, mine)
    due, marker = nine(date(2026, 12, 17)), "通知书 乐市监责改〔2026〕1号 将于 2026-12-18 到期"
    await sent_once_when_due(app, clock, "remind.notice", marker, due, mine.logins)


async def test_publish_reminder_reaches_coordinators_five_working_days_before_the_limit(
    app: App, clock: ManualClock
) -> None:
    mine, _ = await district(app, check_end=date(2026, 11, 30))
    await approved(app, mine)
    due, marker = (
        nine(date(2026, 12, 21)),
        f"【公示提醒】{mine.enterprise} 的抽查结果须于 2026-12-28",
    )
    await sent_once_when_due(app, clock, "remind.publish", marker, due, ["coord"])


async def test_case_reminder_reaches_coordinators_five_working_days_before_the_decision(
    app: App, clock: ManualClock
) -> None:
    mine, _ = await district(app)
    await with_case(app, mine)
    due, marker = nine(date(2026, 12, 10)), "【案件提醒】案件 乐市监立〔2026〕7号 应于 2026-12-17"
    await sent_once_when_due(app, clock, "remind.case", marker, due, ["coord"])


@QUEUED_FIRST
async def test_no_window_reminder_once_the_record_is_submitted(
    app: App, clock: ManualClock, queued_first: bool
) -> None:
    mine, _ = await district(app)
    due = nine(date(2026, 12, 15))
    if queued_first:
        await sweep_at(app, clock, due - timedelta(days=14))
        assert await queued(app, "remind.window") == 4  # both teams
    await rf.submitted(app, mine)
    await sweep_at(app, clock, due - timedelta(days=13))
    assert await received(app, clock, due, f"【到期提醒】{mine.enterprise}") == []


@QUEUED_FIRST
async def test_no_notice_reminder_once_the_order_is_corrected(
    app: App, clock: ManualClock, queued_first: bool
) -> None:
    mine, _ = await district(app)
    notice_id, due = await with_notice(app, mine), nine(date(2026, 12, 17))
    if queued_first:
        await sweep_at(app, clock, due - timedelta(days=14))
        assert await queued(app, "remind.notice") == 2
    today = local_today(clock)
    async with unit_of_work(app.sessions) as session:
        await notices.notice_corrected(session, None, notice_id, today, today, clock.now())
    await sweep_at(app, clock, due - timedelta(days=13))
    assert await received(app, clock, due, "【整改到期】") == []


@QUEUED_FIRST
async def test_no_publish_reminder_once_the_result_is_published(
    app: App, clock: ManualClock, queued_first: bool
) -> None:
    mine, _ = await district(app, check_end=date(2026, 11, 30))
    rid, due = await approved(app, mine), nine(date(2026, 12, 21))
    if queued_first:
        await sweep_at(app, clock, due - timedelta(days=14))
        assert await queued(app, "remind.publish") == 1
    async with unit_of_work(app.sessions) as session:
        await publication.publish(session, None, rid, clock.now())
    await sweep_at(app, clock, due - timedelta(days=13))
    assert await received(app, clock, due, "【公示提醒】") == []


@QUEUED_FIRST
async def test_no_case_reminder_once_the_case_is_decided(
    app: App, clock: ManualClock, queued_first: bool
) -> None:
    mine, _ = await district(app)
    case_id, due = await with_case(app, mine), nine(date(2026, 12, 10))
    if queued_first:
        await sweep_at(app, clock, due - timedelta(days=14))
        assert await queued(app, "remind.case") == 1
    today = local_today(clock)
    async with unit_of_work(app.sessions) as session:
        await cases.close_case(session, None, case_id, "罚款五千元", today, today, clock.now())
    await sweep_at(app, clock, due - timedelta(days=13))
    assert await received(app, clock, due, "【案件提醒】") == []


async def test_an_extended_order_is_reminded_at_its_new_deadline_only(
    app: App, clock: ManualClock
) -> None:
    mine, _ = await district(app)
    notice_id, old_due = await with_notice(app, mine), nine(date(2026, 12, 17))
    await sweep_at(app, clock, old_due - timedelta(days=14))
    assert await queued(app, "remind.notice") == 2
    today = local_today(clock)
    async with unit_of_work(app.sessions) as session:
        await notices.notice_extended(
            session, None, notice_id, date(2026, 12, 25), "设备待更换", today, clock.now()
        )
    await sweep_at(app, clock, old_due - timedelta(days=13))
    assert await received(app, clock, old_due, "【整改到期】") == []
    # Thu 12-24 is one working day before the new deadline, Fri 12-25.
    new_due = nine(date(2026, 12, 24))
    await sweep_at(app, clock, new_due - timedelta(days=1))
    assert await received(app, clock, new_due, "2026-12-25") == sorted(mine.logins)
