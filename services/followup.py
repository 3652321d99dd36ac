"""Measures and their follow-up: orders to correct, filed cases, clues transferred.

- Order to correct (行政处罚法 Art. 28): a numbered notice with an issue date and a deadline,
  by default 15 working days on the official calendar (practice, configurable). Numbers
  follow a pattern such as 乐市监责改〔{year}〕{seq}号, the sequence counted per year, and
  are unique. Re-inspection records whether it was corrected; if not, the deadline is
  extended with a reason or a case is filed.
- Filed case (行政处罚法 Art. 60): decided within 90 days of filing; closed with its decision.
- A clue for another department is transferred to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Case,
    ClueTransfer,
    Counter,
    Department,
    Enterprise,
    InspectionResult,
    RectificationNotice,
)
from services import counters, outbox
from services.actors import Actor
from services.errors import Conflict, InvalidInput, NotFound
from services.records import clean_text, log_change, result_for_edit, touch
from services.tasks import is_office, require_member, team_user_ids
from services.workdays import WorkdayResult, add_working_days

NOTICE_PATTERN = "乐市监责改〔{year}〕{seq}号"
NOTICE_WORKING_DAYS = 15  # practice default; no national fixed period
CASE_DECISION_DAYS = 90  # law: 行政处罚法 Art. 60
MAX_NUMBER = 100


def format_number(pattern: str, year: int, seq: int) -> str:
    """A notice number from the pattern."""
    return pattern.format(year=year, seq=seq)


async def _number_taken(session: AsyncSession, number: str) -> bool:
    found = await session.scalar(
        select(RectificationNotice.id).where(RectificationNotice.number == number)
    )
    return found is not None


async def propose_number(session: AsyncSession, year: int, pattern: str = NOTICE_PATTERN) -> str:
    """The number the next notice of `year` would get (nothing is reserved)."""
    current = await session.scalar(select(Counter.value).where(Counter.name == f"notice:{year}"))
    seq = (current or 0) + 1
    while await _number_taken(session, format_number(pattern, year, seq)):
        seq += 1
    return format_number(pattern, year, seq)


async def _allocate_number(session: AsyncSession, year: int, pattern: str) -> str:
    # The counter is atomic; numbers typed by hand are skipped so the result stays unique.
    while True:
        number = format_number(pattern, year, await counters.next_value(session, f"notice:{year}"))
        if not await _number_taken(session, number):
            return number


def default_deadline(issued_on: date, days: int = NOTICE_WORKING_DAYS) -> WorkdayResult:
    """The default deadline of a notice: `days` working days after it is issued."""
    return add_working_days(issued_on, days)


def clean_number(raw: str) -> str:
    """A notice or case number as typed, trimmed and within bounds."""
    value = raw.strip()
    if not value or len(value) > MAX_NUMBER:
        raise InvalidInput("notice.bad_number", limit=MAX_NUMBER)
    return value


async def check_notice_number(session: AsyncSession, raw: str) -> str:
    """A typed notice number, refused when another notice already carries it."""
    number = clean_number(raw)
    if await _number_taken(session, number):
        raise Conflict("notice.duplicate", number=number)
    return number


def check_issue_date(issued_on: date, today: date) -> None:
    """A notice is not issued in the future."""
    if issued_on > today:
        raise InvalidInput("notice.issue_future", date=str(issued_on))


def check_deadline(deadline: date, issued_on: date, today: date) -> None:
    """A deadline is neither in the past nor on or before the issue date."""
    if deadline < today:
        raise InvalidInput("notice.deadline_past", date=str(deadline), today=str(today))
    if deadline <= issued_on:
        raise InvalidInput("notice.deadline_before_issue", date=str(deadline))


async def add_notice(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    *,
    number: str | None,
    issued_on: date,
    deadline: date,
    today: date,
    now: datetime,
    problem_id: int | None = None,
    pattern: str = NOTICE_PATTERN,
) -> RectificationNotice:
    """Record an order to correct; `number=None` takes the next number of the pattern."""
    result = await result_for_edit(session, actor, result_id, "notice.add")
    check_issue_date(issued_on, today)
    check_deadline(deadline, issued_on, today)
    if number is None:
        number = await _allocate_number(session, issued_on.year, pattern)
    else:
        number = await check_notice_number(session, number)
    notice = RectificationNotice(
        result_id=result_id,
        problem_id=problem_id,
        number=number,
        issued_on=issued_on,
        deadline=deadline,
        status="open",
    )
    try:
        async with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        raise Conflict("notice.duplicate", number=number) from None
    touch(result)
    await log_change(
        session,
        actor,
        "notice.add",
        "rectification_notice",
        notice.id,
        now,
        after={
            "result": result_id,
            "number": number,
            "issued_on": str(issued_on),
            "deadline": str(deadline),
        },
    )
    return notice


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
    touch(result)
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
    touch(result)
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
    touch(result)
    await log_change(
        session, actor, "measure.delete", entry.__tablename__, entry_id, now, before=before
    )
    return result.id


# Follow-up: team members and the office, also after publication.


async def notice_for_followup(
    session: AsyncSession, actor: Actor | None, notice_id: int, action: str
) -> tuple[RectificationNotice, InspectionResult]:
    """An open notice of the actor's teams (the office: any), locked for its follow-up."""
    notice = await session.get(
        RectificationNotice, notice_id, with_for_update=True, populate_existing=True
    )
    if notice is None:
        raise NotFound("notice.not_found", id=notice_id)
    result = await session.get(InspectionResult, notice.result_id)
    assert result is not None
    await require_member(session, actor, result.assignment_id, action)
    if notice.status not in ("open", "extended"):
        raise Conflict("notice.closed", number=notice.number)
    return notice, result


