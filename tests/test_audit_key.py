"""The audit key: made once outside the database, reused, never silently replaced."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot import migrate
from bot.app import build_app
from handlers.core.db import create_engine, unit_of_work
from models.base import UTCDateTime
from services.common import audit
from services.common.audit_files import AuditFiles, create_key, open_key, read_key
from services.common.errors import Conflict, InvalidInput
from tests import audit_fixture as fx
from tests.helpers import console_account, load_demo, row_counts, say

ROOT = Path(__file__).resolve().parent.parent


async def _open(app, path: Path) -> bytes:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return await open_key(session, path)


async def test_first_run_creates_a_private_key_and_warns_to_back_it_up(app, caplog) -> None:
    path = app.settings.data_dir / "keys" / "audit.key"
    with caplog.at_level(logging.WARNING):
        key = await _open(app, path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "keep a copy apart from the database" in caplog.text


async def test_an_existing_key_is_reused_without_a_warning(app, caplog) -> None:
    path = app.settings.data_dir / "own.key"
    first = create_key(path)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert await _open(app, path) == first
    assert caplog.text == ""


async def test_a_missing_key_for_a_keyed_chain_is_refused_and_not_replaced(app) -> None:
    keyed = await fx.keyed(app)
    await fx.write(keyed, 2)
    path = AuditFiles.of(app.settings.data_dir).key
    path.unlink()
    with pytest.raises(Conflict) as refused:
        await _open(app, path)
    assert (refused.value.key, refused.value.params["seq"]) == ("audit.key_missing", 2)
    assert not path.exists()


def test_a_key_file_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    path.write_text("not a key\n", encoding="ascii")
    with pytest.raises(InvalidInput) as refused:
        read_key(path)
    assert refused.value.key == "audit.key_malformed"


async def test_a_key_that_does_not_verify_the_newest_entry_is_logged(app, caplog) -> None:
    keyed = await fx.keyed(app)
    await fx.write(keyed, 2)
    other = create_key(app.settings.data_dir / "other.key")
    with caplog.at_level(logging.ERROR):
        assert await _open(app, app.settings.data_dir / "other.key") == other
    assert "does not verify audit entry 2" in caplog.text


async def test_an_unkeyed_write_after_keyed_entries_is_refused(app) -> None:
    keyed = await fx.keyed(app)
    await fx.write(keyed, 2)
    plain = async_sessionmaker(app.engine, expire_on_commit=False)  # a process without the key
    counts = await row_counts(app)
    with pytest.raises(Conflict) as refused:
        async with unit_of_work(plain) as session:
            await audit.record(session, at=app.clock.now(), actor="clerk", action="test.step")
    assert refused.value.key == "audit.no_key"
    assert await row_counts(app) == counts


_OLD_LOG = sa.table(
    "audit_log",
    *(sa.column(name) for name in ("seq", "actor", "action", "object_type", "object_id")),
    sa.column("at", UTCDateTime()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("prev_hash"),
    sa.column("hash"),
)


async def _history_before_0004(url: str) -> None:
    """Three entries as a database at revision 0003 holds them: plain SHA-256, no scheme."""
    engine = create_engine(url)
    await migrate.upgrade(engine, "0003")
    prev, at = audit.GENESIS, datetime(2026, 1, 5, 2, tzinfo=UTC)
    async with engine.begin() as conn:
        for seq in (1, 2, 3):
            fields = {"seq": seq, "at": at, "actor": "old", "action": "lang.set"}
            fields |= {"object_type": "user", "object_id": "1", "before": None}
            fields |= {"after": {"language": "en"}, "prev_hash": prev}
            prev = audit.entry_hash(**fields)
            await conn.execute(sa.insert(_OLD_LOG).values(**fields, hash=prev))
        await conn.execute(sa.text("INSERT INTO audit_head VALUES (1, 3, :h)"), {"h": prev})
    await engine.dispose()


async def test_an_unmigrated_history_verifies_as_it_is(db_url) -> None:
    await _history_before_0004(db_url)
    engine = create_engine(db_url)
    try:
        async with unit_of_work(async_sessionmaker(engine), write=False) as session:
            report = await audit.verify(session)
    finally:
        await engine.dispose()
    assert report.ok
    assert (report.checked, report.keyed) == (3, 0)


async def test_history_from_before_the_key_verifies_and_keyed_entries_follow(
    db_url, settings_for, clock
) -> None:
    await _history_before_0004(db_url)
    app = await fx.keyed(await build_app(settings_for(db_url), clock=clock))
    try:
        await fx.write(app, 2)
        report = await fx.verify(app)
    finally:
        await app.aclose()
    assert report.ok
    assert (report.checked, report.keyed) == (5, 2)


# The two tests below need the composition root to open the key (bot/app.py) and the
# command line to carry `audit` through bot/cli_audit.py.


async def test_the_app_writes_keyed_entries(app) -> None:
    await load_demo(app)
    await console_account(app, "coord")
    await say(app, "coord", "/lang en")
    report = await fx.verify(app)
    assert report.ok
    assert report.keyed == report.checked > 0


async def test_cli_refuses_a_keyed_chain_without_its_key_in_a_sentence(app) -> None:
    await load_demo(app)
    AuditFiles.of(app.settings.data_dir).key.unlink()
    env = {
        **os.environ,
        "DATABASE_URL": app.settings.database_url,
        "DATA_DIR": str(app.settings.data_dir),
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
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert str(AuditFiles.of(app.settings.data_dir).key) in run.stderr
