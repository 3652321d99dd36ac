"""The annual joint plan: imported (CSV and XLSX), made into batches, and the year's progress
per department and per row equal to a count by hand."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli_annual
from bot.app import App
from handlers.core.db import unit_of_work
from handlers.reports import progress as progress_handlers
from models import AnnualPlanRow, OutboxMessage
from services.common.errors import DomainError
from services.draw import annual, cancel
from services.draw.annual_import import AnnualCheck
from services.draw.annual_sheet import parse_ratio_cell, parse_window
from services.draw.plans import get_plan
from services.meetings import schedule
from services.reports.progress import Counts, YearProgress, year_progress
from tests import annual_fixture as fx
from tests.helpers import console_account, row_counts, say, texts

WRITERS: dict[str, Callable[..., Path]] = {"csv": fx.write_csv, "xlsx": fx.write_xlsx}


async def _import(app: App, path: Path, *, dry_run: bool = False) -> AnnualCheck:
    async with unit_of_work(app.sessions, write=not dry_run) as s:
        return await annual.import_plan(s, None, path, app.clock.now(), dry_run=dry_run)


async def _batches(app: App, annual_id: int) -> list[annual.Batch]:
    async with unit_of_work(app.sessions) as s:
        return await annual.create_batches(s, None, annual_id, app.clock.now())


async def _progress(app: App) -> YearProgress:
    async with unit_of_work(app.sessions, write=False) as s:
        return await year_progress(s, None, fx.YEAR)


def _c(
    planned: int, drawn: int, checked: int, reviewed: int, published: int, problems: int
) -> Counts:
    return Counts(planned, drawn, checked, reviewed, published, problems)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
async def test_the_year_s_progress_matches_a_count_by_hand(
    app: App, tmp_path: Path, kind: str
) -> None:
    await fx.build(app)
    check = await _import(app, WRITERS[kind](tmp_path / f"plan.{kind}"))
    assert check.ok and check.annual_id is not None
    assert (check.year, check.doc_number, len(check.rows)) == (2026, fx.DOC, 4)

    made = await _batches(app, check.annual_id)
    assert [b.created for b in made] == [True] * 4
    again = await _batches(app, check.annual_id)  # idempotent: nothing new
    assert [(b.plan_id, b.created) for b in again] == [(b.plan_id, False) for b in made]
    async with unit_of_work(app.sessions, write=False) as s:
        batch = {b.seq: await get_plan(s, b.plan_id) for b in made}
        rows = {r.seq: r for r in (await s.scalars(select(AnnualPlanRow))).all()}
    for seq, plan in batch.items():
        assert (plan.number, plan.annual_row_id) == (f"{fx.DOC}-{seq}", rows[seq].id)
    assert (batch[1].check_start, batch[1].check_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (batch[2].check_start, batch[2].check_end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (batch[3].check_start, batch[3].check_end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert batch[4].ratios == dict.fromkeys("ABCD", "0.05")
    assert batch[1].ratios == dict.fromkeys("ABCD", "1")
    assert rows[1].cooperating == ["Y"] and rows[2].cooperating == []

    # Row 1: three 餐饮 checks, each with an X part and a Y part.
    e1, e2, e3 = await fx.draw(app, batch[1].id)
    await fx.part(app, e1, "X", "published", found=1)
    await fx.part(app, e1, "Y", "published", found=1)
    await fx.part(app, e2, "X", "approved", found=1)
    await fx.part(app, e2, "Y", "awaiting_review")
    await fx.part(app, e3, "X", "draft")
    # Row 2: two 食品 checks (X alone); the second called off.
    f1, f2 = await fx.draw(app, batch[2].id)
    await fx.part(app, f1, "X", "published")
    async with unit_of_work(app.sessions) as s:
        await cancel.cancel(s, None, f2, "企业已停业，经联席办同意取消检查", app.clock.now())
    # Row 3: frozen, not drawn yet (its two 住宿 enterprises planned). Row 4: never drawn.
    await fx.draw(app, batch[3].id, final=False)
    # A plan of the year outside the annual plan, and one of last year (not counted).
    g1, _g2 = await fx.draw(app, await fx.plan(app, ["I3"], date(2026, 7, 1), date(2026, 12, 31)))
    await fx.part(app, g1, "Z", "awaiting_review", found=1)
    await fx.draw(app, await fx.plan(app, ["I2"], date(2025, 6, 1), date(2025, 6, 30)))

    p = await _progress(app)
    # By hand. Row 1: e1 (both parts published, a problem in each), e2 (checked: X
    # approved, Y waiting), e3 (a draft): 3 planned and drawn, 2 checked, 1 reviewed and
    # published by every department, 3 problems; e1 counts once though two parts.
    # Row 2: f1 published, f2 cancelled (planned, not drawn). Row 3: frozen, k = 2.
    by_row = {r.seq: r for r in p.rows}
    assert by_row[1].counts == _c(3, 3, 2, 1, 1, 3)
    assert by_row[2].counts == _c(2, 1, 1, 1, 1, 0)
    assert by_row[3].counts == _c(2, 0, 0, 0, 0, 0)
    assert by_row[4].counts == _c(0, 0, 0, 0, 0, 0)
    assert [by_row[n].state for n in (1, 2, 3, 4)] == ["drawn", "drawn", "frozen", "draft"]
    assert by_row[1].plan_number == f"{fx.DOC}-1"
    assert (p.other_plans, p.other) == (1, _c(2, 2, 1, 0, 0, 1))
    assert p.total == _c(9, 6, 4, 2, 2, 4)
    assert p.documents == [fx.DOC]
    # By department, its own parts. X: e1 e2 e3 f1 f2 (f2 cancelled); Y: e1 e2 e3, the
    # frozen row 3 (2) and g1 g2; Z: row 3 (2) and g1 g2.
    by_dept = {d.code: d.counts for d in p.departments}
    assert by_dept == {
        "X": _c(5, 4, 3, 3, 2, 2),
        "Y": _c(7, 5, 2, 1, 1, 1),
        "Z": _c(4, 2, 1, 0, 0, 1),
    }


async def test_row_level_errors_name_the_row_column_and_value(app: App, tmp_path: Path) -> None:
    await fx.build(app)
    rows = [
        ["1", "I9", "", "X", "", "5%", "", "Q1"],  # unknown item
        ["2", "I1", "", "W", "", "5%", "", "Q2"],  # unknown department
        ["3", "I1", "", "Y", "X", "5%", "", "Q2"],  # not the item's initiating department
        ["4", "I2", "", "X", "Z", "5%", "", "Q3"],  # Z takes no part in I2
        ["5", "I2", "", "X", "", "150%", "", "Q3"],  # bad ratio
        ["6", "I2", "", "X", "", "5%", "", "第五季度"],  # bad quarter
        ["7", "I2", "", "X", "", "5%", "", "2027-01-01至2027-02-01"],  # outside the year
        ["7", "I3", "", "Z", "", "5%", "", "3-5月"],  # duplicate number
        ["9", "I1", "", "X", "Y", "10%", "", "2026-03-01至2026-05-31"],  # fine
        ["10", "I4", "", "Z", "Y", "10%", "", "下半年"],  # fine, X left out: a note
    ]
    path = fx.write_csv(tmp_path / "bad.csv", rows)
    before = await row_counts(app)
    check = await _import(app, path)
    assert check.annual_id is None and not check.ok
    assert await row_counts(app) == before  # nothing of the file imported
    found = {(p.row, p.column, p.value, p.key) for p in check.problems}
    assert found == {
        (4, "事项编码", "I9", "annual.reason.unknown_item"),
        (5, "发起部门", "W", "annual.reason.unknown_department"),
        (6, "发起部门", "Y", "annual.reason.not_initiator"),
        (7, "配合部门", "Z", "annual.reason.not_in_item"),
        (8, "抽查比例", "150%", "annual.reason.bad_ratio"),
        (9, "季度/时间窗口", "第五季度", "annual.reason.bad_window"),
        (10, "季度/时间窗口", "2027-01-01至2027-02-01", "annual.reason.window_outside_year"),
        (11, "序号", "7", "annual.reason.duplicate_seq"),
    }
    assert [(n.row, n.key) for n in check.notes] == [(13, "annual.note.cooperating_left_out")]
    assert [(r.number, r.cooperating) for r in check.rows] == [(12, ["Y"]), (13, ["Y"])]


async def test_a_document_number_is_imported_once(app: App, tmp_path: Path) -> None:
    await fx.build(app)
    first = await _import(app, fx.write_csv(tmp_path / "plan.csv"))
    assert first.annual_id is not None
    before = await row_counts(app)
    for path in (fx.write_csv(tmp_path / "same.csv"), fx.write_xlsx(tmp_path / "changed.xlsx")):
        with pytest.raises(DomainError) as refused:
            await _import(app, path)
        assert refused.value.key == "annual.already_imported"
        assert refused.value.params["id"] == first.annual_id
    assert await row_counts(app) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第二季度", (2, date(2026, 4, 1), date(2026, 6, 30))),
        ("二季度", (2, date(2026, 4, 1), date(2026, 6, 30))),
        ("Q4", (4, date(2026, 10, 1), date(2026, 12, 31))),
        ("2026年第1季度", (1, date(2026, 1, 1), date(2026, 3, 31))),
        ("3", (3, date(2026, 7, 1), date(2026, 9, 30))),
        ("上半年", (None, date(2026, 1, 1), date(2026, 6, 30))),
        ("全年", (None, date(2026, 1, 1), date(2026, 12, 31))),
        ("3-5月", (None, date(2026, 3, 1), date(2026, 5, 31))),
        ("2月", (None, date(2026, 2, 1), date(2026, 2, 28))),
        ("2026.3.1-2026.4.15", (None, date(2026, 3, 1), date(2026, 4, 15))),
        ("2026年3月1日至2026年4月15日", (None, date(2026, 3, 1), date(2026, 4, 15))),
    ],
)
def test_quarters_and_windows_as_clerks_write_them(text: str, expected: tuple[object, ...]) -> None:
    window = parse_window(text, 2026)
    assert (window.quarter, window.start, window.end) == expected


@pytest.mark.parametrize("text", ["第五季度", "13月", "2026-05-01至2026-04-01", "春季", ""])
def test_windows_that_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_window(text, 2026)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5%", "0.05"), ("５％", "0.05"), ("2.5%", "0.025"), ("不低于10%", "0.1"), ("0.08", "0.08")],
)
def test_ratios_as_clerks_write_them(text: str, expected: str) -> None:
    assert parse_ratio_cell(text) == expected


@pytest.mark.parametrize("text", ["0", "150%", "5", "五成", "1e-2"])
def test_ratios_that_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_ratio_cell(text)


def _wire(app: App) -> None:
    """The chat commands are those bot/app.py registers (`/progress year` included)."""
    assert "annualplan" in app.router.commands
    assert progress_handlers.PREFIX in app.router.buttons


async def test_chat_upload_is_checked_then_confirmed_then_made_into_batches(
    app: App, tmp_path: Path
) -> None:
    await fx.build(app)
    _wire(app)
    for login in ("coord", "boss"):
        await console_account(app, login)
    path = fx.write_csv(tmp_path / "plan.csv")
    asked = await say(app, "coord", "/annualplan")
    assert "examples/annual_plan.csv" in texts(asked)
    checked = await say(app, "coord", f"/annualplan {path}")
    assert "检查通过" in texts(checked) and fx.DOC in texts(checked)
    go = checked[-1].buttons[0][0].data
    assert go.startswith("f:annualplan:go:")
    imported = await say(app, "coord", button=go)
    assert "已导入年度计划 1" in texts(imported)
    make = imported[-1].buttons[0][0].data
    assert make == "annual:b:1"
    made = await say(app, "coord", button=make)
    assert "新生成 4 个" in texts(made)
    shown = await say(app, "boss", "/annualplan 1")
    assert f"{fx.DOC}-1" in texts(shown) and "第4季度" in texts(shown)
    assert "无权" in texts(await say(app, "boss", "/annualplan batches 1"))
    assert "无权" in texts(await say(app, "boss", f"/annualplan {path}"))


async def test_progress_year_in_chat_with_its_chart_and_as_an_agenda_paper(
    app: App, tmp_path: Path
) -> None:
    await fx.build(app)
    _wire(app)
    await console_account(app, "coord")
    check = await _import(app, fx.write_csv(tmp_path / "plan.csv"))
    assert check.annual_id is not None
    made = await _batches(app, check.annual_id)
    (e1, *_rest) = await fx.draw(app, made[0].plan_id)
    await fx.part(app, e1, "X", "published", found=2)
    replies = await say(app, "coord", "/progress year 2026")
    text = texts(replies)
    assert "2026 年度联合抽查进度" in text and fx.DOC in text
    assert "区市场监管局：计划 3｜已抽取 3｜已检查 1｜已审核 1｜已公示 1｜发现问题 2" in text
    assert "（区市场监管局，第1季度，比例 5%，批次 乐联办〔2026〕1号-4 未抽取）" in text
    assert replies[-1].image is not None and replies[-1].image.startswith(b"\x89PNG")
    attach = replies[-1].buttons[0][0].data
    assert attach == "pya:2026"
    assert "没有待召开" in texts(await say(app, "coord", button=attach))

    async with unit_of_work(app.sessions) as s:
        meeting = await schedule.create(
            s,
            None,
            kind="plenary",
            title="2026年第二次联席会议",
            starts_at=datetime(2026, 12, 10, 1, 30, tzinfo=UTC),
            place="三楼会议室",
            agenda="审议各部门年度抽查进度",
            departments=[],
            logins=["coord"],
            now=app.clock.now(),
        )
    picked = await say(app, "coord", button=attach)
    choice = picked[-1].buttons[0][0].data
    assert choice == f"pya:2026:{meeting.id}"
    done = await say(app, "coord", button=choice)
    assert "发送给 1 位参会人员" in texts(done)
    await say(app, "coord", button=choice)  # twice: sent once
    async with unit_of_work(app.sessions, write=False) as s:
        queued = (
            await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "meeting.paper"))
        ).all()
        assert [m.payload["render"] for m in queued] == ["annual_progress"]
        paper = await progress_handlers.agenda_replies(
            s, "zh", queued[0].payload["params"], date(2026, 11, 25)
        )
    assert texts(paper).startswith("联席会议《2026年第二次联席会议》")
    assert paper[-1].image is not None


async def test_command_line_import_batches_and_progress(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await fx.build(app)
    path = fx.write_xlsx(tmp_path / "plan.xlsx")
    args = argparse.Namespace(file=path, dry_run=True, lang=None)
    assert await cli_annual.run_import_annual(app, args) == 0
    assert fx.DOC in capsys.readouterr().out
    args.dry_run = False
    assert await cli_annual.run_import_annual(app, args) == 0
    annual_id = int(capsys.readouterr().out.strip().splitlines()[-1])
    assert await cli_annual.run_import_annual(app, args) == 1  # the same number again
    assert "已导入" in capsys.readouterr().out
    batches = argparse.Namespace(annual_command="batches", id=annual_id, lang="en")
    assert await cli_annual.run_annualplan(app, batches) == 0
    ids = capsys.readouterr().out.strip().splitlines()[-1].split()
    assert len(ids) == 4
    chart = tmp_path / "progress.png"
    progress = argparse.Namespace(annual_command="progress", year=2026, chart=chart, lang="en")
    assert await cli_annual.run_annualplan(app, progress) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == str(chart) and chart.read_bytes().startswith(b"\x89PNG")
    assert any("planned 0 | drawn 0" in line for line in out)
    template = tmp_path / "template.xlsx"
    written = argparse.Namespace(annual_command="template", file=template)
    assert await cli_annual.run_annualplan(app, written) == 0
    assert capsys.readouterr().out.strip() == str(template)
    assert (await _import(app, template, dry_run=True)).ok is False  # demo items, not these


def test_the_command_line_actions_parse() -> None:
    parser = argparse.ArgumentParser()
    cli_annual.add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["annualplan", "progress", "2026", "--chart", "p.png"])
    assert (args.annual_command, args.year, args.chart) == ("progress", 2026, Path("p.png"))
    args = parser.parse_args(["annualplan", "batches", "3"])
    assert (args.annual_command, args.id) == ("batches", 3)
    assert set(cli_annual.RUNNERS) == {"annualplan"}
