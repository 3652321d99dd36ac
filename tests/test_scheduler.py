"""The sweep queues summaries and deadline reminders ahead; delivery sends each once."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from handlers.core.db import unit_of_work
from models import OutboxMessage, User
from scheduler.delivery import deliver_due
from scheduler.sweeps import next_summary, sweep
from services.messaging import outbox
from services.records import deadlines
from tests import reports_fixture
from tests.helpers import console_account, load_demo
from tests.test_meetings import Inbox

ROOT = Path(__file__).resolve().parent.parent


def test_next_summary_is_monday_nine_in_shanghai() -> None:
    wednesday = datetime(2026, 11, 25, 3, tzinfo=UTC)
    assert next_summary(wednesday, 0, time(9, 0)) == datetime(2026, 11, 30, 1, tzinfo=UTC)
    monday_nine = datetime(2026, 11, 30, 1, tzinfo=UTC)  # 09:00 in Shanghai
    assert next_summary(monday_nine, 0, time(9, 0)) == monday_nine
    assert next_summary(monday_nine + timedelta(seconds=1), 0, time(9, 0)) == datetime(
        2026, 12, 7, 1, tzinfo=UTC
    )


def test_working_days_before_follows_the_official_calendar() -> None:
    # National Day 2025: 1-8 October are holidays; Saturday 11 October is a working day.
    assert deadlines.working_days_before(date(2025, 10, 9), 1) == date(2025, 9, 30)
    assert deadlines.working_days_before(date(2025, 10, 13), 1) == date(2025, 10, 11)
    assert deadlines.working_days_before(date(2025, 10, 13), 2) == date(2025, 10, 10)


async def test_weekly_summary_reaches_leaders_on_monday_with_the_chart(app) -> None:
    await load_demo(app)
    await reports_fixture.build(app)
    await console_account(app, "leader")
    await sweep(app.sessions, app.clock)
    await sweep(app.sessions, app.clock)  # idempotent
    inbox = Inbox()
    assert await deliver_due(app.sessions, {"console": inbox}, app.clock, "w") == 0
    app.clock.set(datetime(2026, 11, 30, 1, tzinfo=UTC))
    images: list[bytes] = []

    class WithImages(Inbox):
        async def send(self, chat_id, replies):  # type: ignore[no-untyped-def]
            images.extend(r.image for r in replies if r.image)
            await super().send(chat_id, replies)

    box = WithImages()
    assert await deliver_due(app.sessions, {"console": box}, app.clock, "w") == 1
    assert "2026-11-23 至 2026-11-29" in box.texts_for("leader")[0]
    assert images and images[0].startswith(b"\x89PNG")


async def test_deadline_reminders_are_queued_once_and_in_time(app) -> None:
    await load_demo(app)
    await reports_fixture.build(app)
    await console_account(app, "coord")
    # reports_fixture: notice N4 due 2026-11-20, still open (overdue); the clock is 11-25.
    app.clock.set(datetime(2026, 11, 20, 1, tzinfo=UTC))
    await sweep(app.sessions, app.clock)
    await sweep(app.sessions, app.clock)
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind.like("remind.%")))
        ).all()
    overdue = [r for r in rows if r.kind == "remind.overdue"]
    assert overdue and len({r.dedupe_key for r in overdue}) == len(overdue)
    # The first working day after the deadline, at 09:00 in Shanghai.
    assert overdue[0].due_at == datetime(2026, 11, 23, 1, tzinfo=UTC)
    inbox = Inbox()
    app.clock.set(datetime(2026, 11, 23, 1, 5, tzinfo=UTC))
    await deliver_due(app.sessions, {"console": inbox}, app.clock, "w")
    assert any("N4" in t and "逾期" in t for t in inbox.texts_for("coord"))


async def test_two_processes_deliver_each_row_exactly_once(app, tmp_path: Path) -> None:
    await load_demo(app)
    logins = [f"insp{n:02d}" for n in range(1, 11)]
    for login in logins:
        await console_account(app, login)
    now = datetime.now(UTC)
    async with unit_of_work(app.sessions) as session:
        found = await session.execute(select(User.login, User.id).where(User.login.in_(logins)))
        users = {login: user_id for login, user_id in found}
        for n in range(1000):
            await outbox.enqueue(
                session,
                kind="test",
                due_at=now - timedelta(seconds=1),
                now=now,
                dedupe_key=f"x:{n}",
                recipient_user_id=users[logins[n % 10]],
                key="meeting.reminder",
                params={"title": f"row{n}", "time": "", "place": ""},
            )
    outputs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "outbox_worker.py"),
            app.settings.database_url,
            str(out),
            name,
            cwd=ROOT,
        )
        for out, name in zip(outputs, ("worker-a", "worker-b"), strict=True)
    ]
    assert [await p.wait() for p in procs] == [0, 0]
    lines = [
        line
        for out in outputs
        if out.exists()
        for line in out.read_text(encoding="utf-8").splitlines()
    ]
    rows = sorted(line.split("row")[1].split(" ")[0] for line in lines)
    assert len(rows) == 1000
    assert len(set(rows)) == 1000
    async with unit_of_work(app.sessions, write=False) as session:
        statuses = set(
            (
                await session.scalars(
                    select(OutboxMessage.status).where(OutboxMessage.kind == "test")
                )
            ).all()
        )
    assert statuses == {"sent"}


async def test_weekly_summary_also_goes_to_the_leaders_group_robot(app) -> None:
    from bot.wecom_api import GroupRobot, RobotTransport

    await load_demo(app)
    await sweep(app.sessions, app.clock, robot=True)
    posted: list[dict] = []  # type: ignore[type-arg]

    class Robot(GroupRobot):
        async def _post(self, body):  # type: ignore[no-untyped-def]
            posted.append(body)

    transport = RobotTransport(Robot(None, "KEY"))  # type: ignore[arg-type]
    app.clock.set(datetime(2026, 11, 30, 1, tzinfo=UTC))
    await deliver_due(app.sessions, {"wecom-robot": transport}, app.clock, "w")
    assert [p["msgtype"] for p in posted] == ["markdown", "image"]
    assert "2026-11-23" in posted[0]["markdown"]["content"]
