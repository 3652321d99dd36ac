"""A small district for the annual joint plan: three departments, four items, a plan file.

Items: I1 餐饮 (X initiating, Y cooperating), I2 食品 (X alone), I3 住宿 (Z initiating,
Y cooperating), I4 娱乐 (Z initiating, X and Y cooperating). Enterprises: three 餐饮, two
食品, two 住宿 (none 娱乐). Enough officers of every department for teams of two with one
check each.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import (
    Assignment,
    Department,
    Draw,
    Enterprise,
    Inspector,
    Item,
    ItemDepartment,
    ResultCategory,
    User,
    UserRole,
)
from services.common.clock import local_today
from services.directory import creditcode
from services.draw import freeze, plans, run
from services.records import problems, publication, results, review

YEAR = 2026
DOC = "乐联办〔2026〕1号"
DEPARTMENTS = {"X": "区市场监管局", "Y": "区卫生健康局", "Z": "区公安局"}
ITEMS = {
    "I1": ("餐饮服务食品安全检查", "餐饮", "XY"),
    "I2": ("食品经营行为检查", "食品", "X"),
    "I3": ("旅馆业治安管理检查", "住宿", "ZY"),
    "I4": ("娱乐场所经营活动检查", "娱乐", "ZXY"),  # no enterprise of its type
}
ENTERPRISES = {1: "餐饮", 2: "餐饮", 3: "餐饮", 4: "食品", 5: "食品", 6: "住宿", 7: "住宿"}
OFFICERS = {"X": 6, "Y": 6, "Z": 4}
TITLE = "乐都区2026年度部门联合双随机抽查计划"
HEADER = [
    "序号",
    "事项编码",
    "抽查事项",
    "发起部门",
    "配合部门",
    "抽查比例",
    "抽查频次",
    "季度/时间窗口",
]
# The plan: row 1 in the fourth quarter, row 2 in December, row 3 in the second half,
# row 4 in the first quarter (its batch is never drawn).
ROWS = [
    ["1", "I1", "餐饮服务食品安全检查", "X", "区卫生健康局", "100%", "每年1次", "第四季度"],
    ["2", "I2", "食品经营行为检查", "区市场监管局", "", "1", "每年1次", "2026-12-01至2026-12-31"],
    ["3", "I3", "旅馆业治安管理检查", "Z", "Y", "100%", "", "下半年"],
    ["4", "I2", "食品经营行为检查", "X", "", "5%", "", "Q1"],
]


def code(n: int) -> str:
    """A valid credit code numbered n."""
    return creditcode.make_code(f"91630202{n + 700:09d}")


async def build(app: App) -> None:
    """Departments, items, enterprises, officers, a coordinator and a leader."""
    today = local_today(app.clock)
    async with unit_of_work(app.sessions) as s:
        depts = {c: Department(code=c, name=name) for c, name in DEPARTMENTS.items()}
        s.add_all(depts.values())
        await s.flush()
        for item_code, (name, object_type, members) in ITEMS.items():
            item = Item(
                code=item_code,
                name=name,
                object_type=object_type,
                initiating_department_id=depts[members[0]].id,
            )
            s.add(item)
            await s.flush()
            for i, d in enumerate(members):
                role = "initiating" if i == 0 else "cooperating"
                s.add(ItemDepartment(item_id=item.id, department_id=depts[d].id, role=role))
        for n, object_type in ENTERPRISES.items():
            s.add(
                Enterprise(
                    credit_code=code(n),
                    name=f"企业{n}",
                    object_type=object_type,
                    risk_class="ABCD"[n % 4],
                    district="碾伯镇",
                )
            )
        for dept, count in OFFICERS.items():
            for n in range(1, count + 1):
                s.add(
                    Inspector(
                        cert_no=f"{dept}{n:02d}",
                        cert_expiry=today + timedelta(days=3 * 365),
                        name=f"检查员{dept}{n}",
                        department_id=depts[dept].id,
                    )
                )
        for login, role in (("coord", "coordinator"), ("boss", "leader")):
            user = User(login=login, display_name=login, created_at=app.clock.now())
            s.add(user)
            await s.flush()
            s.add(UserRole(user_id=user.id, role=role))


def write_csv(path: Path, rows: list[list[str]] | None = None) -> Path:
    """The plan as a clerk's CSV: title, document line, header, rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([TITLE])
        writer.writerow([f"发文文号：{DOC}", "", "年度：2026"])
        writer.writerow(HEADER)
        writer.writerows(ROWS if rows is None else rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]] | None = None) -> Path:
    """The plan as an XLSX whose year and document number are columns of the table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["年度", "发文文号", *HEADER])
    for row in ROWS if rows is None else rows:
        sheet.append([2026, DOC, int(row[0]), *row[1:]])
    book.save(path)
    return path


async def department_id(app: App, dept: str) -> int:
    """A department's id by code."""
    async with unit_of_work(app.sessions, write=False) as s:
        found = await s.scalar(select(Department.id).where(Department.code == dept))
    assert found is not None
    return found


async def draw(app: App, plan_id: int, *, final: bool = True) -> list[int]:
    """Freeze a plan's draw and (unless not final) draw it: its assignments, in order."""
    async with unit_of_work(app.sessions) as s:
        frozen = await freeze.freeze(s, None, plan_id, app.clock.now())
    if not final:
        return []
    async with unit_of_work(app.sessions) as s:
        await run.execute(s, None, frozen.id, "", app.clock.now())
    async with unit_of_work(app.sessions, write=False) as s:
        ids = await s.scalars(
            select(Assignment.id)
            .join(Draw, Draw.id == Assignment.draw_id)
            .where(Assignment.plan_id == plan_id, Draw.status == "final")
            .order_by(Assignment.position)
        )
        return list(ids.all())


async def plan(app: App, items: list[str], start: date, end: date) -> int:
    """A plan made by hand (not from the annual plan), every ratio 100%."""
    spec = plans.parse_spec(
        {
            "name": "计划外专项",
            "items": items,
            "check_start": start,
            "check_end": end,
            "ratios": dict.fromkeys("ABCD", "1"),
        }
    )
    async with unit_of_work(app.sessions) as s:
        return (await plans.create_plan(s, None, spec, app.clock.now())).id


async def part(app: App, assignment_id: int, dept: str, status: str, found: int = 0) -> int:
    """A department's part of a check, recorded through the services up to `status`."""
    now, today = app.clock.now(), local_today(app.clock)
    department = await department_id(app, dept)
    async with unit_of_work(app.sessions) as s:
        opened = await results.open_record(s, None, assignment_id, today, now, department)
        part_id = opened.result.id
        category = "corrected" if found else "no_problem"
        category_id = await s.scalar(
            select(ResultCategory.id).where(ResultCategory.code == category)
        )
        assert category_id is not None
        await results.set_category(s, None, part_id, category_id, True, now)
        for n in range(found):
            await problems.add_problem(s, None, part_id, None, f"{dept}部门发现的问题{n + 1}", now)
        if status != "draft":
            await results.submit(s, None, part_id, now)
    if status in ("approved", "published"):
        async with unit_of_work(app.sessions) as s:
            await review.approve(s, None, part_id, now)
    if status == "published":
        async with unit_of_work(app.sessions) as s:
            await publication.publish(s, None, part_id, now)
    return part_id
