"""The record of one joint check: start, result categories, check date, submit.

A draft is written to the database as it is entered (every answer is its own transaction),
so it survives a restart and can be resumed from any device of the team. Before
submission any team member may change it; after submission only the office (coordinators,
admins) may, until it is published. Every change is audited.

The problems found: `problems.py`; the summary card: `card.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    Enterprise,
    InspectionResult,
    Plan,
    Problem,
    ResultCategory,
    ResultCategoryLink,
)
from services.accounts.actors import Actor, audit_name
from services.common import audit
from services.common.calendar_store import calendar
from services.common.clock import SHANGHAI
from services.common.errors import Conflict, InvalidInput
from services.common.rows import existing
from services.records import codes
from services.records.parts import (
    assignment_status_after_submit,
    choose_department,
    require_own_part,
)
from services.records.publication import publication_due
from services.records.signed_content import require_unsigned
from services.records.tasks import is_office, require_member

TEAM_EDITABLE = ("not_entered", "draft", "returned")
MAX_TEXT = 2000


def _editable(actor: Actor | None, result: InspectionResult) -> None:
    if result.status == "published":
        raise Conflict("record.published", id=result.id)
    if not is_office(actor) and result.status not in TEAM_EDITABLE:
        raise Conflict("record.locked", id=result.id)


async def result_for_edit(
    session: AsyncSession, actor: Actor | None, result_id: int, action: str
) -> InspectionResult:
    """The result, if the actor may change it now (team before submission, office after)."""
    result = await existing(session, InspectionResult, result_id, "record.not_found")
    await require_member(session, actor, result.assignment_id, action)
    await require_own_part(session, actor, result)
    _editable(actor, result)
    return result


async def result_for_view(
    session: AsyncSession, actor: Actor | None, result_id: int
) -> InspectionResult:
    """The result, if the actor is in its team, in the office or reviews its department."""
    result = await existing(session, InspectionResult, result_id, "record.not_found")
    if actor is not None and actor.has("reviewer") and actor.department_id == result.department_id:
        return result
    await require_member(session, actor, result.assignment_id, "record.view")
    return result


def clean_text(raw: str, *, limit: int = MAX_TEXT, minimum: int = 2) -> str:
    """Trimmed free text within bounds, or InvalidInput."""
    value = raw.strip()
    if len(value) < minimum:
        raise InvalidInput("record.text_short", minimum=minimum)
    if len(value) > limit:
        raise InvalidInput("record.text_long", limit=limit)
    return value


async def touch(session: AsyncSession, result: InspectionResult) -> None:
    """Count a change of the record (its version); refused if it alters a signed record."""
    result.version += 1
    await require_unsigned(session, result.assignment_id)


async def log_change(
    session: AsyncSession,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: int,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Audit a change of the record in the caller's transaction."""
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


@dataclass(frozen=True)
class Opened:
    """A record opened for entry, and whether this call created it."""

    result: InspectionResult
    created: bool


async def open_record(
    session: AsyncSession,
    actor: Actor | None,
    assignment_id: int,
    today: date,
    now: datetime,
    department_id: int | None = None,
) -> Opened:
    """Start the actor's department's part of a check, or return the one already started."""
    assignment = await require_member(session, actor, assignment_id, "record.open")
    if assignment.status in ("void", "unstaffed"):
        raise Conflict("record.assignment_closed", id=assignment_id)
    department = await choose_department(session, actor, assignment_id, department_id)
    existing = await _result_of(session, assignment_id, department)
    if existing is not None:
        await require_own_part(session, actor, existing)
        _editable(actor, existing)
        return Opened(existing, False)
    plan = await session.get(Plan, assignment.plan_id)
    assert plan is not None
    result = InspectionResult(
        assignment_id=assignment_id,
        department_id=department,
        status="draft",
        checked_on=today,
        started_at=now,
        publish_due=publication_due(plan.check_end, calendar=await calendar(session)).day,
        version=1,
    )
    try:
        async with session.begin_nested():
            session.add(result)
    except IntegrityError:
        # A teammate started the same record at the same moment: theirs is the record.
        found = await _result_of(session, assignment_id, department)
        if found is None:
            raise
        return Opened(found, False)
    if assignment.status == "pending":
        assignment.status = "in_progress"
    await log_change(
        session,
        actor,
        "record.start",
        "inspection_result",
        result.id,
        now,
        after={"assignment": assignment_id, "department": department, "checked_on": str(today)},
    )
    return Opened(result, True)


async def _result_of(
    session: AsyncSession, assignment_id: int, department_id: int
) -> InspectionResult | None:
    return await session.scalar(
        select(InspectionResult).where(
            InspectionResult.assignment_id == assignment_id,
            InspectionResult.department_id == department_id,
        )
    )


