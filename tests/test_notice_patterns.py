"""Notice numbers follow the pattern of the recording officer's department (卫健: its own)."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy import select, update

from bot import cli_departments
from bot.app import App
from handlers.core.db import unit_of_work
from models import Department, Inspector, User
from services.common.clock import local_today
from services.common.errors import DomainError, InvalidInput
from services.records import notice_patterns, notices
from tests import records_fixture as rf
from tests.helpers import row_counts, say, texts

HEALTH = "乐卫健责改〔{year}〕{seq}号"


async def _health_officer(app: App) -> tuple[str, rf.Team]:
    """The district with 卫健's pattern set; the recording officer moved to 卫健 (Y)."""
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    args = argparse.Namespace(code="Y", pattern=HEALTH, clear=False)
    assert await cli_departments.run_department(app, args) == 0
    async with unit_of_work(app.sessions) as session:
        health = await session.scalar(select(Department.id).where(Department.code == "Y"))
        inspector = await session.scalar(select(User.inspector_id).where(User.login == login))
        await session.execute(
            update(Inspector).where(Inspector.id == inspector).values(department_id=health)
        )
    return login, mine


async def _start(app: App, login: str, team: rf.Team) -> None:
    """Open the record with one category; the conversation asks about problems."""
    assert "开始填报" in texts(await rf.press(app, login, f"rec:{team.assignment_id}"))
    other = await rf.category_id(app, "other_market_rule")
    await rf.press(app, login, f"f:record:c+:{other}")
    assert "是否还有发现的问题" in texts(await rf.press(app, login, "f:record:cdone"))


async def _at_notice_number(app: App, login: str, team: rf.Team) -> None:
    await _start(app, login, team)
    await rf.press(app, login, "f:record:pnone")
    assert "通知书编号" in texts(await rf.press(app, login, "f:record:order"))


def _year(app: App) -> int:
    return local_today(app.clock).year


async def test_a_health_officers_proposed_number_follows_the_health_pattern(app: App) -> None:
    login, mine = await _health_officer(app)
    await _start(app, login, mine)
    await rf.press(app, login, "f:record:pnone")
    asked = await rf.press(app, login, "f:record:order")
    assert f"建议 乐卫健责改〔{_year(app)}〕1号" in texts(asked)


async def test_each_pattern_keeps_its_own_sequence(app: App) -> None:
    login, mine = await _health_officer(app)
    await _at_notice_number(app, login, mine)
    await rf.press(app, login, "f:record:auto")
    await rf.press(app, login, "f:record:today")
    saved = await rf.press(app, login, "f:record:dflt")
    assert f"乐卫健责改〔{_year(app)}〕1号 已记录" in texts(saved)
    async with unit_of_work(app.sessions, write=False) as session:
        proposed = await notices.propose_number(session, _year(app))
    assert proposed == f"乐市监责改〔{_year(app)}〕1号"  # the default numbering is untouched


async def test_a_typed_number_off_the_pattern_needs_confirmation(app: App) -> None:
    login, mine = await _health_officer(app)
    await _at_notice_number(app, login, mine)
    before = await row_counts(app)
    typed = f"乐市监责改〔{_year(app)}〕5号"
    asked = await say(app, login, typed)
    assert "不符合本部门的编号格式" in texts(asked)
    assert "f:record:keepnum" in rf.buttons(asked)
    assert await row_counts(app) == before
    await rf.press(app, login, "f:record:keepnum")
    await rf.press(app, login, "f:record:today")
    saved = await rf.press(app, login, "f:record:dflt")
    assert f"责令整改通知书 {typed} 已记录" in texts(saved)


async def test_a_typed_number_following_the_pattern_is_accepted(app: App) -> None:
    login, mine = await _health_officer(app)
    await _at_notice_number(app, login, mine)
    asked = await say(app, login, f"乐卫健责改〔{_year(app)}〕7号")
    assert "下达日期" in texts(asked)


async def test_the_service_refuses_an_unconfirmed_number_off_the_pattern(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine)
    today = local_today(app.clock)
    async with unit_of_work(app.sessions) as session:
        with pytest.raises(InvalidInput) as refused:
            await notices.add_notice(
                session,
                None,
                rid,
                number="卫健-5",
                issued_on=today,
                deadline=today.replace(year=today.year + 1),
                today=today,
                now=app.clock.now(),
                pattern=notice_patterns.Series(HEALTH, "Y"),
            )
    assert refused.value.key == "notice.off_pattern"


def test_a_pattern_without_a_sequence_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        notice_patterns.check_pattern("乐卫健责改〔{year}〕号")
    assert refused.value.key == "notice.bad_pattern"


def test_a_number_matches_its_pattern_in_any_year_and_sequence() -> None:
    assert notice_patterns.matches(HEALTH, "乐卫健责改〔2031〕128号")
    assert not notice_patterns.matches(HEALTH, "乐市监责改〔2031〕128号")
