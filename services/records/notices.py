"""Orders to correct (行政处罚法 Art. 28): numbers, deadlines, recording, re-inspection.

A notice is numbered, with an issue date and a deadline, by default 15 working days on the
official calendar (practice, configurable). Numbers follow a pattern such as
乐市监责改〔{year}〕{seq}号, the sequence counted per year, and are unique. Re-inspection
records whether it was corrected; if not, the deadline is extended with a reason or a case
is filed (`cases.py`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Counter, InspectionResult, RectificationNotice
from services.accounts.actors import Actor
from services.common import counters
from services.common.errors import Conflict, InvalidInput
from services.common.policy import NOTICE_PATTERN, NOTICE_WORKING_DAYS
from services.common.rows import existing
from services.common.workdays import OFFICIAL, Calendar, WorkdayResult
from services.records.notice_patterns import Series, matches
from services.records.results import clean_text, log_change, result_for_edit, touch
from services.records.tasks import require_member

MAX_NUMBER = 100


def format_number(pattern: str, year: int, seq: int) -> str:
    """A notice number from the pattern."""
    return pattern.format(year=year, seq=seq)


async def _number_taken(session: AsyncSession, number: str) -> bool:
    found = await session.scalar(
        select(RectificationNotice.id).where(RectificationNotice.number == number)
    )
    return found is not None


def _series(numbering: str | Series) -> Series:
    # A bare pattern is the default numbering (the yearly counter "notice:YEAR").
    return numbering if isinstance(numbering, Series) else Series(numbering)


async def propose_number(
    session: AsyncSession, year: int, pattern: str | Series = NOTICE_PATTERN
) -> str:
    """The number the next notice of `year` would get (nothing is reserved)."""
    series = _series(pattern)
    name = series.counter_name(year)
    current = await session.scalar(select(Counter.value).where(Counter.name == name))
    seq = (current or 0) + 1
    while await _number_taken(session, format_number(series.pattern, year, seq)):
        seq += 1
    return format_number(series.pattern, year, seq)


async def _allocate_number(session: AsyncSession, year: int, series: Series) -> str:
    # The counter is atomic; numbers typed by hand are skipped so the result stays unique.
    while True:
        seq = await counters.next_value(session, series.counter_name(year))
        number = format_number(series.pattern, year, seq)
        if not await _number_taken(session, number):
            return number


def default_deadline(
    issued_on: date, days: int = NOTICE_WORKING_DAYS, calendar: Calendar = OFFICIAL
) -> WorkdayResult:
    """The default deadline of a notice: `days` working days after it is issued."""
    return calendar.add_working_days(issued_on, days)


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
    pattern: str | Series = NOTICE_PATTERN,
    confirmed: bool = False,
) -> RectificationNotice:
    """Record an order to correct; `number=None` takes the next number of the pattern.

    A typed number off the pattern is taken only `confirmed` (the user saw the pattern).
    """
    result = await result_for_edit(session, actor, result_id, "notice.add")
    check_issue_date(issued_on, today)
    check_deadline(deadline, issued_on, today)
    series = _series(pattern)
    if number is None:
        number = await _allocate_number(session, issued_on.year, series)
    else:
        number = await check_notice_number(session, number)
        if not confirmed and not matches(series.pattern, number):
            example = format_number(series.pattern, issued_on.year, 1)
            raise InvalidInput("notice.off_pattern", number=number, example=example)
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
    await touch(session, result)
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


# Follow-up: team members and the office, also after publication.


async def notice_for_followup(
    session: AsyncSession, actor: Actor | None, notice_id: int, action: str
) -> tuple[RectificationNotice, InspectionResult]:
    """An open notice of the actor's teams (the office: any), locked for its follow-up."""
    notice = await existing(session, RectificationNotice, notice_id, "notice.not_found", lock=True)
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


async def notice_number(session: AsyncSession, notice_id: int) -> str | None:
    """The number of a notice."""
    return await session.scalar(
        select(RectificationNotice.number).where(RectificationNotice.id == notice_id)
    )
