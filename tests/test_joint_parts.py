"""谁检查、谁录入、谁公开: a joint check of two departments, recorded, reviewed and published
by each department for its own part, typed into the console as the people would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.settings import Settings
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import Department, InspectionResult, User, UserRole
from services.common.clock import local_today
from services.common.errors import NotAllowed
from services.records import export, platform_export, publication, review
from services.records.export_facts import Selection
from services.reports import summary
from tests import records_fixture as rf

ROOT = Path(__file__).resolve().parent.parent
AUTHORITY = {"X": rf.DEPARTMENTS["X"], "Y": rf.DEPARTMENTS["Y"]}


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'parts.db'}",
        data_dir=tmp_path / "data",
    )


def _console(tmp_path: Path, login: str, lines: list[str]) -> str:
    settings = _settings(tmp_path)
    env = {**os.environ, "DATABASE_URL": settings.database_url, "DATA_DIR": str(settings.data_dir)}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", login],
        cwd=ROOT,
        env=env,
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


async def _joint_check(tmp_path: Path) -> tuple[rf.Team, dict[str, str]]:
    """A plan over item I1 (department X initiating, Y cooperating), drawn; reviewers."""
    app = await build_app(_settings(tmp_path))
    try:
        today = local_today(app.clock)
        await rf.build(app, today)
        plan_id = await rf.drawn_plan(app, today, items=["I1"])
        (team,) = await rf.teams(app, plan_id)
        async with unit_of_work(app.sessions) as session:
            for login, code in (("revx", "X"), ("revy", "Y")):
                dept = await session.scalar(select(Department.id).where(Department.code == code))
                user = User(
                    login=login, display_name=login, department_id=dept, created_at=app.clock.now()
                )
                session.add(user)
                await session.flush()
                session.add(UserRole(user_id=user.id, role="reviewer"))
        officers = {rf.INSPECTORS[login][0]: login for login in team.logins}
        return team, officers
    finally:
        await app.aclose()


def test_two_departments_record_review_and_publish_their_own_parts(tmp_path: Path) -> None:
    team, officers = asyncio.run(_joint_check(tmp_path))
    assert set(officers) == {"X", "Y"}  # the draw staffed an officer of each department
    task = str(team.assignment_id)
    found = _console(
        tmp_path,
        officers["X"],
        [
            f"/record {task}",
            "7",  # ☐ D 违反其他市场监管规定 (brings 2 and A)
            "19",  # 完成
            "1",  # 添加问题
            "1",  # I1
            "后厨冰箱生熟食品混放",
            "1",  # 采用事项依据
            "1",  # 照片：完成
            "2",  # 没有（更多）问题
            "4",  # 处理措施：完成，查看汇总
            "1",  # 确认提交审核
        ],
    )
    assert AUTHORITY["X"] in found and "已提交审核" in found
    none_found = _console(
        tmp_path,
        officers["Y"],
        [f"/record {task}", "1", "19", "2", "4", "1"],  # 1 未发现问题, no problem, submit
    )
    assert AUTHORITY["Y"] in none_found and "已提交审核" in none_found

    # Each reviewer sees, approves and publishes the part of their own department alone.
    for login, mine, theirs in (("revx", "X", "Y"), ("revy", "Y", "X")):
        out = _console(tmp_path, login, ["/review", "1", "1", "/publish", "1"])
        queue = out.split("> /review")[1].split("> 1")[0]
        assert AUTHORITY[mine] in queue and AUTHORITY[theirs] not in queue
        assert "已审核通过" in out and "已公示" in out

    asyncio.run(_check_published(tmp_path, team))


async def _check_published(tmp_path: Path, team: rf.Team) -> None:
    app = await build_app(_settings(tmp_path))
    try:
        async with unit_of_work(app.sessions, write=False) as session:
            parts = (await session.scalars(select(InspectionResult))).all()
            rows = await export.published(session)
        assert [p.status for p in parts] == ["published", "published"]
        by_authority = {r.authority: r for r in rows}
        assert set(by_authority) == set(AUTHORITY.values())
        assert by_authority[AUTHORITY["X"]].categories == [
            "A 发现问题待后续处理",
            "2 违反市场监管相关规定",
            "D 违反其他市场监管规定",
        ]
        assert by_authority[AUTHORITY["Y"]].categories == ["1 未发现问题"]
        transport = httpx.ASGITransport(app=create_web_app(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            page = (await client.get("/results")).text
        assert page.count(team.credit_code) == 2
        assert AUTHORITY["X"] in page and AUTHORITY["Y"] in page
        await _check_export(app, team)
        await _check_figures(app)
    finally:
        await app.aclose()


async def _check_export(app: App, team: rf.Team) -> None:
    async with unit_of_work(app.sessions, write=False) as session:
        rows = [r async for r in platform_export.part_rows(session, None, Selection())]
    assert [r["统一社会信用代码"] for r in rows] == [team.credit_code] * 2
    by_authority = {r["检查实施机关"]: r for r in rows}
    assert set(by_authority) == set(AUTHORITY.values())
    assert by_authority[AUTHORITY["X"]]["检查结果"] == (
        "A 发现问题待后续处理；2 违反市场监管相关规定；D 违反其他市场监管规定"
    )
    assert by_authority[AUTHORITY["Y"]]["检查结果"] == "1 未发现问题"


async def _check_figures(app: App) -> None:
    today = local_today(app.clock)
    period = summary.Period(date(today.year, 1, 1), today)
    async with unit_of_work(app.sessions, write=False) as session:
        figures = await summary.figures(session, period, today)
    # One enterprise checked by two departments counts once; its problems all count.
    assert figures.enterprises_inspected == 1
    assert figures.problems_found == 1


async def test_a_reviewer_cannot_review_or_publish_another_departments_part(app: App) -> None:
    today = local_today(app.clock)
    await rf.build(app, today)
    plan_id = await rf.drawn_plan(app, today, items=["I1"])
    (team,) = await rf.teams(app, plan_id)
    officers = {rf.INSPECTORS[login][0]: login for login in team.logins}
    y_part = await rf.submitted(app, replace(team, logins=[officers["Y"]]))
    async with unit_of_work(app.sessions) as session:
        dept_x = await session.scalar(select(Department.id).where(Department.code == "X"))
        user = User(
            login="revx", display_name="revx", department_id=dept_x, created_at=app.clock.now()
        )
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="reviewer"))
    reviewer = await rf.actor(app, "revx")
    async with unit_of_work(app.sessions) as session:
        assert await review.awaiting(session, reviewer) == []
        with pytest.raises(NotAllowed) as refused:
            await review.approve(session, reviewer, y_part, app.clock.now())
        assert refused.value.key == "part.not_your_department"
    async with unit_of_work(app.sessions) as session:
        await review.approve(session, None, y_part, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        with pytest.raises(NotAllowed):
            await publication.publish(session, reviewer, y_part, app.clock.now())
        part = await session.get(InspectionResult, y_part)
        assert part is not None and part.status == "approved"
