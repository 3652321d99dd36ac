"""Documents in the chat and on the command line: the team's notice after a draw, /doc,
/report YEAR, `jointcheck doc` and `report annual --format`, and who may have what."""

from __future__ import annotations

import argparse
import asyncio
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot import cli_doc
from bot.app import App
from bot.console import run_console
from handlers.core.db import unit_of_work
from models import Assignment, AssignmentMember, Inspector, User
from services.documents import notify
from services.documents.config import DocumentSetup
from tests import documents_fixture as df
from tests.helpers import console_account, say, texts

ROOT = Path(__file__).resolve().parent.parent
SETUP = DocumentSetup(site_url="https://jc.example.gov.cn")


def _draw_wired() -> bool:
    return "notice_for_draw" in (ROOT / "services" / "draw" / "run.py").read_text("utf-8")


def _files(output: str) -> list[Path]:
    return [Path(line.split("] ", 1)[1]) for line in output.splitlines() if "[文件 file]" in line]


def _pdf_text(path: Path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(path).pages)


async def test_the_team_gets_its_notice_after_the_draw_in_a_console_session(app: App) -> None:
    scenario = await df.build(app)
    if not _draw_wired():
        # The composition: services.draw.run.execute calls this once the draw is final.
        async with unit_of_work(app.sessions) as session:
            await notify.notice_for_draw(session, scenario.draw_id, app.clock.now())
    docs = df.with_documents(app, SETUP)
    login = scenario.team_logins[0]
    await console_account(docs, login)
    out = io.StringIO()
    # The notice waits for the member; "1" presses its PDF button, then the reply's own
    # button (the same document in Word) is "1".
    await run_console(docs, login, io.StringIO("1\n1\n"), out)
    text = out.getvalue()
    assert f"抽查通知书已生成：{scenario.enterprise}" in text
    files = _files(text)
    assert [f.suffix for f in files] == [".pdf", ".docx"]
    assert scenario.enterprise in _pdf_text(files[0])
    assert "联合抽查通知书" in _pdf_text(files[0])
    # Queued again (a retried draw), nothing is sent twice.
    async with unit_of_work(app.sessions) as session:
        await notify.notice_for_draw(session, scenario.draw_id, app.clock.now())
    again = io.StringIO()
    await run_console(docs, login, io.StringIO(""), again)
    assert "抽查通知书已生成" not in again.getvalue()


async def test_the_team_gets_the_record_and_the_order_with_doc(app: App) -> None:
    scenario = await df.build(app)
    await df.visit_and_sign(app, scenario, app.settings.data_dir)
    docs = df.with_documents(app, SETUP)
    login = scenario.team_logins[0]
    await console_account(docs, login)
    script = f"/doc onsite {scenario.assignment_id}\n/doc 责令改正 {scenario.notice_id} word\n"
    out = io.StringIO()
    await run_console(docs, login, io.StringIO(script), out)
    files = _files(out.getvalue())
    assert [f.suffix for f in files] == [".pdf", ".docx"]
    assert "现场检查笔录" in _pdf_text(files[0]) and df.PROBLEM in _pdf_text(files[0])
    assert "验证码" in out.getvalue() and "第 1 版" in out.getvalue()


async def test_coordinators_get_any_document_and_others_only_theirs(app: App) -> None:
    scenario = await df.build(app)
    docs = df.with_documents(app, SETUP)
    async with unit_of_work(app.sessions, write=False) as session:
        outsider = await session.scalar(
            select(User.login)
            .join(Inspector, Inspector.id == User.inspector_id)
            .where(
                Inspector.id.not_in(
                    select(AssignmentMember.inspector_id).where(
                        AssignmentMember.assignment_id == scenario.assignment_id
                    )
                )
            )
            .limit(1)
        )
    assert outsider is not None
    for login in ("coord", "leader", outsider):
        await console_account(docs, login)
    got = await say(docs, "coord", f"/doc service {scenario.notice_id}")
    assert got[0].document is not None and got[0].document.name.endswith(".pdf")
    refused = await say(docs, outsider, f"/doc notice {scenario.assignment_id}")
    assert refused[0].document is None
    assert "不是本组" in texts(refused) or "不属于" in texts(refused), texts(refused)
    assert (await say(docs, "leader", f"/doc order {scenario.notice_id}"))[0].document is None
    assert "用法" in texts(await say(docs, "coord", "/doc"))
    assert "没有“letter”" in texts(await say(docs, "coord", "/doc letter 1"))
    assert "pdf 或 word" in texts(await say(docs, "coord", f"/doc order {scenario.notice_id} xls"))


