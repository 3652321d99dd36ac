"""An audit history written with the audit key, and what a forger without the key can do."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.app import App
from handlers.core.db import unit_of_work
from models import AuditEntry, AuditHead
from services.common import audit
from services.common.audit_files import AuditFiles, open_key

HASHED = ("seq", "at", "actor", "action", "object_type", "object_id", "before", "after")


async def keyed(app: App) -> App:
    """The app with sessions carrying the key of its data directory, as build_app gives them."""
    async with unit_of_work(app.sessions, write=False) as session:
        key = await open_key(session, AuditFiles.of(app.settings.data_dir).key)
    sessions = async_sessionmaker(
        app.engine, expire_on_commit=False, autoflush=True, info=audit.session_info(key)
    )
    return replace(app, sessions=sessions)


async def write(app: App, count: int) -> None:
    """Append `count` entries in one transaction."""
    async with unit_of_work(app.sessions) as session:
        for i in range(count):
            await audit.record(
                session, at=app.clock.now(), actor="clerk", action="test.step", after={"i": i}
            )


async def head(app: App) -> audit.Checkpoint:
    """The head as the database holds it now."""
    async with unit_of_work(app.sessions, write=False) as session:
        return await audit.head(session)


async def verify(app: App, *checkpoints: audit.Checkpoint) -> audit.VerifyReport:
    """Walk the chain against the given checkpoints."""
    async with unit_of_work(app.sessions, write=False) as session:
        return await audit.verify(session, checkpoints)


async def forge(app: App, start: int, key: bytes | None) -> None:
    """Edit entry `start` and recompute every hash after it, as a forger holding only the
    database would: with plain SHA-256 (key None) or with a key of their own."""
    async with unit_of_work(app.sessions) as session:
        before = await session.get(AuditEntry, start - 1)
        prev = audit.GENESIS if before is None else before.hash
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.seq >= start).order_by(AuditEntry.seq)
        )
        for row in rows.all():
            if row.seq == start:
                row.after = {"i": "forged"}
            row.prev_hash = prev
            fields = {name: getattr(row, name) for name in HASHED}
            row.hash = audit.entry_hash(**fields, prev_hash=prev, key=key)
            row.scheme = audit.PLAIN if key is None else audit.KEYED
            prev = row.hash
        head_row = await session.get(AuditHead, 1)
        assert head_row is not None
        head_row.hash = prev
