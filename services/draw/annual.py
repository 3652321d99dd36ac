"""The annual joint plan (年度联合抽查计划): imported once per document, its rows made plans.

A document number is imported once: a second import of the same number is refused
(whatever the file), so that the plans made from its rows keep pointing at the rows the
level above received; a changed plan is a new document with its own number.
Each row becomes one plan (batch): one joint task, the row's item with its initiating and
cooperating departments going through one door, the row's ratio for every risk class,
the quarter or window as the check window, numbered `<document number>-<seq>` and linked
by `plans.annual_row_id`. Making the batches again makes only those still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import AnnualPlan, AnnualPlanRow, Department, Item, Plan
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.common.rows import existing
from services.directory.imports.limits import Limits
from services.draw import annual_import, plans
from services.draw.annual_import import AnnualCheck
from services.draw.annual_sheet import quarter_window


async def import_plan(
    session: AsyncSession,
    actor: Actor | None,
    path: Path,
    now: datetime,
    *,
    name: str | None = None,
    dry_run: bool = False,
    sha256: str | None = None,
    limits: Limits | None = None,
) -> AnnualCheck:
    """Check a plan's file and, unless a dry run or a row has a problem, import it whole.

    With `sha256`, the file read must have that hash (the one shown at the dry run).
    """
    if actor is not None:
        require_role(actor, "coordinator")
    check = await annual_import.check_file(session, path, name, limits)
    if sha256 is not None and check.sha256 != sha256:
        raise Conflict("import.file_changed")
    if dry_run or not check.ok:
        return check
    annual = AnnualPlan(
        year=check.year,
        doc_number=check.doc_number,
        title=check.title,
        source=(name or path.name)[:255],
        source_sha256=check.sha256,
        imported_at=now,
        imported_by=None if actor is None else actor.user_id,
    )
    try:
        async with session.begin_nested():
            session.add(annual)
    except IntegrityError:
        # Another coordinator imported the same document number at the same moment.
        raise Conflict("annual.already_imported", doc_number=check.doc_number, id="?") from None
    for row in check.rows:
        quarter, start, end = annual_import.window_dates(row)
        session.add(
            AnnualPlanRow(
                annual_plan_id=annual.id,
                seq=row.seq,
                item_id=row.item_id,
                initiating_department_id=row.initiating_id,
                cooperating=row.cooperating,
                ratio=row.ratio,
                frequency=row.frequency,
                quarter=quarter,
                window_start=start,
                window_end=end,
            )
        )
    await session.flush()
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="annual_plan.import",
        object_type="annual_plan",
        object_id=annual.id,
        after={
            "year": check.year,
            "doc_number": check.doc_number,
            "file": annual.source,
            "sha256": check.sha256,
            "rows": len(check.rows),
        },
    )
    check.annual_id = annual.id
    return check


def row_window(row: AnnualPlanRow, year: int) -> tuple[date, date]:
    """The first and last day of a row's quarter or window."""
    if row.quarter is not None:
        window = quarter_window(year, row.quarter)
        return window.start, window.end
    if row.window_start is None or row.window_end is None:
        raise InvalidInput("annual.reason.bad_window")
    return row.window_start, row.window_end


def batch_number(doc_number: str, seq: int) -> str:
    """The plan number (计划编号) of a row's batch."""
    return f"{doc_number}-{seq}"


@dataclass(frozen=True)
class Batch:
    """A row's plan: made now, or found made before."""

    seq: int
    row_id: int
    plan_id: int
    number: str | None
    name: str
    created: bool


