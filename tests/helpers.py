"""Small helpers shared by tests: counting rows, loading the demo district."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.model import Incoming, Reply
from models import Base
from services.common.clock import local_today
from services.directory import demo


async def row_counts(app: App) -> dict[str, int]:
    """Rows in every table, to show that an action changed nothing."""
    counts = {}
    async with unit_of_work(app.sessions, write=False) as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = await session.scalar(select(func.count()).select_from(table)) or 0
    return counts


async def load_demo(app: App) -> None:
    """Load the demo district."""
    async with unit_of_work(app.sessions) as session:
        await demo.load(session, local_today(app.clock), app.clock.now())


async def console_account(app: App, login: str) -> None:
    """Bind the console account of a demo login."""
    from services.accounts.users import ensure_local_account

    async with unit_of_work(app.sessions) as session:
        await ensure_local_account(session, "console", login, app.clock.now())


async def say(
    app: App, login: str, text: str | None = None, button: str | None = None
) -> list[Reply]:
    """Send a text or a button press from a console user and return the replies."""
    return await app.core.handle(
        Incoming("console", login, login, sender_name=login, text=text, button=button)
    )


def texts(replies: list[Reply]) -> str:
    """All reply texts joined, for assertions."""
    return "\n".join(r.text for r in replies)
