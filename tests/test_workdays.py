"""Tests for services.common.workdays against the public vectors in test-vectors.md."""

from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar
import pytest

from services.common import workdays
from services.common.workdays import WorkdayResult


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The per-day cache must not leak answers between tests that monkeypatch the lookup.
    workdays._day_status.cache_clear()
    yield
    workdays._day_status.cache_clear()


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _first_unknown_year() -> int | None:
    """Probe the package for the first year after the last one it knows."""
    for year in range(2025, 2085):
        if not _package_knows(year):
            return year
    return None


def _simulate_unknown_from(monkeypatch: pytest.MonkeyPatch, first_unknown: int) -> None:
    real = workdays._official_is_workday

    def fake(d: date) -> bool:
        if d.year >= first_unknown:
            raise NotImplementedError(f"no available data for year {d.year}")
        return real(d)

    monkeypatch.setattr(workdays, "_official_is_workday", fake)
    workdays._day_status.cache_clear()


@pytest.fixture
def unknown_year(monkeypatch: pytest.MonkeyPatch) -> int:
    """A year the calendar does not know: a real one if the package has one, else simulated."""
    year = _first_unknown_year()
    if year is None:
        year = 2031
        _simulate_unknown_from(monkeypatch, year)
    return year


def _weekdays_after(start: date, n: int) -> date:
    """Independent Monday-Friday counter."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
        (date(2026, 1, 30), 20, date(2026, 3, 5)),
        (date(2025, 12, 31), 20, date(2026, 1, 29)),
        (date(2026, 4, 30), 20, date(2026, 6, 1)),
        (date(2025, 9, 26), 15, date(2025, 10, 23)),
    ],
)
def test_official_vectors(start: date, n: int, expected: date) -> None:
    result = workdays.add_working_days(start, n)
    assert result == WorkdayResult(day=expected, fallback=False, fallback_years=())
    assert workdays.working_days_between(start, expected) == n
    # The deadline itself is a working day, so one day less falls short.
    assert workdays.working_days_between(start, expected - timedelta(days=1)) == n - 1


def test_adjusted_weekends_and_holidays() -> None:
    assert workdays.is_working_day(date(2025, 10, 11)) == (True, False)  # Saturday, adjusted
    assert workdays.is_working_day(date(2026, 2, 14)) == (True, False)  # Saturday, adjusted
    assert workdays.is_working_day(date(2025, 10, 1)) == (False, False)  # National Day
    assert workdays.is_working_day(date(2025, 10, 8)) == (False, False)  # Wednesday, holiday
    assert workdays.is_working_day(date(2025, 10, 12)) == (False, False)  # ordinary Sunday


def test_zero_days_is_start_and_negative_is_refused() -> None:
    assert workdays.add_working_days(date(2025, 10, 1), 0) == WorkdayResult(
        day=date(2025, 10, 1), fallback=False, fallback_years=()
    )
    with pytest.raises(ValueError):
        workdays.add_working_days(date(2025, 10, 1), -1)


def test_between_is_zero_when_end_not_after_start() -> None:
    assert workdays.working_days_between(date(2025, 10, 30), date(2025, 10, 30)) == 0
    assert workdays.working_days_between(date(2025, 10, 30), date(2025, 9, 26)) == 0


def test_fallback_inside_unknown_year(unknown_year: int) -> None:
    start = date(unknown_year, 12, 20)
    result = workdays.add_working_days(start, 20)
    assert result.day == _weekdays_after(start, 20)
    assert result.fallback is True
    assert unknown_year in result.fallback_years
    assert result.fallback_years == tuple(sorted(set(result.fallback_years)))
    assert workdays.working_days_between(start, result.day) == 20
    assert workdays.is_working_day(date(unknown_year, 3, 2)) == (
        date(unknown_year, 3, 2).weekday() < 5,
        True,
    )


def test_fallback_when_crossing_into_unknown_year(unknown_year: int) -> None:
    start = date(unknown_year - 1, 12, 20)
    result = workdays.add_working_days(start, 20)
    # Expected: the known year by the package itself, the unknown year Monday-Friday.
    day, remaining = start, 20
    while remaining > 0:
        day += timedelta(days=1)
        if day.year < unknown_year:
            working = workdays._official_is_workday(day)
        else:
            working = day.weekday() < 5
        remaining -= int(working)
    assert result.day == day
    assert result.fallback is True
    assert result.fallback_years == (unknown_year,)


def test_simulated_unknown_year_via_monkeypatch(monkeypatch: pytest.MonkeyPatch) -> None:
    # Always exercise the fallback path, even when the package knows every year probed.
    _simulate_unknown_from(monkeypatch, 2026)
    result = workdays.add_working_days(date(2025, 12, 31), 20)
    # Without the 2026 calendar New Year's Day counts as a plain Thursday.
    assert result.day == _weekdays_after(date(2025, 12, 31), 20) == date(2026, 1, 28)
    assert result.fallback is True
    assert result.fallback_years == (2026,)
    assert workdays.is_working_day(date(2026, 2, 14)) == (False, True)


def test_known_years_never_report_fallback() -> None:
    result = workdays.add_working_days(date(2024, 1, 2), 400)
    assert _package_knows(result.day.year)
    assert result.fallback is False
    assert result.fallback_years == ()


def test_round_trip_many_starts() -> None:
    start = date(2025, 1, 1)
    for offset in range(0, 365, 7):
        s = start + timedelta(days=offset)
        for n in (1, 5, 15, 20):
            result = workdays.add_working_days(s, n)
            assert workdays.working_days_between(s, result.day) == n
            assert workdays.is_working_day(result.day)[0]
