"""Proposals to list an unreachable enterprise in the abnormal-operations list (经营异常名录).

The clock starts on Wednesday 2026-11-25 (Shanghai); 10 working days on is Wednesday
12-09 (December 2026 has no holiday), and the reminder 3 working days before, Friday 12-04.
"""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot import cli_publicity
from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from models import AbnormalProposal, InspectionResult
from services.common.clock import ManualClock, local_today
from services.common.errors import Conflict, NotAllowed
from services.publicity import abnormal, corrections, objections
from tests import publicity_fixture as pf
from tests import records_fixture as rf
from tests.helpers import say, texts
from tests.test_deadline_reminders import nine, sent_once_when_due

DUE = date(2026, 12, 9)


def address(team: rf.Team) -> str:
    """The registered address of a team's enterprise."""
    return next(e[3] for e in rf.ENTERPRISES.values() if e[0] == team.enterprise)


async def _propose(app: App, rid: int) -> AbnormalProposal | None:
    """What the publish action does once the part is published."""
    async with unit_of_work(app.sessions) as session:
        result = await session.get(InspectionResult, rid)
        assert result is not None
        return await abnormal.propose_if_unreachable(
            session, result, local_today(app.clock), app.clock.now()
        )


async def _proposals(app: App) -> list[AbnormalProposal]:
    async with unit_of_work(app.sessions, write=False) as session:
        return list((await session.scalars(select(AbnormalProposal))).all())


async def test_a_published_unreachable_part_proposes_its_enterprise(app: App) -> None:
    d = await pf.district(app, pf.UNREACHABLE)
    proposal = await _propose(app, d.result_id)
    assert proposal is not None
    assert (proposal.status, proposal.proposed_on, proposal.due) == (
        "open",
        date(2026, 11, 25),
        DUE,
    )
    assert await _propose(app, d.result_id) is not None  # published twice over: one proposal
    assert len(await _proposals(app)) == 1
    told = await pf.outbox_for(app, "coord", "abnormal.proposed")
    assert [m["key"] for m in told] == ["abnormal.proposed_notice"]


async def test_no_proposal_without_the_category_or_before_publication(app: App) -> None:
    d = await pf.district(app)  # published "no problem"
    assert await _propose(app, d.result_id) is None
    unpublished = await rf.submitted(app, d.other, categories=pf.UNREACHABLE)
    assert await _propose(app, unpublished) is None
    assert await _proposals(app) == []


async def test_marked_listed_once_and_exported_for_the_registration_department(
    app: App, tmp_path: Path
) -> None:
    d = await pf.district(app, pf.UNREACHABLE)
    proposal = await _propose(app, d.result_id)
    assert proposal is not None
    inspector = await rf.actor(app, d.mine.logins[0])
    with pytest.raises(NotAllowed):
        async with unit_of_work(app.sessions) as session:
            await abnormal.mark(
                session, inspector, proposal.id, "listed", local_today(app.clock), app.clock.now()
            )
    async with unit_of_work(app.sessions) as session:
        await abnormal.mark(
            session, None, proposal.id, "listed", local_today(app.clock), app.clock.now(), "已列入"
        )
    with pytest.raises(Conflict, match=r"abnormal\.closed"):
        async with unit_of_work(app.sessions) as session:
            await abnormal.mark(
                session, None, proposal.id, "dropped", local_today(app.clock), app.clock.now()
            )
    path = tmp_path / "异常.xlsx"
    assert await cli_publicity.export_abnormal(app, path) == 0
    sheet = load_workbook(path).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(abnormal.HEADERS_ZH)
    assert rows[1] == [
        d.mine.enterprise,
        d.mine.credit_code,
        address(d.mine),
        pf.DEPARTMENT_X,
        "2026-11-25",
        "2026-11-25",
        "2026-12-09",
        "已列入",
    ]
    csv_path = tmp_path / "异常.csv"
    assert await cli_publicity.export_abnormal(app, csv_path) == 0
    text = csv_path.read_bytes().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][1] == d.mine.credit_code