async def create_batches(
    session: AsyncSession, actor: Actor | None, annual_id: int, now: datetime
) -> list[Batch]:
    """Make a plan of every row that has none yet (coordinators); every row's batch, in order."""
    if actor is not None:
        require_role(actor, "coordinator")
    # Locked, so that two coordinators making the batches at once make them once.
    annual = await existing(session, AnnualPlan, annual_id, "annual.not_found", lock=True)
    rows = await _rows(session, annual_id)
    made = {
        plan.annual_row_id: plan
        for plan in (
            await session.scalars(
                select(Plan).where(Plan.annual_row_id.in_([r.id for r in rows])).order_by(Plan.id)
            )
        ).all()
    }
    items = {i.id: i for i in (await session.scalars(select(Item))).all()}
    batches: list[Batch] = []
    for row in rows:
        plan = made.get(row.id)
        if plan is not None:
            batches.append(Batch(row.seq, row.id, plan.id, plan.number, plan.name, False))
            continue
        item = items[row.item_id]
        start, end = row_window(row, annual.year)
        when = (
            f"第{row.quarter}季度"
            if row.quarter
            else f"{start.month}月{start.day}日至{end.month}月{end.day}日"
        )
        ratio = row.ratio or plans.DEFAULT_RATIOS["B"]
        spec = plans.parse_spec(
            {
                "name": f"{annual.year}年{when} {item.name}"[:200],
                "items": [item.code],
                "check_start": start,
                "check_end": end,
                "ratios": dict.fromkeys(plans.RISK_CLASSES, ratio),
            }
        )
        plan = await plans.create_plan(session, actor, spec, now)
        plan.number = batch_number(annual.doc_number, row.seq)
        plan.annual_row_id = row.id
        batches.append(Batch(row.seq, row.id, plan.id, plan.number, plan.name, True))
    await session.flush()
    created = [b for b in batches if b.created]
    if created:
        await audit.record(
            session,
            at=now,
            actor=audit_name(actor),
            action="annual_plan.batches",
            object_type="annual_plan",
            object_id=annual_id,
            after={"plans": {b.number or str(b.plan_id): b.plan_id for b in created}},
        )
    return batches


async def _rows(session: AsyncSession, annual_id: int) -> list[AnnualPlanRow]:
    rows = await session.scalars(
        select(AnnualPlanRow)
        .where(AnnualPlanRow.annual_plan_id == annual_id)
        .order_by(AnnualPlanRow.seq)
    )
    return list(rows.all())


@dataclass(frozen=True)
class RowView:
    """A row as people read it: item, departments, ratio, window and its batch."""

    seq: int
    item_code: str
    item_name: str
    initiating: str
    cooperating: list[str]  # names
    ratio: str | None
    frequency: str | None
    quarter: int | None
    start: date
    end: date
    plan_id: int | None
    plan_number: str | None
    plan_status: str | None


async def annual_plans(session: AsyncSession, year: int | None = None) -> list[AnnualPlan]:
    """The imported annual plans (of a year), newest first."""
    query = select(AnnualPlan).order_by(AnnualPlan.year.desc(), AnnualPlan.id.desc())
    if year is not None:
        query = query.where(AnnualPlan.year == year)
    return list((await session.scalars(query.limit(50))).all())


async def plan_rows(
    session: AsyncSession, actor: Actor | None, annual_id: int
) -> tuple[AnnualPlan, list[RowView]]:
    """An annual plan with its rows and their batches (coordinators and leaders)."""
    if actor is not None:
        require_role(actor, "coordinator", "leader")
    annual = await existing(session, AnnualPlan, annual_id, "annual.not_found")
    rows = await _rows(session, annual_id)
    items = {i.id: i for i in (await session.scalars(select(Item))).all()}
    departments = (await session.scalars(select(Department))).all()
    names = {d.id: d.name for d in departments}
    by_code = {d.code: d.name for d in departments}
    made = {
        p.annual_row_id: p
        for p in (
            await session.scalars(select(Plan).where(Plan.annual_row_id.in_([r.id for r in rows])))
        ).all()
    }
    views = []
    for row in rows:
        start, end = row_window(row, annual.year)
        plan = made.get(row.id)
        views.append(
            RowView(
                row.seq,
                items[row.item_id].code,
                items[row.item_id].name,
                names.get(row.initiating_department_id, "?"),
                [by_code.get(str(c), str(c)) for c in row.cooperating],
                row.ratio,
                row.frequency,
                row.quarter,
                start,
                end,
                None if plan is None else plan.id,
                None if plan is None else plan.number,
                None if plan is None else plan.status,
            )
        )
    return annual, views