async def test_report_year_gives_the_annual_report_as_a_document(app: App) -> None:
    await df.build(app)
    docs = df.with_documents(app, SETUP)
    await console_account(docs, "leader")
    replies = await say(docs, "leader", "/report 2026")
    assert "召开联合执法检查联席会议" in texts(replies)
    files = [r.document for r in replies if r.document is not None]
    assert len(files) == 1 and files[0].name.endswith(".pdf")
    assert files[0].data.startswith(b"%PDF-")
    pressed = await say(docs, "leader", button="doc:annual:2026:docx")
    assert pressed[0].document is not None and pressed[0].document.name.endswith(".docx")


async def test_the_command_line_writes_a_document_and_prints_its_path_last(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = await df.build(app)
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli_doc.add_parsers(sub)
    args = parser.parse_args(["doc", "order", str(scenario.notice_id), "--format", "docx"])
    assert await cli_doc.run_doc(app, args) == 0
    stored = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert app.settings.data_dir in stored.parents
    assert (await asyncio.to_thread(stored.read_bytes)).startswith(b"PK")
    target = tmp_path / "out" / "order.pdf"
    args = parser.parse_args(["doc", "order", str(scenario.notice_id), str(target)])
    assert await cli_doc.run_doc(app, args) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(target)
    assert target.read_bytes().startswith(b"%PDF-")
    report = argparse.ArgumentParser()
    cli_doc.add_report_options(report)
    report.add_argument("--year", type=int)
    target = tmp_path / "annual.docx"
    args = report.parse_args(["--year", "2026", "--format", "docx", str(target)])
    assert await cli_doc.run_annual_report(app, args) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(target)
    assert target.read_bytes().startswith(b"PK")


async def test_cancelling_a_check_withdraws_its_unsent_notice(app: App) -> None:
    from services.draw.notify import withdraw

    scenario = await df.build(app)
    async with unit_of_work(app.sessions) as session:
        queued = await notify.notice_for_assignment(
            session, scenario.assignment_id, app.clock.now()
        )
        assert queued == len(scenario.team_logins)
        assert await withdraw(session, scenario.assignment_id) >= queued
        assert await session.get(Assignment, scenario.assignment_id) is not None


async def test_after_submission_the_record_and_the_order_are_offered_and_sent(app: App) -> None:
    from datetime import timedelta

    from handlers.core.model import Incoming
    from handlers.core.router import Ctx
    from handlers.documents.commands import offer_documents
    from services.accounts.actors import actor_for_login

    scenario = await df.build(app)
    docs = df.with_documents(app, SETUP)
    login = scenario.team_logins[0]
    await console_account(docs, login)
    async with unit_of_work(app.sessions) as session:
        ctx = Ctx(
            session,
            Incoming("console", login, login),
            await actor_for_login(session, login),
            None,
            "zh",
            app.clock.now(),
            timedelta(hours=1),
            docs.router,
            app.settings.data_dir,
            app.settings.policy(),
        )
        # What handlers/records/flow.py adds to its reply when a record is submitted.
        offer = await offer_documents(ctx, scenario.assignment_id)
    data = [b.data for row in offer[0].buttons for b in row]
    assert data == [
        f"doc:onsite:{scenario.assignment_id}:pdf",
        f"doc:onsite:{scenario.assignment_id}:docx",
        f"doc:order:{scenario.notice_id}:pdf",
        f"doc:order:{scenario.notice_id}:docx",
        f"doc:service:{scenario.notice_id}:pdf",
    ]
    assert scenario.notice_number in offer[0].buttons[1][0].label
    for button in data:
        got = await say(docs, login, button=button)
        assert got[0].document is not None, (button, texts(got))
        assert got[0].document.name.endswith(button.rsplit(":", 1)[1])
