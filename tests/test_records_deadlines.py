"""Deadlines of records follow the official calendar (test-vectors.md), with the fallback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.app import App
from services.common import workdays
from services.records import notices, publication
from tests import records_fixture as rf
from tests.helpers import console_account, texts


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    workdays._day_status.cache_clear()
    yield
    workdays._day_status.cache_clear()


@pytest.mark.parametrize(
    ("check_end", "due"),
    [
        (date(2025, 9, 26), date(2025, 10, 30)),  # National Day skipped, Sat 10-11 counts
        (date(2026, 1, 30), date(2026, 3, 5)),  # Spring Festival skipped, Sat 02-14 counts
        (date(2025, 12, 31), date(2026, 1, 29)),
        (date(2026, 4, 30), date(2026, 6, 1)),
    ],
)
def test_publication_is_due_20_working_days_after_the_check(check_end: date, due: date) -> None:
    result = publication.publication_due(check_end)
    assert result.day == due and not result.fallback


def test_an_order_to_correct_defaults_to_15_working_days() -> None:
    assert notices.default_deadline(date(2025, 9, 26)).day == date(2025, 10, 23)


def _unknown_from(monkeypatch: pytest.MonkeyPatch, year: int) -> None:
    """Make the calendar not know `year` and later, as the package does for unannounced years."""
    real = workdays._official_is_workday

    def fake(d: date) -> bool:
        if d.year >= year:
            raise NotImplementedError(f"no available data for year {d.year}")
        return real(d)

    monkeypatch.setattr(workdays, "_official_is_workday", fake)
    workdays._day_status.cache_clear()


def _weekdays_after(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def test_a_deadline_in_an_unannounced_year_falls_back_to_monday_to_friday(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _unknown_from(monkeypatch, 2027)
    result = publication.publication_due(date(2026, 12, 31))
    assert result.fallback and result.fallback_years == (2027,)
    assert result.day == _weekdays_after(date(2026, 12, 31), 20)


async def test_the_record_card_warns_when_the_fallback_was_used(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unknown_from(monkeypatch, 2027)
    today = date(2026, 11, 25)
    await rf.build(app, today)
    plan_id = await rf.drawn_plan(app, today, check_end=date(2026, 12, 31))
    team = (await rf.teams(app, plan_id))[0]
    for login in team.logins:
        await console_account(app, login)
    started = await rf.press(app, team.logins[0], f"rec:{team.assignment_id}")
    assert "开始填报" in texts(started)
    card = await rf.press(app, team.logins[0], "f:record:hub")
    expected = _weekdays_after(date(2026, 12, 31), 20)
    assert f"公示期限：{expected}" in texts(card)
    assert "2027 年的法定节假日尚未公布" in texts(card)


async def test_the_notice_deadline_question_warns_when_the_fallback_was_used(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unknown_from(monkeypatch, 2026)  # today's year itself unknown: the default falls back
    today = date(2026, 11, 25)
    await rf.build(app, today)
    plan_id = await rf.drawn_plan(app, today)
    team = (await rf.teams(app, plan_id))[0]
    login = team.logins[0]
    await console_account(app, login)
    await rf.press(app, login, f"rec:{team.assignment_id}")
    await rf.press(app, login, f"f:record:c+:{await rf.category_id(app, 'pending_follow_up')}")
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:order")
    await rf.press(app, login, "f:record:auto")
    asked = await rf.press(app, login, "f:record:today")
    expected = _weekdays_after(today, 15)
    assert str(expected) in texts(asked) and "按周一至周五推算" in texts(asked)
    saved = await rf.press(app, login, "f:record:dflt")
    assert f"期限 {expected}" in texts(saved) and "尚未公布" in texts(saved)
