"""Joint meetings and their reminders, in moved time: nothing sleeps, the clock is moved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import build_app
from handlers.core.db import unit_of_work
from handlers.core.model import Reply
from models import Meeting, MeetingParticipant, OutboxMessage
from scheduler.delivery import deliver_due
from services.common.errors import InvalidInput
from services.meetings import past, schedule
from tests.helpers import console_account, load_demo, row_counts, say, texts

START = datetime(2026, 12, 3, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


class Inbox:
    """A console transport at the seam that keeps what each chat received."""

    platform = "console"

    def __init__(self) -> None:
        self.got: list[tuple[str, str]] = []

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        self.got += [(chat_id, r.text) for r in replies]

    def texts_for(self, chat: str) -> list[str]:
        return [text for c, text in self.got if c == chat]


async def _meeting(app, departments=("WSJK",)) -> int:  # type: ignore[no-untyped-def]
    await load_demo(app)
    for login in ("coord", "insp20", "insp21"):  # insp20.. are 卫生健康局 officers in the demo
        await console_account(app, login)
    async with unit_of_work(app.sessions) as session:
        meeting = await schedule.create(
            session,
            None,
            kind="topical",
            title="餐饮安全专题会",
            starts_at=START,
            place="三楼会议室",
            agenda="审议抽查计划",
            departments=list(departments),
            logins=["coord"],
            now=app.clock.now(),
        )
        return meeting.id


async def _deliver(app, inbox: Inbox) -> int:  # type: ignore[no-untyped-def]
    return await deliver_due(app.sessions, {"console": inbox}, app.clock, "w")


async def test_invitation_then_each_reminder_once_at_its_time(app) -> None:
    await _meeting(app)
    inbox = Inbox()
    await _deliver(app, inbox)
    assert any("联席会议通知" in t for t in inbox.texts_for("coord"))
    app.clock.set(START - timedelta(days=1, minutes=1))
    await _deliver(app, inbox)
    assert not any("会议提醒" in t for t in inbox.texts_for("coord"))
    app.clock.set(START - timedelta(days=1))
    await _deliver(app, inbox)
    await _deliver(app, inbox)
    assert sum("会议提醒" in t for t in inbox.texts_for("coord")) == 1
    app.clock.set(START - timedelta(hours=1))
    await _deliver(app, inbox)
    assert sum("会议提醒" in t for t in inbox.texts_for("coord")) == 2


async def test_a_restart_between_scheduling_and_firing_still_fires(
    db_url, settings_for, clock
) -> None:
    first = await build_app(settings_for(db_url), clock=clock)
    await _meeting(first)
    await first.aclose()
    second = await build_app(settings_for(db_url), clock=clock)
    try:
        inbox = Inbox()
        clock.set(START - timedelta(hours=1))
        await _deliver(second, inbox)
        assert sum("会议提醒" in t for t in inbox.texts_for("coord")) == 1
    finally:
        await second.aclose()


async def test_due_during_downtime_sent_within_grace_else_missed(app) -> None:
    await _meeting(app)
    inbox = Inbox()
    app.clock.set(START - timedelta(days=1) + timedelta(minutes=30))  # back within the hour
    await _deliver(app, inbox)
    assert sum("会议提醒" in t for t in inbox.texts_for("coord")) == 1
    app.clock.set(START - timedelta(minutes=30) + timedelta(hours=2))  # 2 hours late
    await _deliver(app, inbox)
    assert sum("会议提醒" in t for t in inbox.texts_for("coord")) == 1
    async with unit_of_work(app.sessions, write=False) as session:
        missed = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.status == "missed"))
        ).all()
    assert missed and all(m.kind == "remind.meeting" for m in missed)
    await _deliver(app, inbox)
    assert any("提醒未送达" in t for t in inbox.texts_for("coord"))


async def test_rescheduling_moves_the_reminders(app) -> None:
    meeting_id = await _meeting(app)
    later = START + timedelta(days=2)
    async with unit_of_work(app.sessions) as session:
        await schedule.reschedule(session, None, meeting_id, later, app.clock.now())
    inbox = Inbox()
    await _deliver(app, inbox)
    assert any("会议改期" in t for t in inbox.texts_for("insp20"))
    app.clock.set(START - timedelta(hours=1))  # the old reminder's time: nothing
    await _deliver(app, inbox)
    assert not any("会议提醒" in t for t in inbox.texts_for("insp20"))
    app.clock.set(later - timedelta(hours=1))
    await _deliver(app, inbox)
    assert sum("会议提醒" in t for t in inbox.texts_for("insp20")) == 1


async def test_cancelling_withdraws_the_reminders_and_tells_everyone(app) -> None:
    meeting_id = await _meeting(app)
    async with unit_of_work(app.sessions) as session:
        await schedule.cancel(session, None, meeting_id, "议题推迟", app.clock.now())
    inbox = Inbox()
    app.clock.set(START)
    await _deliver(app, inbox)
    assert any("会议取消" in t for t in inbox.texts_for("insp21"))
    assert not any("会议提醒" in t for t in inbox.texts_for("insp21"))


async def test_meeting_scheduled_and_answered_in_chat(app) -> None:
    await load_demo(app)
    await console_account(app, "coord")
    await console_account(app, "insp20")
    await say(app, "coord", "/meeting")
    await say(app, "coord", button="f:meeting:plenary")
    await say(app, "coord", "2026年度全体会议")
    assert "时间格式有误" in texts(await say(app, "coord", "明天上午"))
    await say(app, "coord", "2026-12-05 09:30")
    await say(app, "coord", "区政府三楼")
    listing = await say(app, "coord", "审议事项清单和年度计划")
    assert "卫生健康局" in texts(listing)
    summary = await say(app, "coord", button="f:meeting:all")
    assert "2026-12-05 09:30" in texts(summary)
    created = await say(app, "coord", button="f:meeting:create")
    assert "会议已安排" in texts(created)
    async with unit_of_work(app.sessions, write=False) as session:
        meeting = await session.scalar(select(Meeting))
    assert meeting is not None and meeting.kind == "plenary"
    assert meeting.starts_at == datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    await say(app, "insp20", button=f"mtg:rsvp:{meeting.id}:leave")
    assert "请假须写明理由" in texts(await say(app, "insp20", " "))
    assert "已登记请假" in texts(await say(app, "insp20", "外出执法"))
    async with unit_of_work(app.sessions, write=False) as session:
        row = await session.scalar(
            select(MeetingParticipant).where(MeetingParticipant.leave_reason.is_not(None))
        )
    assert row is not None and row.rsvp == "leave" and row.leave_reason == "外出执法"
    assert "无权" in texts(await say(app, "insp20", button=f"mtg:cancel:{meeting.id}"))


async def test_outcome_is_recorded_after_the_meeting(app) -> None:
    meeting_id = await _meeting(app)
    app.clock.set(START + timedelta(hours=2))
    await say(app, "coord", button=f"mtg:held:{meeting_id}")
    absent = await say(app, "coord", button="f:mtgheld:yes")
    assert "缺席人员" in texts(absent)
    await say(app, "coord", "1")
    await say(app, "coord", "会议审议通过了抽查计划")
    assert "已记录" in texts(await say(app, "coord", "通过2026年12月联合抽查计划"))
    async with unit_of_work(app.sessions, write=False) as session:
        meeting = await session.get(Meeting, meeting_id)
        attended = (
            await session.scalars(
                select(MeetingParticipant.attended).where(MeetingParticipant.user_id.is_not(None))
            )
        ).all()
    assert meeting is not None and meeting.status == "held"
    assert sorted(attended) == [False, True, True, True, True]  # 4 officers + coord


async def test_a_past_meeting_is_entered_as_held_and_nobody_is_told(app) -> None:
    await load_demo(app)
    await console_account(app, "coord")
    await say(app, "coord", "/meeting")
    await say(app, "coord", button="f:meeting:plenary")
    await say(app, "coord", "2026年第一次全体会议")
    offered = await say(app, "coord", "2026-03-02 09:30")
    assert "已召开" in texts(offered)
    await say(app, "coord", button="f:meeting:held")
    await say(app, "coord", "区政府三楼")
    await say(app, "coord", "审议年度计划")
    absent = await say(app, "coord", "1")  # 市场监督管理局 alone
    assert "缺席人员" in texts(absent)
    await say(app, "coord", "1")
    await say(app, "coord", "审议通过年度抽查计划")
    summary = await say(app, "coord", "通过2026年度抽查计划")
    assert "2026-03-02 09:30（已召开）" in texts(summary)
    assert "已补录会议" in texts(await say(app, "coord", button="f:meeting:create"))
    async with unit_of_work(app.sessions, write=False) as session:
        meeting = await session.scalar(select(Meeting))
        attended = (await session.scalars(select(MeetingParticipant.attended))).all()
        sent = (
            await session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.dedupe_key.like("meeting:%"))
            )
        ).all()
    assert meeting is not None and meeting.status == "held"
    assert meeting.starts_at == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    assert meeting.minutes == "审议通过年度抽查计划"
    assert attended.count(False) == 1 and True in attended
    assert sent == []


async def test_a_future_time_cannot_be_entered_as_held(app) -> None:
    await load_demo(app)
    before = await row_counts(app)
    with pytest.raises(InvalidInput):
        async with unit_of_work(app.sessions) as session:
            await past.record_past(
                session,
                None,
                kind="plenary",
                title="x",
                starts_at=app.clock.now() + timedelta(hours=1),
                place="p",
                agenda="a",
                departments=["WSJK"],
                absent_user_ids=[],
                minutes="纪要",
                decisions="",
                now=app.clock.now(),
            )
    assert await row_counts(app) == before


async def test_a_held_meeting_needs_its_minutes(app) -> None:
    await load_demo(app)
    before = await row_counts(app)
    with pytest.raises(InvalidInput, match="minutes_required"):
        async with unit_of_work(app.sessions) as session:
            await past.record_past(
                session,
                None,
                kind="plenary",
                title="x",
                starts_at=app.clock.now() - timedelta(days=30),
                place="p",
                agenda="a",
                departments=["WSJK"],
                absent_user_ids=[],
                minutes=" ",
                decisions="",
                now=app.clock.now(),
            )
    assert await row_counts(app) == before


async def test_an_outcome_before_the_meeting_is_refused_before_any_typing(app) -> None:
    meeting_id = await _meeting(app)
    before = await row_counts(app)
    reply = texts(await say(app, "coord", button=f"mtg:held:{meeting_id}"))
    assert "尚未开始" in reply
    # No question was asked: the next line is not taken as an answer about the meeting.
    assert "缺席人员" not in texts(await say(app, "coord", button="f:mtgheld:yes"))
    assert await row_counts(app) == before
