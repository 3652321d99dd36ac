"""The holiday notice of a year the package does not know: loaded, shown, and deadlines moved."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import InspectionResult, OutboxMessage, RectificationNotice
from services.common import calendar_store
from services.common.clock import local_today
from services.common.errors import InvalidInput
from services.records import calendar_moves, notices
from services.records.publication import publication_due
from tests import records_fixture as rf
from tests.helpers import console_account, row_counts, say, texts

# 2027 as the notice will have it (New Year on a Friday; a working Sunday before the
# Spring Festival), enough for the tests; chinese_calendar 1.x knows 2026 at most.
NOTICE_2027 = [
    "# 国务院办公厅关于2027年部分节假日安排的通知",
    "2027-01-01 休 元旦",
    "2027-02-06 休 春节",
    "2027-02-07 休",
    "2027-02-08 休",
    "2027-02-09 休",
    "2027-02-10 休",
    "2027-02-11 休",
    "2027-02-12 休",
    "2027-02-14 班 春节调休",
]


def test_a_notice_lists_days_off_and_working_days() -> None:
    days = calendar_store.parse_notice(2027, NOTICE_2027)
    assert days[date(2027, 1, 1)] == (False, "元旦")
    assert days[date(2027, 2, 14)] == (True, "春节调休")
    assert len(days) == 9


@pytest.mark.parametrize(
    ("lines", "key"),
    [
        (["2027-01-01 休", "2027-13-01 休"], "calendar.bad_line"),
        (["2027-01-01 maybe"], "calendar.bad_line"),
        (["2027-01-01 休", "2028-01-01 休"], "calendar.other_year"),
        (["2027-01-01 休", "2027-01-01 班"], "calendar.twice"),
        (["2027-02-14 班"], "calendar.no_holidays"),
        ([], "calendar.no_holidays"),
    ],
)
def test_a_wrong_notice_is_refused_by_line(lines: list[str], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        calendar_store.parse_notice(2027, lines)
    assert refused.value.key == key


async def _load(app: App, lines: list[str] = NOTICE_2027) -> list[calendar_moves.Moved]:
    now = app.clock.now()
    async with unit_of_work(app.sessions) as session:
        old = await calendar_store.calendar(session)
        await calendar_store.load_year(session, "test", 2027, lines, "notice.txt", now)
        new = await calendar_store.calendar(session)
        return await calendar_moves.recompute(session, 2027, old, new, 30, now)


async def test_a_loaded_year_is_official_not_a_fallback(app: App) -> None:
    async with unit_of_work(app.sessions, write=False) as session:
        before = await calendar_store.calendar(session)
    assert before.is_working_day(date(2027, 1, 1)) == (True, True)  # a Friday, estimated
    await _load(app)
    async with unit_of_work(app.sessions, write=False) as session:
        after = await calendar_store.calendar(session)
        info = await calendar_store.year_info(session, 2027)
    assert after.is_working_day(date(2027, 1, 1)) == (False, False)
    assert after.is_working_day(date(2027, 2, 14)) == (True, False)  # a Sunday, adjusted
    assert after.is_working_day(date(2027, 3, 1)) == (True, False)
    assert not after.add_working_days(date(2026, 12, 30), 5).fallback
    assert (info.origin, info.source) == ("loaded", "notice.txt")


async def test_a_refused_notice_changes_nothing(app: App) -> None:
    before = await row_counts(app)
    with pytest.raises(InvalidInput):
        await _load(app, ["2027-01-01 休", "2027-01-01 休"])
    assert await row_counts(app) == before


async def _notice(app: App, team: rf.Team, deadline: date | None = None) -> tuple[int, date]:
    rid = await rf.submitted(app, team, categories=("pending_follow_up",), problem="过期食品")
    today = local_today(app.clock)
    estimated = notices.default_deadline(today, 30).day
    async with unit_of_work(app.sessions) as session:
        notice = await notices.add_notice(
            session,
            None,
            rid,
            number=None,
            issued_on=today,
            deadline=deadline or estimated,
            today=today,
            now=app.clock.now(),
        )
    return notice.id, estimated


async def test_a_default_deadline_moves_and_the_team_is_told(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    notice_id, estimated = await _notice(app, mine)
    assert estimated.year == 2027 and estimated > date(2027, 1, 1)
    moved = await _load(app)
    assert [(m.kind, m.object_id, m.old) for m in moved] == [("notice", notice_id, estimated)]
    async with unit_of_work(app.sessions, write=False) as session:
        notice = await session.get(RectificationNotice, notice_id)
        told = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "calendar.moved")
            )
        ).all()
    assert notice is not None and notice.deadline == estimated + timedelta(days=1)
    assert len(told) == len(mine.logins)
    assert all(m.payload["params"]["new"] == notice.deadline.isoformat() for m in told)


async def test_a_deadline_typed_by_hand_stays(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    typed = notices.default_deadline(local_today(app.clock), 30).day + timedelta(days=3)
    notice_id, _ = await _notice(app, mine, deadline=typed)
    assert await _load(app) == []
    async with unit_of_work(app.sessions, write=False) as session:
        notice = await session.get(RectificationNotice, notice_id)
    assert notice is not None and notice.deadline == typed


async def test_a_publication_limit_in_the_new_year_moves(app: App) -> None:
    today = local_today(app.clock)
    await rf.build(app, today)
    plan_id = await rf.drawn_plan(app, today, check_end=date(2026, 12, 21))
    mine, _ = await rf.teams(app, plan_id)
    rid = await rf.submitted(app, mine)
    estimated = publication_due(date(2026, 12, 21)).day
    moved = await _load(app)
    assert [(m.kind, m.object_id) for m in moved] == [("publish", rid)]
    async with unit_of_work(app.sessions, write=False) as session:
        result = await session.get(InspectionResult, rid)
    assert result is not None and result.publish_due == estimated + timedelta(days=1)


async def test_calendar_in_chat_says_where_a_year_comes_from(app: App) -> None:
    await rf.build(app, local_today(app.clock))
    await console_account(app, "coord")
    assert "周一至周五" in texts(await say(app, "coord", "/calendar 2027"))
    assert "官方日历" in texts(await say(app, "coord", "/calendar 2025"))
    await _load(app)
    shown = texts(await say(app, "coord", "/calendar 2027"))
    assert "载入" in shown and "2027-02-14 班" in shown
    assert "用法" in texts(await say(app, "coord", "/calendar ²"))


def test_calendar_load_on_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notice = tmp_path / "2027.txt"
    notice.write_text("\n".join(NOTICE_2027), encoding="utf-8")
    loaded = cli("calendar", "load", "2027", str(notice))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert loaded.stdout.strip().splitlines()[-1] == "2027"
    shown = cli("calendar", "show", "2027")
    assert "loaded (2027.txt)" in shown.stdout and "2027-01-01 休 元旦" in shown.stdout
    notice.write_text("2027-01-01 休\n2027-01-01 休\n", encoding="utf-8")
    refused = cli("calendar", "load", "2027", str(notice))
    assert refused.returncode != 0 and "第 2 行" in refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