async def test_chat_lists_settles_and_exports(app: App) -> None:
    d = await pf.district(app, pf.UNREACHABLE)
    pf.with_chat(app)
    proposal = await _propose(app, d.result_id)
    assert proposal is not None
    listing = await say(app, "coord", "/abnormal")
    assert d.mine.enterprise in texts(listing) and "2026-12-09" in texts(listing)
    assert f"abn:show:{proposal.id}" in rf.buttons(listing)
    followup = await say(app, "coord", "/followup")
    assert "经营异常名录建议" in texts(followup)
    card = await rf.press(app, "coord", f"abn:show:{proposal.id}")
    assert address(d.mine) in texts(card)
    done = await rf.press(app, "coord", f"abn:d:{proposal.id}")
    assert "不予列入" in texts(done)
    assert "没有待办理" in texts(await say(app, "coord", "/abnormal"))
    exported = await say(app, "coord", "/abnormal export")
    assert exported[0].document is not None and exported[0].document.name.endswith(".xlsx")
    refused = texts(await say(app, d.mine.logins[0], "/abnormal"))
    assert refused == t("zh", "error.not_allowed")


async def test_due_reminder_reaches_the_coordinators(app: App, clock: ManualClock) -> None:
    d = await pf.district(app, pf.UNREACHABLE)
    await _propose(app, d.result_id)
    marker = f"【经营异常提醒】{d.mine.enterprise}"
    await sent_once_when_due(
        app, clock, "remind.abnormal", marker, nine(date(2026, 12, 4)), ["coord"]
    )


async def test_a_correction_drops_or_opens_the_proposal(app: App) -> None:
    d = await pf.district(app, pf.UNREACHABLE)
    await _propose(app, d.result_id)
    today, now = local_today(app.clock), app.clock.now()

    async def objection_and_correction(names: list[str]) -> None:
        async with unit_of_work(app.sessions) as session:
            filed = await objections.record(
                session,
                None,
                d.result_id,
                filed_by="企业",
                filed_on=today,
                grounds="认定有误，请复核。",
                files_dir=app.settings.data_dir,
                today=today,
                now=now,
            )
        async with unit_of_work(app.sessions) as session:
            await corrections.correct(
                session, None, filed.objection.reference, names, None, today, now
            )

    await objection_and_correction(["B"])  # reached after all: not unreachable
    assert [(p.status, p.note) for p in await _proposals(app)] == [("dropped", "更正后不再适用")]
    await objection_and_correction(["6"])
    assert [p.status for p in await _proposals(app)] == ["open"]


def test_the_command_line_parses_objections_and_the_export_kind() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli_publicity.add_parsers(sub)
    export = sub.add_parser("export")
    cli_publicity.add_export_parser(export.add_subparsers(dest="kind"))
    args = parser.parse_args(["objection", "correct", "YY-2026-0001", "B", "--summary", "复核"])
    assert (args.id, args.categories, args.summary) == ("YY-2026-0001", ["B"], "复核")
    assert parser.parse_args(["export", "abnormal"]).file is None
    assert set(cli_publicity.RUNNERS) == {"objection", "abnormal"}


async def test_the_command_line_records_and_rejects(
    app: App, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    d = await pf.district(app)
    parser = argparse.ArgumentParser()
    cli_publicity.add_parsers(parser.add_subparsers(dest="command"))
    evidence = tmp_path / "回执.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    args = parser.parse_args(
        [
            "objection", "record", "--part", str(d.result_id), "--by", "张建国",
            "--date", "2026-11-25", "--grounds", "已报送年报", "--evidence", str(evidence),
        ]
    )  # fmt: skip
    assert await cli_publicity.run_objection(app, args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "YY-2026-0001"
    args = parser.parse_args(["objection", "reject", "YY-2026-0001", "--reason", "不成立"])
    assert await cli_publicity.run_objection(app, args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "YY-2026-0001"
    assert await pf.objection_count(app) == 1