async def notice_corrected(
    session: AsyncSession,
    actor: Actor | None,
    notice_id: int,
    corrected_on: date,
    today: date,
    now: datetime,
) -> RectificationNotice:
    """Re-inspection found the problem corrected on `corrected_on`."""
    notice, _ = await notice_for_followup(session, actor, notice_id, "notice.corrected")
    if corrected_on > today:
        raise InvalidInput("record.date_future", date=str(corrected_on))
    if corrected_on < notice.issued_on:
        raise InvalidInput("notice.corrected_before_issue", date=str(corrected_on))
    before = notice.status
    notice.status, notice.corrected_on, notice.reinspected_on = "corrected", corrected_on, today
    await log_change(
        session,
        actor,
        "notice.corrected",
        "rectification_notice",
        notice_id,
        now,
        before={"status": before},
        after={"status": "corrected", "corrected_on": str(corrected_on)},
    )
    return notice


async def notice_extended(
    session: AsyncSession,
    actor: Actor | None,
    notice_id: int,
    new_deadline: date,
    reason: str,
    today: date,
    now: datetime,
) -> RectificationNotice:
    """Not corrected yet: a new deadline, with the reason."""
    notice, _ = await notice_for_followup(session, actor, notice_id, "notice.extend")
    check_deadline(new_deadline, notice.issued_on, today)
    if new_deadline <= notice.deadline:
        raise InvalidInput("notice.extension_earlier", date=str(notice.deadline))
    text = clean_text(reason)
    before = {"status": notice.status, "deadline": str(notice.deadline)}
    notice.status, notice.deadline = "extended", new_deadline
    notice.extension_reason, notice.reinspected_on = text, today
    await log_change(
        session,
        actor,
        "notice.extend",
        "rectification_notice",
        notice_id,
        now,
        before=before,
        after={"status": "extended", "deadline": str(new_deadline), "reason": text},
    )
    return notice


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
    case = await session.get(Case, case_id, with_for_update=True, populate_existing=True)
    if case is None:
        raise NotFound("case.not_found", id=case_id)
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


@dataclass(frozen=True)
class OpenItem:
    """A notice or case still waiting for its follow-up."""

    kind: str  # "n" notice / "c" case
    id: int
    number: str
    enterprise: str
    due: date
    status: str

    def overdue(self, today: date) -> bool:
        """Whether its deadline (or decision date) has passed."""
        return self.due < today


async def open_followups(session: AsyncSession, actor: Actor | None) -> list[OpenItem]:
    """Open notices and cases of the actor's teams (the office: all), the earliest due first."""
    notices = (
        select(RectificationNotice, Enterprise.name, Assignment.id)
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(RectificationNotice.status.in_(("open", "extended")))
    )
    cases = (
        select(Case, Enterprise.name, Assignment.id)
        .join(InspectionResult, InspectionResult.id == Case.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(Case.status == "open")
    )
    mine: set[int] | None = None
    if not is_office(actor):
        assert actor is not None
        mine = await _my_assignment_ids(session, actor)
    out: list[OpenItem] = []
    for n, name, aid in await session.execute(notices):
        if mine is None or aid in mine:
            out.append(OpenItem("n", n.id, n.number, name, n.deadline, n.status))
    for c, name, aid in await session.execute(cases):
        if mine is None or aid in mine:
            out.append(OpenItem("c", c.id, c.number, name, c.decision_due, c.status))
    out.sort(key=lambda i: (i.due, i.kind, i.id))
    return out


async def _my_assignment_ids(session: AsyncSession, actor: Actor) -> set[int]:
    if actor.inspector_id is None:
        return set()
    rows = await session.scalars(
        select(AssignmentMember.assignment_id).where(
            AssignmentMember.inspector_id == actor.inspector_id
        )
    )
    return set(rows.all())


@dataclass(frozen=True)
class Overdue:
    """An open notice past its deadline."""

    notice_id: int
    number: str
    deadline: date
    enterprise: str
    assignment_id: int


async def overdue_notices(session: AsyncSession, today: date) -> list[Overdue]:
    """Open or extended notices whose deadline has passed, the oldest first."""
    rows = await session.execute(
        select(RectificationNotice, Enterprise.name, Assignment.id)
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(
            RectificationNotice.status.in_(("open", "extended")),
            RectificationNotice.deadline < today,
        )
        .order_by(RectificationNotice.deadline, RectificationNotice.id)
    )
    return [Overdue(n.id, n.number, n.deadline, name, aid) for n, name, aid in rows]


async def flag_overdue(session: AsyncSession, today: date, now: datetime) -> int:
    """Tell each team about its overdue notices, once per notice and deadline (scheduler)."""
    flagged = 0
    for item in await overdue_notices(session, today):
        for user_id in await team_user_ids(session, item.assignment_id):
            await outbox.enqueue(
                session,
                kind="notice.overdue",
                due_at=now,
                now=now,
                dedupe_key=f"notice:{item.notice_id}:overdue:{item.deadline}:user:{user_id}",
                recipient_user_id=user_id,
                key="followup.overdue_notice",
                params={
                    "number": item.number,
                    "enterprise": item.enterprise,
                    "deadline": str(item.deadline),
                },
            )
        flagged += 1
    return flagged


async def notice_number(session: AsyncSession, notice_id: int) -> str | None:
    """The number of a notice."""
    return await session.scalar(
        select(RectificationNotice.number).where(RectificationNotice.id == notice_id)
    )
