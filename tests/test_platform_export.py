"""The full publicity export: one row per department part, in the platforms' columns."""

from __future__ import annotations

import argparse
import csv
from datetime import timedelta
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select, update

from bot import cli_export
from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.core.router import Command, roles
from handlers.records.export_results import export_results_command, parse_args
from models import Assignment, Case, Department, Plan, User, UserRole
from services.accounts.actors import actor_for_login
from services.common.errors import InvalidInput, NotAllowed, NotFound
from services.records import platform_export
from services.records.export_columns import DEFAULT_COLUMNS, load_template
from services.records.export_facts import Selection, methods_of
from tests.export_fixture import NUMBER, X_NAME, Y_NAME, Joint, joint_check
from tests.helpers import console_account, say

ROOT = Path(__file__).resolve().parent.parent


def read_csv(path: Path) -> list[list[str]]:
    """The rows of an exported CSV (UTF-8 with BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def read_xlsx(data: bytes | Path) -> list[list[str]]:
    """The rows of an exported XLSX, empty cells as ""."""
    sheet = load_workbook(BytesIO(data) if isinstance(data, bytes) else data).active
    return [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]


async def export(
    app: App, path: Path, selection: Selection | None = None, **kwargs: Any
) -> list[list[str]]:
    """Export from the command line's seat and read the file back."""
    async with unit_of_work(app.sessions, write=False) as session:
        await platform_export.export_parts(
            session, None, selection or Selection(year=2026), path, **kwargs
        )
    return read_xlsx(path) if path.suffix == ".xlsx" else read_csv(path)


async def position(app: App, assignment_id: int) -> int:
    """The assignment's draw position (the task number's tail)."""
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(
            select(Assignment.position).where(Assignment.id == assignment_id)
        )
    assert found is not None
    return found


async def test_a_joint_check_of_two_departments_is_two_rows_with_codes_and_authorities(
    app: App, tmp_path: Path
) -> None:
    joint = await joint_check(app)
    rows = await export(app, tmp_path / "results.csv")
    assert rows[0] == list(DEFAULT_COLUMNS)
    assert len(rows) == 3  # the shop's draft part is not published
    by_department = {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_department) == {X_NAME, Y_NAME}
    task = f"{NUMBER}-{await position(app, joint.restaurant.assignment_id):03d}"
    for row in by_department.values():
        assert row["计划编号"] == NUMBER and row["任务编号"] == task
        assert row["计划名称"] == "2026年食品经营联合抽查"
        assert row["检查类型"] == "定向"  # the plan is restricted to one district
        assert row["企业名称"] == joint.restaurant.enterprise
        assert row["统一社会信用代码"] == joint.restaurant.credit_code
        assert row["检查完成日期"] == joint.checked_on.isoformat()
        assert row["核查方式"] == "实地核查；检验检测"  # I1: 现场检查、抽样检验
        assert row["是否完结"] == "是" and row["更正日期"] == ""
    x, y = by_department[X_NAME], by_department[Y_NAME]
    assert x["检查结果"] == (
        "A 发现问题待后续处理；2 违反市场监管相关规定；B 未按规定公示应当公示的信息"
    )
    assert x["处置措施"] == "责令改正" and x["完结日期"] == joint.corrected_on.isoformat()
    assert y["检查结果"] == "1 未发现问题"
    assert y["处置措施"] == "无" and y["完结日期"] == joint.checked_on.isoformat()


async def test_an_open_case_leaves_the_part_unfinished(app: App, tmp_path: Path) -> None:
    joint = await joint_check(app)
    async with unit_of_work(app.sessions) as session:
        session.add(
            Case(
                result_id=joint.parts["X"],
                number="乐市监立〔2026〕7号",
                filed_on=joint.corrected_on,
                decision_due=joint.corrected_on + timedelta(days=90),
            )
        )
    rows = await export(app, tmp_path / "r.csv")
    x = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[4] == X_NAME)
    assert (x["处置措施"], x["是否完结"], x["完结日期"]) == ("责令改正；立案查处", "否", "")


