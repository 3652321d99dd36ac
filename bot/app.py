"""The composition root: settings, engine, services and transports built in one place."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import migrate
from bot.logs import install_redaction
from bot.settings import Settings
from handlers.accounts import basics, invites
from handlers.core.db import create_engine, create_sessionmaker
from handlers.core.dispatch import Core
from handlers.core.router import Router
from handlers.directory import imports
from handlers.draw import commands as draw_commands
from handlers.draw import plan
from handlers.meetings import commands as meeting_commands
from handlers.records import flow, followup, review, tasks
from handlers.reports import commands as report_commands
from services.common.clock import Clock, SystemClock

log = logging.getLogger(__name__)


def build_router() -> Router:
    """Every feature registers its commands, buttons and flows here, in one visible list."""
    router = Router()
    # Registration order is the order of /help.
    features = (
        basics,
        invites,
        plan,
        draw_commands,
        imports,
        tasks,
        flow,
        followup,
        review,
        report_commands,
        meeting_commands,
    )
    for feature in features:
        feature.register(router)
    return router


@dataclass
class App:
    """The built application: what transports and commands run against."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    router: Router
    core: Core

    async def aclose(self) -> None:
        """Release the database connections."""
        await self.engine.dispose()


async def build_app(settings: Settings, *, clock: Clock | None = None, upgrade: bool = True) -> App:
    """Build the application; by default bring the database schema up to date first."""
    # Every run mode builds the app first: from here on no log line carries a secret.
    install_redaction(settings)
    sqlite_file = settings.sqlite_path()
    if sqlite_file is not None:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    if upgrade:
        before = await migrate.current_revision(engine)
        await migrate.upgrade(engine)
        after = await migrate.current_revision(engine)
        if before != after:
            log.info("database upgraded from %s to %s", before or "empty", after)
    sessions = create_sessionmaker(engine)
    clock = clock or SystemClock()
    router = build_router()
    core = Core(
        sessions,
        router,
        clock,
        conversation_ttl=timedelta(hours=settings.conversation_ttl_hours),
        default_language=settings.default_language,
        files_dir=settings.data_dir,
        policy=settings.policy(),
    )
    return App(settings, engine, sessions, clock, router, core)
