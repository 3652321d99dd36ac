"""One photo may show two problems of a record: linked to both, its bytes stored once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import EvidenceFile
from services.common.clock import local_today
from services.records import evidence, problems, results
from tests import records_fixture as rf


async def _two_problems(app: App) -> tuple[rf.Team, int, int]:
    _, mine, _ = await rf.ready(app)
    member = await rf.actor(app, mine.logins[0])
    now = app.clock.now()
    async with unit_of_work(app.sessions) as session:
        opened = await results.open_record(
            session, member, mine.assignment_id, local_today(app.clock), now
        )
        first = await problems.add_problem(session, member, opened.result.id, None, "过期食品", now)
        second = await problems.add_problem(session, member, opened.result.id, None, "无证照", now)
        return mine, first.id, second.id


async def _attach(app: App, login: str, problem_id: int, data: bytes) -> evidence.Added:
    member = await rf.actor(app, login)
    async with unit_of_work(app.sessions) as session:
        return await evidence.attach(
            session,
            member,
            problem_id,
            data=data,
            name="shelf.png",
            files_dir=app.settings.data_dir,
            now=app.clock.now(),
        )


async def test_the_same_photo_is_evidence_of_two_problems(app: App) -> None:
    mine, first, second = await _two_problems(app)
    photo = rf.png(21)
    assert (await _attach(app, mine.logins[0], first, photo)).created
    added = await _attach(app, mine.logins[0], second, photo)
    assert added.created and added.evidence.problem_id == second
    async with unit_of_work(app.sessions, write=False) as session:
        linked = await evidence.problem_evidence(session, second)
    assert [e.sha256 for e in linked] == [added.evidence.sha256]


async def test_the_shared_photo_is_stored_once(app: App) -> None:
    mine, first, second = await _two_problems(app)
    photo = rf.png(22)
    await _attach(app, mine.logins[0], first, photo)
    added = await _attach(app, mine.logins[0], second, photo)
    folder = Path(app.settings.data_dir) / evidence.EVIDENCE_DIR
    stored = [p for p in folder.rglob("*") if p.is_file()]
    assert stored == [Path(app.settings.data_dir) / added.evidence.stored_path]


async def test_the_same_photo_twice_for_one_problem_is_kept_once(app: App) -> None:
    mine, first, _ = await _two_problems(app)
    photo = rf.png(23)
    await _attach(app, mine.logins[0], first, photo)
    assert not (await _attach(app, mine.logins[0], first, photo)).created
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalar(select(func.count()).select_from(EvidenceFile))
    assert rows == 1
