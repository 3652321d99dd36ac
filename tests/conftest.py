"""Shared fixtures: a real database (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.settings import Settings
from services.common.clock import ManualClock

ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "TEST_DATABASE_URL"
START = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A PostgreSQL database of this test run, dropped at the end (None when not set)."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    import asyncio

    name = f"jc_test_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(base)

    async def _admin(sql: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(sql))
        await engine.dispose()

    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_database: str | None
) -> AsyncIterator[str]:
    """An empty database URL: a fresh SQLite file, or a freshly emptied PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    if pg_database is None:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL tests skipped")
    engine = create_async_engine(pg_database, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    yield pg_database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database URL, for tests about SQLite itself."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run `python -m bot ARGS` as a clerk would, on a fresh SQLite file of this test."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "DATA_DIR": str(tmp_path / "data"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves by hand."""
    return ManualClock(START)


@pytest.fixture
def settings_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Build settings for a database URL, with files under the test's folder."""

    def _make(url: str) -> Settings:
        return Settings(_env_file=None, database_url=url, data_dir=tmp_path / "data")

    return _make


@pytest.fixture
async def app(db_url: str, clock: ManualClock, settings_for) -> AsyncIterator[App]:  # type: ignore[no-untyped-def]
    """The whole application on a migrated, empty database."""
    application = await build_app(settings_for(db_url), clock=clock)
    try:
        yield application
    finally:
        await application.aclose()
