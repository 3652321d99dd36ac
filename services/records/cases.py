"""Filed cases and clues transferred, and removing any measure from a record.

- Filed case (行政处罚法 Art. 60): decided within 90 days of filing; closed with its decision.
  A case is filed with the record, or at re-inspection when a notice was not corrected.
- A clue for another department is transferred to it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Case, ClueTransfer, Department, InspectionResult, RectificationNotice
from services.accounts.actors import Actor
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.rows import existing
from services.records.notices import clean_number, notice_for_followup
from services.records.results import clean_text, log_change, result_for_edit, touch
from services.records.tasks import require_member

CASE_DECISION_DAYS = 90  # law: 行政处罚法 Art. 60


async def check_case_number(session: AsyncSession, raw: str) -> str:
    """A typed case number, refused when another case already carries it."""
    number = clean_number(raw)
    if await session.scalar(select(Case.id).where(Case.number == number)) is not None:
        raise Conflict("case.duplicate", number=number)
    return number


def check_filed_on(filed_on: date, today: date) -> None:
    """A case is not filed in the future."""
    if filed_on > today:
        raise InvalidInput("case.filed_future", date=str(filed_on))


async def _new_case(
    session: AsyncSession, result_id: int, number: str, filed_on: date, today: date
) -> Case:
    number = await check_case_number(session, number)
    check_filed_on(filed_on, today)
    case = Case(
        result_id=result_id,
        number=number,
        filed_on=filed_on,
        decision_due=filed_on + timedelta(days=CASE_DECISION_DAYS),
        status="open",
    )
    try:
        async with session.begin_nested():
            session.add(case)
    except IntegrityError:
        raise Conflict("case.duplicate", number=number) from None
    return case


async def add_case(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    *,
    number: str,
    filed_on: date,
    today: date,
    now: datetime,
) -> Case:
    """Record a filed case; its decision is due 90 days after filing."""
    result = await result_for_edit(session, actor, result_id, "case.add")
    case = await _new_case(session, result_id, number, filed_on, today)
    await touch(session, result)
    await log_change(
        session,
        actor,
        "case.add",
        "case",
        case.id,
        now,
        after={"result": result_id, "number": case.number, "filed_on": str(filed_on)},
    )
    return case


# Follow-up: team members and the office, also after publication.


async def notice_to_case(
    session: AsyncSession,
    actor: Actor | None,
    notice_id: int,
    *,
    number: str,
    filed_on: date,
    today: date,
    now: datetime,
) -> Case:
    """Not corrected: a case is filed."""
    notice, result = await notice_for_followup(session, actor, notice_id, "notice.case")
    case = await _new_case(session, result.id, number, filed_on, today)
    before = notice.status
    notice.status, notice.reinspected_on = "case_filed", today
    await log_change(
        session,
        actor,
        "notice.case",
        "rectification_notice",
        notice_id,
        now,
        before={"status": before},
        after={"status": "case_filed", "case": case.number},
    )
    return case


async def case_for_followup(
    session: AsyncSession, actor: Actor | None, case_id: int, action: str
) -> Case:
    """An open case of the actor's teams (the office: any), locked for closing."""
    case = await existing(session, Case, case_id, "case.not_found", lock=True)
    result = await session.get(InspectionResult, case.result_id)
    assert result is not None
    await require_member(session, actor, result.assignment_id, action)
    if case.status == "closed":
        raise Conflict("case.closed", number=case.number)
    return case


async def close_case(
    session: AsyncSession,
    actor: Actor | None,
    case_id: int,
    decision: str,
    closed_on: date,
    today: date,
    now: datetime,
) -> Case:
    """Close a case with its decision."""
    case = await case_for_followup(session, actor, case_id, "case.close")
    if closed_on > today:
        raise InvalidInput("record.date_future", date=str(closed_on))
    if closed_on < case.filed_on:
        raise InvalidInput("case.closed_before_filed", date=str(closed_on))
    text = clean_text(decision)
    case.status, case.closed_on, case.decision = "closed", closed_on, text
    await log_change(
        session,
        actor,
        "case.close",
        "case",
        case_id,
        now,
        before={"status": "open"},
        after={"status": "closed", "closed_on": str(closed_on), "decision": text},
    )
    return case


# Clues transferred to another department.


async def transfer_departments(session: AsyncSession) -> list[Department]:
    """The departments a clue may be transferred to."""
    rows = await session.scalars(
        select(Department).where(Department.active.is_(True)).order_by(Department.code)
    )
    return list(rows.all())


async def add_clue(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    *,
    department_id: int,
    description: str,
    today: date,
    now: datetime,
) -> ClueTransfer:
    """Record a clue transferred to another department."""
    result = await result_for_edit(session, actor, result_id, "clue.add")
    department = await session.get(Department, department_id)
    if department is None or not department.active:
        raise InvalidInput("clue.bad_department", id=department_id)
    clue = ClueTransfer(
        result_id=result_id,
        department_id=department_id,
        description=clean_text(description),
        transferred_on=today,
    )
    session.add(clue)
    await session.flush()
    await touch(session, result)
    await log_change(
        session,
        actor,
        "clue.add",
        "clue_transfer",
        clue.id,
        now,
        after={"result": result_id, "department": department.code},
    )
    return clue


MEASURES: dict[str, type[RectificationNotice] | type[Case] | type[ClueTransfer]] = {
    "n": RectificationNotice,
    "c": Case,
    "t": ClueTransfer,
}


async def delete_measure(
    session: AsyncSession, actor: Actor | None, kind: str, entry_id: int, now: datetime
) -> int:
    """Remove a notice ("n"), case ("c") or clue ("t") from a record; returns the result id."""
    model = MEASURES.get(kind)
    entry: RectificationNotice | Case | ClueTransfer | None = None
    if model is not None:
        entry = await session.get(model, entry_id)
    if entry is None:
        raise NotFound("record.entry_not_found", id=entry_id)
    result = await result_for_edit(session, actor, entry.result_id, "measure.delete")
    before = {"number": getattr(entry, "number", None), "kind": kind}
    await session.delete(entry)
    await session.flush()
    await touch(session, result)
    await log_change(
        session, actor, "measure.delete", entry.__tablename__, entry_id, now, before=before
    )
    return result.id
