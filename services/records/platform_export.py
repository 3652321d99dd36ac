"""The full publicity export: one row per department part, in the platforms' columns.

谁检查、谁录入、谁公开: each department's part of a joint check is its own row, under its
own name as the implementing authority (检查实施机关). Readings of the columns:
- 计划编号: the plan's number, or `JC{year}{plan id:04d}` when it has none; 任务编号:
  the plan number and the assignment's draw position, `{plan number}-{position:03d}`.
- 检查类型: 定向 when the plan restricts the population (districts, industries or object
  types), else 不定向 (the whole directory).
- 检查结果: the part's categories as codes and names in the tree's order.
- 核查方式: the methods of the part's items (the plan's items applying to the enterprise
  in which the department takes part) matched against the platforms' list; 实地核查 when
  none says otherwise.
- 处置措施: 责令改正 (orders to correct), 立案查处 (cases), 移送其他部门 (clues),
  列入经营异常名录 (a proposal not dropped); 无 when none.
- 是否完结: 是 once the part is published, every order corrected (or turned into a case),
  every case closed and no abnormal-operations proposal open; 完结日期 is then the last
  of the check date and those closing dates, empty otherwise.
Queries are set-based, a chunk of parts at a time: a year of rows costs a few queries per
chunk, never one per row.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Department, InspectionResult, Plan
from services.accounts.actors import Actor, require_role
from services.common.errors import InvalidInput, NotAllowed, NotFound
from services.common.policy import ONSITE_RADIUS_METERS
from services.directory.imports.writers import open_writer
from services.records import export_facts as facts
from services.records import export_field
from services.records.export_columns import CORRECTED, DEFAULT, STATUS, Template
from services.records.export_facts import Selection

CHUNK = 500  # parts loaded at a time
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years an export may name
LIST_SEP = "；"
STATUS_ZH = {
    "not_entered": "未填报",
    "draft": "填报中",
    "awaiting_review": "待审核",
    "returned": "已退回",
    "approved": "已审核",
    "published": "已公示",
}


async def _department_id(
    session: AsyncSession, actor: Actor | None, code: str | None
) -> int | None:
    """The department filter: the one asked for; a reviewer's own, whatever is asked."""
    wanted = None
    if code:
        wanted = await session.scalar(select(Department.id).where(Department.code == code))
        if wanted is None:
            raise NotFound("codes.export_unknown_department", code=code)
    if actor is None or actor.has("admin", "coordinator"):
        return wanted
    require_role(actor, "reviewer")
    if actor.department_id is None or wanted not in (None, actor.department_id):
        raise NotAllowed("error.not_allowed")
    return actor.department_id


def _parts(selection: Selection, department_id: int | None) -> Select[Any]:
    stmt = (
        select(InspectionResult.id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .join(Department, Department.id == InspectionResult.department_id)
        .order_by(Plan.id, Assignment.position, Department.code)
    )
    if selection.include_unpublished:
        stmt = stmt.where(Assignment.status != "void")
    else:
        stmt = stmt.where(InspectionResult.status == "published")
    if selection.year is not None:
        day = func.coalesce(InspectionResult.checked_on, Plan.check_start)
        stmt = stmt.where(day >= date(selection.year, 1, 1), day <= date(selection.year, 12, 31))
    if selection.plan_id is not None:
        stmt = stmt.where(Plan.id == selection.plan_id)
    if department_id is not None:
        stmt = stmt.where(InspectionResult.department_id == department_id)
    return stmt


async def _part_ids(session: AsyncSession, actor: Actor | None, selection: Selection) -> list[int]:
    if actor is not None and not actor.has("reviewer"):
        require_role(actor, "coordinator")
    if selection.year is not None and not FIRST_YEAR <= selection.year <= LAST_YEAR:
        raise InvalidInput(
            "codes.export_bad_year", year=selection.year, first=FIRST_YEAR, last=LAST_YEAR
        )
    if selection.plan_id is not None and await session.get(Plan, selection.plan_id) is None:
        raise NotFound("plan.not_found", id=selection.plan_id)
    department_id = await _department_id(session, actor, selection.department)
    return list((await session.scalars(_parts(selection, department_id))).all())


async def part_rows(
    session: AsyncSession,
    actor: Actor | None,
    selection: Selection,
    radius_m: int = ONSITE_RADIUS_METERS,
) -> AsyncIterator[dict[str, str]]:
    """The export's rows, column name -> text, a chunk of parts loaded at a time."""
    async for row in _rows(session, await _part_ids(session, actor, selection), radius_m):
        yield row


async def _rows(
    session: AsyncSession, ids: list[int], radius_m: int
) -> AsyncIterator[dict[str, str]]:
    plans = facts.PlanCache()
    for start in range(0, len(ids), CHUNK):
        for part in await facts.load(session, ids[start : start + CHUNK], plans):
            yield _row(part, radius_m)


def _row(part: facts.Part, radius_m: int) -> dict[str, str]:
    plan, follow = part.plan, part.followup
    number = plan.number
    done = part.status == "published" and not follow.open
    return {
        "计划编号": number,
        "计划名称": plan.name,
        "任务编号": f"{number}-{part.position:03d}",
        "检查类型": plan.kind,
        "检查实施机关": part.department,
        "企业名称": part.enterprise,
        "统一社会信用代码": part.credit_code,
        "检查完成日期": _day(part.checked_on),
        "检查结果": LIST_SEP.join(f"{code} {name}" for code, name in part.categories),
        "核查方式": LIST_SEP.join(part.methods),
        "处置措施": LIST_SEP.join(follow.measures) or facts.NO_MEASURE,
        "是否完结": "是" if done else "否",
        "完结日期": _day(max([d for d in (part.checked_on, *follow.dates) if d], default=None))
        if done
        else "",
        CORRECTED: _day(part.corrected_on),
        STATUS: STATUS_ZH.get(part.status, part.status),
        "检查结果代码": LIST_SEP.join(code for code, _name in part.categories),
        "检查结果名称": LIST_SEP.join(name for _code, name in part.categories),
        "公示日期": _day(part.published_on),
        "检查事项": LIST_SEP.join(part.items),
        **export_field.columns(part.on_site, radius_m),
    }


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


async def count_parts(session: AsyncSession, actor: Actor | None, selection: Selection) -> int:
    """How many rows an export writes (for a progress bar's total)."""
    return len(await _part_ids(session, actor, selection))


async def export_parts(
    session: AsyncSession,
    actor: Actor | None,
    selection: Selection,
    path: Path,
    *,
    template: Template | None = None,
    progress: Callable[[int], None] | None = None,
    radius_m: int = ONSITE_RADIUS_METERS,
) -> int:
    """Write the export to `path` (XLSX for .xlsx, otherwise CSV with BOM); rows written.

    The file appears whole or not at all: it is written beside `path` and moved there.
    """
    chosen = template or DEFAULT
    if selection.include_unpublished:
        chosen = chosen.with_status()
    ids = await _part_ids(session, actor, selection)  # refusals come before any file
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    count = 0
    try:
        with open_writer(partial, chosen.text_positions()) as out:
            out.write(chosen.headers)
            async for row in _rows(session, ids, radius_m):
                out.write([row[name] for name in chosen.names])
                count += 1
                if progress is not None and count % CHUNK == 0:
                    progress(CHUNK)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    if progress is not None and count % CHUNK:
        progress(count % CHUNK)
    return count
