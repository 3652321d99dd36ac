"""Follow-up: re-inspection of orders to correct, overdue notices, cases closed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import AuditEntry, Case, OutboxMessage, RectificationNotice
from services.common.clock import local_today
from services.common.errors import Conflict, InvalidInput
from services.records import cases, followup, notices
from tests import records_fixture as rf
from tests.helpers import say, texts


async def _with_notice(app: App, team: rf.Team, *, days: int = 10) -> tuple[int, date]:
    """A submitted record of `team` with one order to correct; (notice id, deadline)."""
    rid = await rf.submitted(app, team, categories=("pending_follow_up",), problem="过期食品")
    today = local_today(app.clock)
    deadline = today + timedelta(days=days)
    async with unit_of_work(app.sessions) as session:
        notice = await notices.add_notice(
            session,
            None,  # the office may still add it after submission
            rid,
            number=None,
            issued_on=today,
            deadline=deadline,
            today=today,
            now=app.clock.now(),
        )
    return notice.id, deadline


async def _notice(app: App, notice_id: int) -> RectificationNotice:
    async with unit_of_work(app.sessions, write=False) as session:
        notice = await session.get(RectificationNotice, notice_id)
    assert notice is not None
    return notice


async def test_re_inspection_finds_it_corrected(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, _ = await _with_notice(app, mine)
    login = mine.logins[0]
    listing = await say(app, login, "/followup")
    assert "整改通知" in texts(listing)
    await rf.press(app, login, f"fup:n:{notice_id}")
    await rf.press(app, login, "f:followup:corrected")
    done = await rf.press(app, login, "f:followup:today")
    assert "整改完毕" in texts(done)
    notice = await _notice(app, notice_id)
    assert notice.status == "corrected" and notice.corrected_on == local_today(app.clock)
    assert "没有待复查" in texts(await say(app, login, "/followup"))


async def test_not_corrected_is_extended_with_a_reason(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, deadline = await _with_notice(app, mine)
    login = mine.logins[0]
    await rf.press(app, login, f"fup:n:{notice_id}")
    await rf.press(app, login, "f:followup:extend")
    assert "无法识别" in texts(await say(app, login, "两周后"))
    new = deadline + timedelta(days=14)
    await say(app, login, str(new))
    done = await say(app, login, "设备采购周期较长")
    assert f"延期至 {new}" in texts(done)
    notice = await _notice(app, notice_id)
    assert notice.status == "extended" and notice.deadline == new
    assert notice.extension_reason == "设备采购周期较长"


async def test_not_corrected_leads_to_a_filed_case(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, _ = await _with_notice(app, mine)
    login = mine.logins[0]
    await rf.press(app, login, f"fup:n:{notice_id}")
    await rf.press(app, login, "f:followup:case")
    await say(app, login, "乐市监立〔2026〕31号")
    done = await rf.press(app, login, "f:followup:today")
    today = local_today(app.clock)
    assert "已立案 乐市监立〔2026〕31号" in texts(done)
    assert str(today + timedelta(days=90)) in texts(done)
    assert (await _notice(app, notice_id)).status == "case_filed"


async def test_a_case_is_closed_with_its_decision(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine, categories=("pending_follow_up",), problem="无证经营")
    today = local_today(app.clock)
    async with unit_of_work(app.sessions) as session:
        case = await cases.add_case(
            session,
            None,
            rid,
            number="乐市监立〔2026〕40号",
            filed_on=today,
            today=today,
            now=app.clock.now(),
        )
    login = mine.logins[1]
    await rf.press(app, login, f"fup:c:{case.id}")
    await say(app, login, "罚款人民币五千元")
    done = await rf.press(app, login, "f:followup:today")
    assert "已结案" in texts(done)
    async with unit_of_work(app.sessions, write=False) as session:
        closed = await session.get(Case, case.id)
    assert closed is not None and closed.status == "closed"
    assert closed.decision == "罚款人民币五千元" and closed.closed_on == today
    again = await rf.press(app, login, f"fup:c:{case.id}")
    assert "已经结案" in texts(again)


async def test_overdue_notices_are_flagged_once_to_the_team(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, deadline = await _with_notice(app, mine, days=3)
    async with unit_of_work(app.sessions, write=False) as session:
        assert await followup.overdue_notices(session, deadline) == []
        overdue = await followup.overdue_notices(session, deadline + timedelta(days=1))
    assert [o.notice_id for o in overdue] == [notice_id]
    later = app.clock.now() + timedelta(days=5)
    for _ in range(2):  # the scheduler may run twice; the team is told once
        async with unit_of_work(app.sessions) as session:
            assert await followup.flag_overdue(session, deadline + timedelta(days=1), later) == 1
    async with unit_of_work(app.sessions, write=False) as session:
        told = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "notice.overdue")
        )
    assert told == len(mine.logins)
    app.clock.advance(timedelta(days=5))
    listing = texts(await say(app, mine.logins[0], "/followup"))
    assert "已逾期" in listing


async def test_another_team_cannot_follow_up_and_the_attempt_is_audited(app: App) -> None:
    _, mine, other = await rf.ready(app)
    notice_id, _ = await _with_notice(app, mine)
    outsider = other.logins[0]
    assert "没有待复查" in texts(await say(app, outsider, "/followup"))
    refused = await rf.press(app, outsider, f"fup:n:{notice_id}")
    assert "不属于您所在的检查组" in texts(refused)
    async with unit_of_work(app.sessions, write=False) as session:
        denied = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "authz.denied"))
        ).all()
    assert len(denied) == 1 and denied[0].after == {"action": "notice.open"}
    assert (await _notice(app, notice_id)).status == "open"


async def test_follow_up_rules_in_the_service(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, deadline = await _with_notice(app, mine)
    today = local_today(app.clock)
    now = app.clock.now()
    async with unit_of_work(app.sessions) as session:
        with pytest.raises(InvalidInput):  # an extension must move the deadline later
            await notices.notice_extended(session, None, notice_id, deadline, "原因", today, now)
        with pytest.raises(InvalidInput):  # corrected in the future
            await notices.notice_corrected(
                session, None, notice_id, today + timedelta(days=1), today, now
            )
        await notices.notice_corrected(session, None, notice_id, today, today, now)
    async with unit_of_work(app.sessions) as session:
        with pytest.raises(Conflict):  # settled notices stay settled
            await notices.notice_corrected(session, None, notice_id, today, today, now)


async def test_an_extension_earlier_than_the_deadline_is_refused_when_the_date_is_typed(
    app: App,
) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, deadline = await _with_notice(app, mine)
    login = mine.logins[0]
    await rf.press(app, login, f"fup:n:{notice_id}")
    await rf.press(app, login, "f:followup:extend")
    refused = texts(await say(app, login, str(deadline - timedelta(days=1))))
    # Refused at once, naming the current deadline: no reason is asked for.
    assert f"须晚于原期限 {deadline}" in refused and "延期理由" not in refused