async def all_categories(session: AsyncSession) -> list[ResultCategory]:
    """The result categories that may be chosen, in the tree's order."""
    query = select(ResultCategory).where(ResultCategory.active).order_by(ResultCategory.sort)
    return list((await session.scalars(query)).all())


async def category_ids(session: AsyncSession, result_id: int) -> set[int]:
    """The categories a result carries."""
    rows = await session.scalars(
        select(ResultCategoryLink.category_id).where(ResultCategoryLink.result_id == result_id)
    )
    return set(rows.all())


async def set_category(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    category_id: int,
    on: bool,
    now: datetime,
) -> bool:
    """Add or remove one category; the same request twice changes it once (True if changed)."""
    result = await result_for_edit(session, actor, result_id, "record.category")
    category = await session.get(ResultCategory, category_id)
    if category is None:
        raise InvalidInput("record.bad_category", id=category_id)
    tree = await codes.tree_from_db(session)
    chosen = {tree.key_of(i) for i in await category_ids(session, result_id)}
    # Choosing a child chooses its parents; a parent goes only once its children have.
    after = codes.toggled(chosen, category.code, on, tree)
    if after == chosen:
        return False
    for key in after - chosen:
        session.add(ResultCategoryLink(result_id=result_id, category_id=tree.ids[key]))
    for key in chosen - after:
        link = await session.get(ResultCategoryLink, (result_id, tree.ids[key]))
        await session.delete(link)
    await session.flush()
    await touch(session, result)
    await log_change(
        session,
        actor,
        "record.category",
        "inspection_result",
        result_id,
        now,
        after={"category": category.code, "on": on},
    )
    return True


async def set_checked_on(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    day: date,
    today: date,
    now: datetime,
) -> None:
    """Set the date of the check (never in the future)."""
    result = await result_for_edit(session, actor, result_id, "record.date")
    if day > today:
        raise InvalidInput("record.date_future", date=str(day))
    before = result.checked_on
    result.checked_on = day
    await touch(session, result)
    await log_change(
        session,
        actor,
        "record.checked_on",
        "inspection_result",
        result_id,
        now,
        before={"checked_on": str(before)},
        after={"checked_on": str(day)},
    )


async def check_categories(session: AsyncSession, keys: set[str], problems: int) -> None:
    """The categories a record may be submitted with: the rules of the coded tree."""
    if not keys:
        raise InvalidInput("record.need_category")
    codes.check(keys, await codes.tree_from_db(session), problems)


async def submit(
    session: AsyncSession, actor: Actor | None, result_id: int, now: datetime
) -> InspectionResult:
    """Hand the record to the office for review; pressed twice, it is submitted once."""
    result = await existing(session, InspectionResult, result_id, "record.not_found", lock=True)
    await require_member(session, actor, result.assignment_id, "record.submit")
    await require_own_part(session, actor, result)
    if result.status not in TEAM_EDITABLE:
        raise Conflict("record.already_submitted", id=result_id)
    keys = set(
        (
            await session.scalars(
                select(ResultCategory.code)
                .join(ResultCategoryLink, ResultCategoryLink.category_id == ResultCategory.id)
                .where(ResultCategoryLink.result_id == result_id)
            )
        ).all()
    )
    problems = await session.scalar(
        select(func.count()).select_from(Problem).where(Problem.result_id == result_id)
    )
    await check_categories(session, keys, problems or 0)
    assignment = await session.get(Assignment, result.assignment_id)
    assert assignment is not None
    plan = await session.get(Plan, assignment.plan_id)
    assert plan is not None
    before = result.status
    result.status = "awaiting_review"
    result.submitted_at = now
    result.submitted_by = None if actor is None else actor.user_id
    result.return_reason = None
    result.publish_due = publication_due(plan.check_end, calendar=await calendar(session)).day
    await touch(session, result)
    await session.flush()
    assignment.status = await assignment_status_after_submit(session, assignment)
    checked_on = await _mark_checked(session, assignment.enterprise_id, result, now)
    await log_change(
        session,
        actor,
        "record.submit",
        "inspection_result",
        result_id,
        now,
        before={"status": before},
        after={
            "status": "awaiting_review",
            "categories": sorted(keys),
            "checked_on": checked_on.isoformat(),
        },
    )
    return result


async def _mark_checked(
    session: AsyncSession, enterprise_id: int, result: InspectionResult, now: datetime
) -> date:
    # A submitted check makes the enterprise "recently checked" for every later plan; a
    # date already later (another check, an import) is never moved back.
    checked_on = result.checked_on or now.astimezone(SHANGHAI).date()
    await session.execute(
        update(Enterprise)
        .where(
            Enterprise.id == enterprise_id,
            or_(Enterprise.last_checked_on.is_(None), Enterprise.last_checked_on < checked_on),
        )
        .values(last_checked_on=checked_on)
        .execution_options(synchronize_session=False)
    )
    return checked_on
