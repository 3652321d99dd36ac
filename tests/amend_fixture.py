"""A final draw of the small district (tests/draw_fixture.py) to amend after the draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import (
    Assignment,
    AssignmentMember,
    Department,
    Draw,
    Enterprise,
    Inspector,
    OutboxMessage,
    User,
    UserRole,
)
from services.draw import freeze, run
from services.draw import record as draw_record
from tests import draw_fixture as fx
from tests.helpers import console_account


@dataclass(frozen=True)
class Check:
    """A drawn enterprise: its assignment, code, status and team (certificates, in order)."""

    assignment_id: int
    code: str
    status: str
    team: list[str]


async def coordinator(app: App) -> None:
    """A coordinator `coord` chatting on the console."""
    async with unit_of_work(app.sessions) as session:
        user = User(login="coord", display_name="协调员", created_at=app.clock.now())
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="coordinator"))
    await console_account(app, "coord")


async def drawn(app: App, **plan: Any) -> int:
    """The district with a coordinator, a plan drawn with these overrides; the draw id."""
    await fx.build(app)
    await coordinator(app)
    plan_id = await fx.plan(app, **plan)
    async with unit_of_work(app.sessions) as session:
        frozen = await freeze.freeze(session, None, plan_id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        draw = await run.execute(session, None, frozen.id, "", app.clock.now())
    return draw.id


async def checks(app: App, draw_id: int) -> list[Check]:
    """The draw's checks in rank order."""
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (
            await session.execute(
                select(Assignment.id, Enterprise.credit_code, Assignment.status)
                .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
                .where(Assignment.draw_id == draw_id)
                .order_by(Assignment.position)
            )
        ).all()
        out = []
        for aid, code, status in rows:
            team = await session.scalars(
                select(Inspector.cert_no)
                .join(AssignmentMember, AssignmentMember.inspector_id == Inspector.id)
                .where(AssignmentMember.assignment_id == aid)
                .order_by(AssignmentMember.position)
            )
            out.append(Check(aid, code, status, list(team)))
    return out


async def record(app: App, draw_id: int) -> dict[str, Any]:
    """The draw's published record, as exported."""
    async with unit_of_work(app.sessions, write=False) as session:
        return await draw_record.export_record(session, draw_id)


async def messages(app: App, key: str) -> list[OutboxMessage]:
    """The outbox rows of a catalog key, oldest first."""
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.payload["key"].as_string() == key)
            .order_by(OutboxMessage.id)
        )
        return list(rows.all())


async def user_id(app: App, login: str) -> int:
    """The id of a user by login."""
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(select(User.id).where(User.login == login))
    assert found is not None, login
    return found


async def add_officers(app: App, *certs: tuple[str, str]) -> None:
    """New active officers (certificate, department code), each with a user of that login."""
    async with unit_of_work(app.sessions) as session:
        for cert, dept in certs:
            department = await session.scalar(select(Department.id).where(Department.code == dept))
            assert department is not None
            inspector = Inspector(
                cert_no=cert,
                name=f"检查员{cert}",
                department_id=department,
                cert_expiry=fx.CHECK_END.replace(year=fx.CHECK_END.year + 1),
            )
            session.add(inspector)
            await session.flush()
            user = User(
                login=cert.lower(),
                display_name=inspector.name,
                inspector_id=inspector.id,
                created_at=app.clock.now(),
            )
            session.add(user)
            await session.flush()
            session.add(UserRole(user_id=user.id, role="inspector"))


async def the_draw(app: App, draw_id: int) -> Draw:
    """The draw row as stored."""
    async with unit_of_work(app.sessions, write=False) as session:
        draw = await session.get(Draw, draw_id)
    assert draw is not None
    return draw
