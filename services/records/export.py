"""Published results for the public: the web page, its CSV, and the XLSX for the national
enterprise credit publicity system.

Only what may be published leaves here: enterprise name, credit code, plan, items, result
categories and dates. Never the risk class, recusals, photos, certificate numbers, phone
numbers or inspectors' details; the queries select those columns by name and nothing else.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    Department,
    Enterprise,
    InspectionResult,
    Item,
    ItemDepartment,
    Plan,
    PlanItem,
    ResultCategory,
    ResultCategoryLink,
)
from services.common.clock import SHANGHAI
from services.common.errors import NotFound
from services.records.task_views import applicable

PAGE_SIZE = 50
MAX_QUERY = 100
CATEGORY_SEP = "；"
ITEM_SEP = "；"
HEADERS_ZH = (
    "企业名称",
    "统一社会信用代码",
    "抽查计划",
    "检查实施机关",
    "检查日期",
    "抽查结果",
    "抽查事项",
    "公示日期",
    "更正日期",
)
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA_LEAD) else value


@dataclass(frozen=True)
class PublicRow:
    """One published department part, as anyone may read it."""

    enterprise: str
    credit_code: str
    plan: str
    checked_on: date | None
    categories: list[str]  # "A 发现问题待后续处理", in the tree's order
    items: list[str]
    published_on: date | None
    authority: str = ""  # the implementing department (检查实施机关)
    corrected_on: date | None = None  # the latest correction (更正), if any
    result_id: int = 0

    def cells(self) -> list[str]:
        """The row's cells in the order of HEADERS_ZH."""
        return [
            self.enterprise,
            self.credit_code,
            self.plan,
            self.authority,
            _day(self.checked_on),
            CATEGORY_SEP.join(self.categories),
            ITEM_SEP.join(self.items),
            _day(self.published_on),
            _day(self.corrected_on),
        ]


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def category_label(category: ResultCategory) -> str:
    """A category as the platforms show it: its code, then its name."""
    code = category.platform_code
    return category.name_zh if not code else f"{code} {category.name_zh}"


def _search(query: str | None) -> list[ColumnElement[bool]]:
    if not query:
        return []
    text = query.strip()[:MAX_QUERY]
    if not text:
        return []
    code = text.upper()
    return [
        or_(
            Enterprise.name.contains(text, autoescape=True),
            Enterprise.credit_code.startswith(code, autoescape=True),
        )
    ]


async def count_published(session: AsyncSession, query: str | None = None) -> int:
    """How many published results match the search."""
    stmt = (
        select(func.count())
        .select_from(InspectionResult)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(InspectionResult.status == "published", *_search(query))
    )
    return await session.scalar(stmt) or 0


async def published(
    session: AsyncSession,
    query: str | None = None,
    *,
    plan_id: int | None = None,
    limit: int | None = PAGE_SIZE,
    offset: int = 0,
) -> list[PublicRow]:
    """Published parts, newest first; search by name (part of it) or credit code (prefix)."""
    stmt = (
        select(
            InspectionResult.id,
            InspectionResult.checked_on,
            InspectionResult.published_at,
            Enterprise.name,
            Enterprise.credit_code,
            Enterprise.object_type,
            Plan.id,
            Plan.name,
            InspectionResult.department_id,
            Department.name,
            InspectionResult.corrected_on,
        )
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .join(Department, Department.id == InspectionResult.department_id)
        .where(InspectionResult.status == "published", *_search(query))
        .order_by(InspectionResult.published_at.desc(), InspectionResult.id.desc())
        .offset(offset)
    )
    if plan_id is not None:
        stmt = stmt.where(Plan.id == plan_id).order_by(None).order_by(Enterprise.credit_code)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = (await session.execute(stmt)).all()
    result_ids = [r[0] for r in rows]
    categories: dict[int, list[str]] = {}
    for chunk in _chunks(result_ids):
        for rid, category in await session.execute(
            select(ResultCategoryLink.result_id, ResultCategory)
            .join(ResultCategory, ResultCategory.id == ResultCategoryLink.category_id)
            .where(ResultCategoryLink.result_id.in_(chunk))
            .order_by(ResultCategory.sort)
        ):
            categories.setdefault(rid, []).append(category_label(category))
    items: dict[int, list[Item]] = {}
    for pid, item in await session.execute(
        select(PlanItem.plan_id, Item)
        .join(Item, Item.id == PlanItem.item_id)
        .where(PlanItem.plan_id.in_({r[6] for r in rows}))
        .order_by(Item.code)
    ):
        items.setdefault(pid, []).append(item)
    departments = await _item_departments(
        {i.id for found in items.values() for i in found}, session
    )
    return [
        PublicRow(
            enterprise=name,
            credit_code=code,
            plan=plan_name,
            checked_on=checked_on,
            categories=categories.get(rid, []),
            items=[
                _item_name(i)
                for i in applicable(items.get(pid, []), object_type)
                if department in departments.get(i.id, {i.initiating_department_id})
            ],
            published_on=None if published_at is None else _local_date(published_at),
            authority=authority,
            corrected_on=corrected_on,
            result_id=rid,
        )
        for (
            rid,
            checked_on,
            published_at,
            name,
            code,
            object_type,
            pid,
            plan_name,
            department,
            authority,
            corrected_on,
        ) in rows
    ]


async def _item_departments(item_ids: set[int], session: AsyncSession) -> dict[int, set[int]]:
    # A part lists the items its department checks: as initiating or cooperating department.
    out: dict[int, set[int]] = {}
    if not item_ids:
        return out
    for item_id, department_id in await session.execute(
        select(ItemDepartment.item_id, ItemDepartment.department_id).where(
            ItemDepartment.item_id.in_(item_ids)
        )
    ):
        out.setdefault(item_id, set()).add(department_id)
    return out


def _item_name(item: Item) -> str:
    return item.name if not item.sub_item else f"{item.name}（{item.sub_item}）"


def _local_date(when: datetime) -> date:
    return when.astimezone(SHANGHAI).date()


def _chunks(values: list[int], size: int = 500) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


async def plan_results(session: AsyncSession, plan_id: int) -> list[PublicRow]:
    """Every published result of a plan, by credit code (for the XLSX export)."""
    if await session.get(Plan, plan_id) is None:
        raise NotFound("plan.not_found", id=plan_id)
    return await published(session, plan_id=plan_id, limit=None)


def to_csv(rows: list[PublicRow]) -> bytes:
    """UTF-8 CSV with a BOM (so that Excel reads the Chinese), formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS_ZH)
    for row in rows:
        writer.writerow([neutralise(c) for c in row.cells()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[PublicRow]) -> bytes:
    """The workbook a clerk uploads to the publicity system: one row per published result."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "抽查结果"
    sheet.append(list(HEADERS_ZH))
    for row in rows:
        # Plain strings: a leading "=" would otherwise become a live formula.
        sheet.append([neutralise(c) for c in row.cells()])
    for column, width in zip("ABCDEFGHI", (36, 22, 30, 20, 12, 40, 40, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