async def test_all_adds_unpublished_parts_marked_as_such(app: App, tmp_path: Path) -> None:
    joint = await joint_check(app)
    rows = await export(app, tmp_path / "r.csv", Selection(include_unpublished=True))
    assert rows[0][-1] == "公示状态" and len(rows) == 4
    shop = next(r for r in rows[1:] if r[5] == joint.shop.enterprise)
    assert (shop[-1], shop[11], shop[8]) == ("填报中", "否", "")
    assert {r[-1] for r in rows[1:] if r[5] == joint.restaurant.enterprise} == {"已公示"}


async def test_a_plan_without_number_or_restriction(app: App, tmp_path: Path) -> None:
    joint = await joint_check(app, number=None)
    async with unit_of_work(app.sessions) as session:
        await session.execute(update(Plan).where(Plan.id == joint.plan_id).values(districts=[]))
    rows = await export(app, tmp_path / "r.csv", Selection(plan_id=joint.plan_id))
    derived = f"JC2026{joint.plan_id:04d}"
    assert {(r[0], r[3]) for r in rows[1:]} == {(derived, "不定向")}
    assert all(r[2].startswith(derived + "-") for r in rows[1:])


async def test_a_year_out_of_range_is_refused_and_no_file_written(app: App, tmp_path: Path) -> None:
    await joint_check(app)
    target = tmp_path / "r.csv"
    with pytest.raises(InvalidInput) as refused:
        await export(app, target, Selection(year=99999))
    assert refused.value.key == "codes.export_bad_year" and not target.exists()


async def test_department_filter_and_reviewers_see_their_own(app: App, tmp_path: Path) -> None:
    await joint_check(app)
    rows = await export(app, tmp_path / "y.csv", Selection(department="Y"))
    assert [r[4] for r in rows[1:]] == [Y_NAME]
    async with unit_of_work(app.sessions) as session:
        y = await session.scalar(select(Department.id).where(Department.code == "Y"))
        user = User(
            login="rev", display_name="卫健 审核员", department_id=y, created_at=app.clock.now()
        )
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="reviewer"))
    async with unit_of_work(app.sessions, write=False) as session:
        reviewer = await actor_for_login(session, "rev")
        assert reviewer is not None
        own = [r async for r in platform_export.part_rows(session, reviewer, Selection())]
        assert [r["检查实施机关"] for r in own] == [Y_NAME]
        with pytest.raises(NotAllowed):
            await platform_export.count_parts(session, reviewer, Selection(department="X"))
        with pytest.raises(NotFound) as unknown:
            await platform_export.count_parts(session, None, Selection(department="NOPE"))
    assert "NOPE" in t("zh", unknown.value.key, **unknown.value.params)


async def test_template_reorders_and_renames(app: App, tmp_path: Path) -> None:
    await joint_check(app)
    template = load_template(ROOT / "examples" / "results_template.toml")
    rows = await export(app, tmp_path / "r.csv", template=template)
    assert rows[0][:3] == ["企业名称", "统一社会信用代码", "计划编号"]
    assert "检查机关" in rows[0] and "检查实施机关" not in rows[0]
    results = rows[0].index("检查结果")  # the codes-only column, renamed
    assert sorted(r[results] for r in rows[1:]) == ["1", "A；2；B"]
    renamed = tmp_path / "t.json"
    renamed.write_text('{"columns": ["企业名称", {"column": "检查实施机关", "header": "机关"}]}')
    rows = await export(app, tmp_path / "j.csv", template=load_template(renamed))
    assert rows[0] == ["企业名称", "机关"] and {r[1] for r in rows[1:]} == {X_NAME, Y_NAME}


