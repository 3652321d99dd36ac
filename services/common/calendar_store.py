"""The years an admin loads from the State Council's holiday notice, and the calendar they make.

`chinese_calendar` knows the years its release was made for; each December the State
Council announces the next year's holidays and adjusted working weekends (调休). Loading
that notice (`jointcheck calendar load YEAR FILE`) makes the year official here at once.
The file holds one date a line with its kind: 休 (or 假, holiday, rest) for a day off,
班 (or workday, work) for an adjusted working day; `#` starts a comment; an optional note
follows the kind ("2027-02-06 休 春节").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import CalendarDay
from services.common import audit
from services.common.errors import InvalidInput
from services.common.workdays import Calendar, is_working_day

_KINDS = {
    "休": False,
    "假": False,
    "holiday": False,
    "rest": False,
    "off": False,
    "班": True,
    "workday": True,
    "work": True,
}
_LINE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s+(\S+)(?:\s+(.*))?")
MAX_LINES = 400
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Loaded:
    """What a load stored: the year, its days off and its adjusted working days."""

    year: int
    holidays: int
    workdays: int


def parse_notice(year: int, lines: Iterable[str]) -> dict[date, tuple[bool, str | None]]:
    """The days a notice lists for `year`; any line that is not one is refused by number."""
    days: dict[date, tuple[bool, str | None]] = {}
    for number, raw in enumerate(lines, start=1):
        if number > MAX_LINES:
            raise InvalidInput("calendar.too_long", limit=MAX_LINES)
        text = raw.split("#", 1)[0].strip().lstrip("\ufeff")
        if not text:
            continue
        match = _LINE.fullmatch(text)
        kind = None if match is None else _KINDS.get(match[4].lower())
        if match is None or kind is None:
            raise InvalidInput("calendar.bad_line", line=number, text=raw.strip()[:60])
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise InvalidInput("calendar.bad_line", line=number, text=raw.strip()[:60]) from None
        if day.year != year:
            raise InvalidInput("calendar.other_year", line=number, year=year)
        if day in days:
            raise InvalidInput("calendar.twice", line=number, day=day.isoformat())
        days[day] = (kind, (match[5] or "").strip()[:100] or None)
    if not any(not working for working, _ in days.values()):
        raise InvalidInput("calendar.no_holidays", year=year)
    return days


async def load_year(
    session: AsyncSession,
    actor_name: str,
    year: int,
    lines: Iterable[str],
    source: str,
    now: datetime,
) -> Loaded:
    """Store a year's notice in place of what was loaded for it before (audited)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("calendar.bad_year", low=FIRST_YEAR, high=LAST_YEAR)
    days = parse_notice(year, lines)
    await session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    session.add_all(
        CalendarDay(
            day=day, year=year, working=working, note=note, source=source[:200], loaded_at=now
        )
        for day, (working, note) in sorted(days.items())
    )
    loaded = Loaded(
        year,
        holidays=sum(1 for working, _ in days.values() if not working),
        workdays=sum(1 for working, _ in days.values() if working),
    )
    await audit.record(
        session,
        actor=actor_name,
        action="calendar.load",
        object_type="calendar_year",
        object_id=str(year),
        at=now,
        after={"source": source, "holidays": loaded.holidays, "workdays": loaded.workdays},
    )
    return loaded


async def calendar(session: AsyncSession) -> Calendar:
    """The calendar of this database: the official one, with every loaded year."""
    rows = (await session.execute(select(CalendarDay.day, CalendarDay.working))).all()
    return Calendar({day: working for day, working in rows}, frozenset(d.year for d, _ in rows))


@dataclass(frozen=True)
class YearInfo:
    """What is known of a year, and from where: "loaded", "official" or "fallback"."""

    year: int
    origin: str
    source: str | None
    loaded_at: datetime | None
    days: list[tuple[date, bool, str | None]]


async def year_info(session: AsyncSession, year: int) -> YearInfo:
    """A year's holidays and adjusted working days, with where they come from."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("calendar.bad_year", low=FIRST_YEAR, high=LAST_YEAR)
    rows = (
        await session.scalars(
            select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day)
        )
    ).all()
    if rows:
        listed = [(r.day, r.working, r.note) for r in rows]
        return YearInfo(year, "loaded", rows[0].source, rows[0].loaded_at, listed)
    if is_working_day(date(year, 1, 1))[1]:
        return YearInfo(year, "fallback", None, None, [])
    return YearInfo(year, "official", "chinese_calendar", None, _official_days(year))


def _official_days(year: int) -> list[tuple[date, bool, str | None]]:
    # Days off that fall on weekdays and working days that fall on weekends: the notice.
    out: list[tuple[date, bool, str | None]] = []
    day = date(year, 1, 1)
    while day.year == year:
        working = is_working_day(day)[0]
        if working != (day.weekday() < 5):
            out.append((day, working, None))
        day = date.fromordinal(day.toordinal() + 1)
    return out
