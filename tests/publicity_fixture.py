"""Published parts for the tests of what follows publication (objections, abnormal list).

The district of `records_fixture`: two food shops drawn for a plan over item I2, whose one
department (X, 乐都区市场监督管理局) records, reviews and publishes each shop's part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import func, select

from bot.app import App
from bot.public_history import history_routes
from bot.public_objections import objection_routes
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import Department, Objection, OutboxMessage, User, UserRole
from tests import records_fixture as rf

UNREACHABLE = ("pending_follow_up", "market_rules", "unreachable")
DEPARTMENT_X = rf.DEPARTMENTS["X"]


@dataclass(frozen=True)
class District:
    """The drawn plan's two teams and the published part of the first shop."""

    mine: rf.Team
    other: rf.Team
    result_id: int


async def district(app: App, categories: tuple[str, ...] = ("no_problem",)) -> District:
    """The district with the first shop's part published with `categories`."""
    _, mine, other = await rf.ready(app)
    rid = await rf.published(app, mine, categories=categories)
    return District(mine, other, rid)


async def reviewer(app: App, login: str, department_code: str) -> None:
    """A reviewer of one department, with a console account."""
    from tests.helpers import console_account

    async with unit_of_work(app.sessions) as session:
        department_id = await session.scalar(
            select(Department.id).where(Department.code == department_code)
        )
        user = User(
            login=login,
            display_name=f"审核 {login}",
            department_id=department_id,
            created_at=app.clock.now(),
        )
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role="reviewer"))
    await console_account(app, login)


async def outbox_for(app: App, login: str, kind: str) -> list[dict[str, object]]:
    """The payloads queued for a login, of one kind."""
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalars(
            select(OutboxMessage.payload)
            .join(User, User.id == OutboxMessage.recipient_user_id)
            .where(User.login == login, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
        return [dict(p) for p in rows.all()]


async def objection_count(app: App) -> int:
    """How many objections exist."""
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(select(func.count()).select_from(Objection)) or 0


def client(app: App, address: str = "198.51.100.7") -> httpx.AsyncClient:
    """A client of the web app with the history and objection routes, from `address`."""
    web = create_web_app(app, extra_routes=history_routes(app) + objection_routes(app))
    transport = httpx.ASGITransport(app=web, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def later(app: App, days: int) -> datetime:
    """The app's clock moved `days` days on; the new now."""
    from datetime import timedelta

    clock = app.clock
    now = clock.now() + timedelta(days=days)
    clock.set(now)  # type: ignore[attr-defined]
    return now


def with_chat(app: App) -> None:
    """The publicity commands in the app's router (until bot/app.py lists them itself)."""
    from handlers.publicity import abnormal, objections

    if "objection" not in app.router.commands:
        objections.register(app.router)
    if "abnormal" not in app.router.commands:
        abnormal.register(app.router)
