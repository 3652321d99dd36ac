"""The console in-process: buttons across a reply, other users' messages, logs, files."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from bot.console import LOG_FILE, ConsoleTransport, run_console
from handlers.core.db import unit_of_work
from handlers.core.model import Attachment, Reply
from models import Meeting, User
from services.meetings import schedule
from tests.helpers import console_account, load_demo

START = datetime(2026, 12, 3, 1, 30, tzinfo=UTC)


class Typed(io.StringIO):
    """Lines typed at a terminal; a scheduler job logs while the user types the first."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.logged = False

    def isatty(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self.logged:
            self.logged = True
            logging.getLogger("apscheduler.scheduler").warning("job sweep ran late")
        return super().readline()


async def _meetings(app: App, count: int) -> list[int]:
    await load_demo(app)
    ids = []
    async with unit_of_work(app.sessions) as session:
        for n in range(count):
            meeting = await schedule.create(
                session,
                None,
                kind="topical",
                title=f"专题会{n + 1}",
                starts_at=START + timedelta(days=n),
                place="三楼会议室",
                agenda="审议抽查计划",
                departments=["WSJK"],
                logins=["coord"],
                now=app.clock.now(),
            )
            ids.append(meeting.id)
    return ids


async def test_a_button_of_the_first_of_three_cards_acts_on_the_first_meeting(app: App) -> None:
    first, *others = await _meetings(app, 3)
    out = io.StringIO()
    # [2] is the first card's 取消会议; the third card's buttons are [7] to [9].
    await run_console(app, "coord", io.StringIO("/meetings\n2\n议程调整\n"), out)
    assert "[7] 改期" in out.getvalue()
    async with unit_of_work(app.sessions, write=False) as session:
        status = dict((await session.execute(select(Meeting.id, Meeting.status))).all())
    assert status[first] == "cancelled"
    assert all(status[m] == "scheduled" for m in others)


async def test_a_message_for_another_user_names_its_recipient(app: App) -> None:
    await load_demo(app)
    await console_account(app, "insp21")
    async with unit_of_work(app.sessions, write=False) as session:
        name = await session.scalar(select(User.display_name).where(User.login == "insp21"))
    out = io.StringIO()
    transport = ConsoleTransport(out, app.settings.data_dir / "console")
    await run_console(app, "coord", io.StringIO(""), io.StringIO(), transport)
    await transport.send("insp21", [Reply("会议提醒")])
    assert out.getvalue().splitlines() == [f"→ {name} (insp21)", "会议提醒"]


async def test_logs_go_to_a_file_not_over_the_interactive_prompt(app: App) -> None:
    await load_demo(app)
    out = io.StringIO()
    root = logging.getLogger()
    terminal = logging.StreamHandler(out)  # as basicConfig points it at the terminal
    root.addHandler(terminal)
    try:
        await run_console(app, "coord", Typed("/whoami\n"), out)
    finally:
        root.removeHandler(terminal)
    assert "登录名：coord" in out.getvalue() and "job sweep" not in out.getvalue()
    assert "job sweep ran late" in (app.settings.data_dir / LOG_FILE).read_text("utf-8")


def test_a_saved_file_does_not_overwrite_one_of_an_earlier_session(tmp_path: Path) -> None:
    folder = tmp_path / "console"
    for content in (b"first", b"second"):
        session = ConsoleTransport(io.StringIO(), folder)  # a new console each time
        reply = Reply("导出", document=Attachment("plan.csv", "text/csv", content))
        session.current = "coord"
        asyncio.run(session.send("coord", [reply]))
    saved = sorted(p.read_bytes() for p in folder.iterdir())
    assert saved == [b"first", b"second"]


async def test_an_inspector_as_whom_the_console_runs_sees_what_waits(app: App) -> None:
    from services.common.clock import local_today
    from tests import records_fixture as rf

    today = local_today(app.clock)
    await rf.build(app, today)
    mine, other = await rf.teams(app, await rf.drawn_plan(app, today))
    out = io.StringIO()
    await run_console(app, mine.logins[0], io.StringIO(""), out)
    shown = out.getvalue()
    assert "您有新的联合检查任务" in shown and mine.enterprise in shown
    # Only their own: the other team's notice stays for its members.
    assert other.enterprise not in shown
