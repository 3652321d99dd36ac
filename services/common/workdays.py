"""Working-day arithmetic on the official Chinese holiday calendar.

Official holidays and adjusted working weekends come from `chinese_calendar`. For a year
the package does not know yet it raises NotImplementedError; such days fall back to
Monday-Friday and the result says so, so that the user can be warned. A `Calendar` adds
the years an admin loaded from the State Council's notice (`jointcheck calendar load`):
those answer first, and are never a fallback.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Final

import chinese_calendar

_ONE_DAY: Final = timedelta(days=1)
# Enough for several years of days: deadlines are computed over and over for the same dates.
_CACHE_SIZE: Final = 8192


@dataclass(frozen=True, slots=True)
class WorkdayResult:
    """A computed day, and whether any day on the way used the Monday-Friday fallback."""

    day: date
    fallback: bool
    fallback_years: tuple[int, ...]


def _official_is_workday(d: date) -> bool:
    """Ask the package; raises NotImplementedError for a year it does not know."""
    return bool(chinese_calendar.is_workday(d))


@lru_cache(maxsize=_CACHE_SIZE)
def _day_status(d: date) -> tuple[bool, bool]:
    """Return (is working day, answered by fallback) for one day."""
    try:
        return _official_is_workday(d), False
    except NotImplementedError:
        return d.weekday() < 5, True


def _as_date(d: date) -> date:
    """Drop the time part of a datetime, so results and cache keys are plain dates."""
    return d.date() if isinstance(d, datetime) else d


@dataclass(frozen=True)
class Calendar:
    """The official calendar, with the years loaded from the State Council's notices."""

    # Every listed day of a loaded year: True for a working day (an adjusted weekend),
    # False for a holiday. Other days of a loaded year are Monday-Friday.
    days: Mapping[date, bool] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def is_working_day(self, d: date) -> tuple[bool, bool]:
        """Return (is working day, answered by the Monday-Friday fallback)."""
        d = _as_date(d)
        if d.year in self.years:
            return self.days.get(d, d.weekday() < 5), False
        return _day_status(d)

    def add_working_days(self, start: date, n: int) -> WorkdayResult:
        """Return the n-th working day after `start` (counting starts the next day)."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day = _as_date(start)
        years: set[int] = set()
        remaining = n
        while remaining > 0:
            day += _ONE_DAY
            working, fallback = self.is_working_day(day)
            if fallback:
                years.add(day.year)
            if working:
                remaining -= 1
        return WorkdayResult(day=day, fallback=bool(years), fallback_years=tuple(sorted(years)))

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after `start` up to and including `end` (0 if end <= start)."""
        day, last = _as_date(start), _as_date(end)
        count = 0
        while day < last:
            day += _ONE_DAY
            if self.is_working_day(day)[0]:
                count += 1
        return count

    def working_days_before(self, day: date, n: int) -> date:
        """The day n working days before `day` (a reminder's day before a deadline)."""
        current, counted = _as_date(day), 0
        while counted < n:
            current -= _ONE_DAY
            counted += self.is_working_day(current)[0]
        return current


# The calendar of the package alone, for callers that hold no database session.
OFFICIAL: Final = Calendar()


def is_working_day(d: date) -> tuple[bool, bool]:
    """Return (is working day, answered by the Monday-Friday fallback)."""
    return OFFICIAL.is_working_day(d)


def add_working_days(start: date, n: int) -> WorkdayResult:
    """Return the n-th working day after `start` (counting starts the next day)."""
    return OFFICIAL.add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """Count working days after `start` up to and including `end` (0 if end <= start)."""
    return OFFICIAL.working_days_between(start, end)
