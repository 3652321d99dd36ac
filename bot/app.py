"""The composition root: settings, engine, services and transports built in one place."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import migrate
from bot.logs import install_redaction
from bot.settings import Settings
from handlers.accounts import basics, invites, people
from handlers.calendar import commands as calendar_commands
from handlers.core.db import create_engine, create_sessionmaker, unit_of_work
from handlers.core.dispatch import Core
from handlers.core.router import Router
from handlers.directory import imports
from handlers.draw import amend as draw_amend
from handlers.draw import commands as draw_commands
from handlers.draw import plan
from handlers.meetings import commands as meeting_commands
from handlers.records import flow, followup, review, tasks
from handlers.reports import commands as report_commands
from services.common import audit
from services.common.audit_files import open_key
from services.common.clock import Clock, SystemClock
from services.directory.imports.limits import Limits

log = logging.getLogger(__name__)


def build_router(limits: Limits | None = None) -> Router:
    """Every feature registers its commands, buttons and flows here, in one visible list."""
    router = Router()
    # Registration order is the order of /help.
    registrations: tuple[Callable[[Router], None], ...] = (
        basics.register,
        invites.register,
        people.register,
        plan.register,
        draw_commands.register,
        draw_amend.register,
        partial(imports.register, limits=limits),
        tasks.register,
        flow.register,
        followup.register,
        review.register,
        report_commands.register,
        meeting_commands.register,
        calendar_commands.register,
    )
    for register in registrations:
        register(router)
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


async def _keyed_sessions(
    engine: AsyncEngine, settings: Settings
) -> async_sessionmaker[AsyncSession]:
    """Sessions carrying the audit key: made on first run, refused if a keyed chain lost it."""
    async with unit_of_work(create_sessionmaker(engine), write=False) as session:
        key = await open_key(session, settings.audit_files().key)
    return create_sessionmaker(engine, info=audit.session_info(key))


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
    try:
        sessions = await _keyed_sessions(engine, settings)
    except BaseException:
        await engine.dispose()
        raise
    clock = clock or SystemClock()
    router = build_router(settings.import_limits())
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
