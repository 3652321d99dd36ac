"""The audit chain: every change is chained; editing or deleting an entry is detected."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete, select, update

from handlers.core.db import unit_of_work
from models import AuditEntry
from services.common import audit
from tests.helpers import console_account, load_demo, say

ROOT = Path(__file__).resolve().parent.parent


async def _history(app) -> int:  # type: ignore[no-untyped-def]
    await load_demo(app)
    await console_account(app, "coord")
    for lang in ("en", "zh", "en", "zh"):
        await say(app, "coord", f"/lang {lang}")
    async with unit_of_work(app.sessions, write=False) as session:
        report = await audit.verify(session)
    assert report.ok
    return report.checked


async def _verify(app) -> audit.VerifyReport:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return await audit.verify(session)


async def test_intact_chain_verifies(app) -> None:
    assert await _history(app) == 5


async def test_edited_entry_is_named(app) -> None:
    await _history(app)
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(AuditEntry).where(AuditEntry.seq == 3).values(after={"language": "fr"})
        )
    report = await _verify(app)
    assert (report.broken_seq, report.reason) == (3, "altered")


async def test_deleted_middle_entry_is_named(app) -> None:
    await _history(app)
    async with unit_of_work(app.sessions) as session:
        await session.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    report = await _verify(app)
    assert (report.broken_seq, report.reason) == (2, "missing")


async def test_deleted_last_entry_is_detected(app) -> None:
    await _history(app)
    async with unit_of_work(app.sessions) as session:
        last = await session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
        await session.execute(delete(AuditEntry).where(AuditEntry.seq == last))
    report = await _verify(app)
    assert not report.ok
    assert report.broken_seq == 5


async def test_cli_verify_names_the_broken_entry(app) -> None:
    await _history(app)
    async with unit_of_work(app.sessions) as session:
        await session.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(actor="x"))
    env = {
        **os.environ,
        "DATABASE_URL": app.settings.database_url,
        "DATA_DIR": str(app.settings.data_dir),  # where the app keeps its audit key
    }
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "entry 4" in run.stdout