@pytest.mark.parametrize(
    ("text", "key", "named"),
    [
        ('columns = ["企业名称", "检查人员电话"]', "codes.template_unknown_column", "检查人员电话"),
        ('columns = ["企业名称", "企业名称"]', "codes.template_duplicate", "企业名称"),
        ("columns = []", "codes.template_empty", "bad.toml"),
        ("columns = [3]", "codes.template_entry", "bad.toml"),
        ("columns = [", "codes.template_syntax", "bad.toml"),
    ],
)
def test_a_bad_template_is_refused_clearly(tmp_path: Path, text: str, key: str, named: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_template(bad)
    assert refused.value.key == key
    for lang in ("zh", "en"):
        assert named in t(lang, key, **refused.value.params)


async def test_xlsx_holds_the_same_values_as_the_csv(app: App, tmp_path: Path) -> None:
    await joint_check(app)
    everything = Selection(include_unpublished=True)
    as_csv = await export(app, tmp_path / "r.csv", everything)
    as_xlsx = await export(app, tmp_path / "r.xlsx", everything)
    assert as_xlsx == as_csv and len(as_csv) == 4


async def test_queries_do_not_grow_with_rows(app: App, tmp_path: Path) -> None:
    await joint_check(app)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    try:
        await export(app, tmp_path / "two.csv")
        two = len(statements)
        statements.clear()
        await export(app, tmp_path / "three.csv", Selection(include_unpublished=True))
        three = len(statements)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    assert two == three  # three rows over two plans' worth of queries: none per row


def test_methods_are_matched_to_the_platforms_list() -> None:
    assert methods_of(["现场检查"]) == ["实地核查"]
    assert methods_of(["书面审查", "委托第三方检测"]) == ["书面核查", "检验检测", "委托专业机构"]
    assert methods_of([None, "网络监测"]) == ["网络监测"]
    assert methods_of([None]) == ["实地核查"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    cli_export.add_results_parser(parser.add_subparsers(dest="kind"))
    return parser


async def test_cli_prints_the_path_alone_on_the_last_line(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await joint_check(app)
    monkeypatch.chdir(tmp_path)
    args = _parser().parse_args(["results", "--year", "2026", "--format", "csv"])
    assert await cli_export.run_export_results(app, args) == 0
    path = tmp_path / "results-2026.csv"
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(path)
    assert len(read_csv(path)) == 3
    chosen = tmp_path / "out" / "plan.xlsx"
    template = str(ROOT / "examples" / "results_template.toml")
    args = _parser().parse_args(["results", "--all", "--template", template, str(chosen)])
    assert await cli_export.run_export_results(app, args) == 0
    rows = read_xlsx(chosen)
    assert rows[0][0] == "企业名称" and rows[0][-1] == "公示状态" and len(rows) == 4
    mismatched = _parser().parse_args(["results", "--format", "csv", str(tmp_path / "x.xlsx")])
    with pytest.raises(InvalidInput) as refused:
        await cli_export.run_export_results(app, mismatched)
    assert refused.value.key == "codes.export_format"
    unknown = _parser().parse_args(["results", "--plan", "99", str(tmp_path / "none.csv")])
    with pytest.raises(NotFound):
        await cli_export.run_export_results(app, unknown)
    assert not (tmp_path / "none.csv").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plan.xlsx"]


def test_chat_words_are_parsed() -> None:
    assert parse_args([]) == (Selection(), ".xlsx")
    assert parse_args(["2026", "plan", "3", "dept", "Y", "all", "csv"]) == (
        Selection(2026, 3, "Y", True),
        ".csv",
    )
    assert parse_args(["plan", "x"]) is None and parse_args(["nonsense"]) is None


async def test_export_results_in_chat_sends_the_file(app: App) -> None:
    found: Joint = await joint_check(app)
    handler = partial(export_results_command, template=None)
    # Wired here the way /export results reaches it.
    app.router.command(Command("exportresults", handler, roles("coordinator"), "cmd.export"))
    await console_account(app, "coord")
    replies = await say(app, "coord", "/exportresults 2026")
    document = replies[-1].document
    assert document is not None and document.name.endswith(".xlsx")
    rows = read_xlsx(document.data)
    assert {r[4] for r in rows[1:]} == {X_NAME, Y_NAME}
    assert {r[5] for r in rows[1:]} == {found.restaurant.enterprise}
    assert "2" in replies[-1].text
    usage = await say(app, "coord", "/exportresults what")
    assert "/export results" in usage[-1].text
