"""The composition root: settings, engine, services and transports built in one place."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import migrate
from bot.logs import install_redaction
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.accounts import basics, invites, people
from handlers.calendar import commands as calendar_commands
from handlers.core.db import create_engine, create_sessionmaker, unit_of_work
from handlers.core.dispatch import Core
from handlers.core.router import Router
from handlers.directory import imports
from handlers.directory import items as directory_items
from handlers.documents import commands as document_commands
from handlers.draw import amend as draw_amend
from handlers.draw import annual as draw_annual
from handlers.draw import commands as draw_commands
from handlers.draw import plan
from handlers.meetings import commands as meeting_commands
from handlers.publicity import abnormal as publicity_abnormal
from handlers.publicity import objections as publicity_objections
from handlers.records import flow, followup, review, signing, tasks
from handlers.reports import commands as report_commands
from handlers.reports import progress as report_progress
from services.common import audit
from services.common.audit_files import open_key
from services.common.clock import Clock, SystemClock
from services.directory.imports.limits import Limits

if TYPE_CHECKING:
    from services.documents.config import DocumentSetup

log = logging.getLogger(__name__)


def build_router(
    limits: Limits | None = None,
    results_template: Path | None = None,
    *,
    sign_url: str = signing.DEFAULT_BASE_URL,
    sign_minutes: int = signing.DEFAULT_MINUTES,
    documents: DocumentSetup | None = None,
) -> Router:
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
        draw_annual.register,
        partial(imports.register, limits=limits, results_template=results_template),
        directory_items.register,
        tasks.register,
        flow.register,
        followup.register,
        review.register,
        partial(signing.register, base_url=sign_url, minutes=sign_minutes),
        publicity_objections.register,
        publicity_abnormal.register,
        report_commands.register,
        report_progress.register,
        partial(document_commands.register, setup=documents),
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
    # This process's metrics (served by `jointcheck run` on METRICS_PORT).
    metrics: Metrics

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


async def _sync_result_codes(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> None:
    """Make the result categories match the codes file (the default or RESULT_CODES_FILE)."""
    from services.records import codes, codes_file

    tree = codes_file.load(settings.result_codes_file)  # a broken file stops the start
    source = codes_file.source_name(settings.result_codes_file)
    async with unit_of_work(sessions) as session:
        report = await codes.sync(session, tree, clock.now(), source=source)
    if report.changed:
        log.info(
            "result codes from %s: %d added, %d updated, %d retired",
            source,
            len(report.added),
            len(report.updated),
            len(report.retired),
        )


async def build_app(settings: Settings, *, clock: Clock | None = None, upgrade: bool = True) -> App:
    """Build the application; by default bring the database schema up to date first."""
    # Every run mode builds the app first: from here on no log line carries a secret.
    install_redaction(settings)
    sqlite_file = settings.sqlite_path()
    if sqlite_file is not None:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    if upgrade:
        # One query when the schema is current; Alembic is loaded only to change it.
        before = await migrate.current_revision(engine)
        head = migrate.head_revision()
        if before != head:
            await migrate.upgrade(engine)
            log.info("database upgraded from %s to %s", before or "empty", head)
    try:
        sessions = await _keyed_sessions(engine, settings)
    except BaseException:
        await engine.dispose()
        raise
    clock = clock or SystemClock()
    if upgrade:
        try:
            await _sync_result_codes(sessions, settings, clock)
        except BaseException:
            await engine.dispose()
            raise
    router = build_router(
        settings.import_limits(),
        settings.results_export_template,
        sign_url=signing.base_url(settings.public_base_url, settings.web_host, settings.web_port),
        sign_minutes=settings.signature_link_minutes,
        documents=settings.document_setup(),
    )
    metrics = Metrics()
    metrics.watch(engine)  # audited actions (draws, imports, records) counted as they commit
    core = Core(
        sessions,
        router,
        clock,
        conversation_ttl=timedelta(hours=settings.conversation_ttl_hours),
        default_language=settings.default_language,
        files_dir=settings.data_dir,
        policy=settings.policy(),
        observer=metrics,
    )
    return App(settings, engine, sessions, clock, router, core, metrics)
