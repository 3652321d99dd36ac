"""PostgreSQL: `pg_dump -Fc` and `pg_restore` into a fresh database, the files by `backup`.

Runs when TEST_DATABASE_URL answers and pg_dump / pg_restore are on PATH; otherwise the
reason is printed and the tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot import cli_backup
from bot.app import build_app
from bot.settings import Settings
from services.common.clock import ManualClock
from tests import backup_fixture as fx
from tests.conftest import PG_ENV
from tests.helpers import load_demo, row_counts


def _skip_reason() -> str | None:
    base = os.environ.get(PG_ENV)
    if not base:
        return f"{PG_ENV} not set"
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not on PATH"
    url = make_url(base)
    try:
        socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=5).close()
    except OSError as exc:
        return f"PostgreSQL does not answer at {url.host}:{url.port}: {exc}"
    return None


REASON = _skip_reason()
if REASON is not None:
    print(f"tests/test_backup_pg.py skipped: {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"PostgreSQL backup: {REASON}")


def libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(sql: str) -> None:
    engine = create_async_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture
async def source_url(pg_database: str | None) -> AsyncIterator[str]:
    """This run's PostgreSQL database with an empty public schema."""
    assert pg_database is not None
    engine = create_async_engine(pg_database, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    yield pg_database


@pytest.fixture
async def fresh_url(source_url: str) -> AsyncIterator[str]:
    """A database created for the restore, dropped afterwards."""
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(source_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(*argv: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{argv[0]} failed: {done.stderr}"


async def test_pg_dump_and_restore_with_the_files_archive_give_the_same_rows(
    tmp_path: Path,
    clock: ManualClock,
    source_url: str,
    fresh_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = Settings(_env_file=None, database_url=source_url, data_dir=tmp_path / "src")
    app = await build_app(source, clock=clock)
    try:
        await load_demo(app)
        await fx.issue(app, 5)
        (tmp_path / "src" / "uploads").mkdir()
        (tmp_path / "src" / "uploads" / "list.csv").write_bytes(b"a,b\n")
        counts = await row_counts(app)
    finally:
        await app.aclose()

    # The README's steps: the database with pg_dump, the files with `jointcheck backup`.
    dump = tmp_path / "jointcheck.dump"
    _run("pg_dump", "-Fc", "-f", str(dump), libpq(source_url))
    assert await cli_backup.run(["backup", str(tmp_path / "files.tar.gz")], source) == 0
    out = capsys.readouterr().out
    assert "pg_dump -Fc" in out and out.strip().splitlines()[-1] == str(tmp_path / "files.tar.gz")
    manifest = fx.manifest(tmp_path / "files.tar.gz")
    assert manifest["database"] == "postgresql" and manifest["schema_revision"]
    assert "database.sqlite3" not in fx.members(tmp_path / "files.tar.gz")

    _run("pg_restore", "--no-owner", "--exit-on-error", "-d", libpq(fresh_url), str(dump))
    target = Settings(_env_file=None, database_url=fresh_url, data_dir=tmp_path / "dst")
    key = source.audit_files().key
    code = await cli_backup.run(
        ["restore", str(tmp_path / "files.tar.gz"), "--audit-key", str(key)], target
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "audit chain intact" in out
    assert (tmp_path / "dst" / "uploads" / "list.csv").read_bytes() == b"a,b\n"

    restored = await build_app(target, clock=clock)
    try:
        assert await row_counts(restored) == counts
    finally:
        await restored.aclose()
