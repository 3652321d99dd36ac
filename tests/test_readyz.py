"""/readyz: ready while the database answers and the scheduler's heartbeat is recent."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.health import create_metrics_app
from bot.web import create_web_app
from scheduler.runner import beat

PG_ENV = "TEST_DATABASE_URL"


async def readyz(app: App, *, metrics_port: bool = False) -> httpx.Response:
    """GET /readyz of the public web app (or of the metrics port's app)."""
    web = create_metrics_app(app) if metrics_port else create_web_app(app)
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://jc") as client:
        return await client.get("/readyz")


async def test_ready_only_with_a_recent_heartbeat(app: App) -> None:
    never = await readyz(app)
    assert never.status_code == 503
    assert never.json() == {
        "status": "unavailable",
        "database": "ok",
        "scheduler": "no heartbeat",
    }
    await beat(app.sessions, app.clock)  # what the scheduler does every half minute
    for metrics_port in (False, True):
        ready = await readyz(app, metrics_port=metrics_port)
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ready",
            "database": "ok",
            "scheduler": "ok",
            "heartbeat_age_seconds": 0,
        }
    limit = app.settings.readyz_heartbeat_seconds
    app.clock.advance(timedelta(seconds=limit))
    assert (await readyz(app)).status_code == 200
    app.clock.advance(timedelta(seconds=1))
    stale = await readyz(app)
    assert stale.status_code == 503
    assert stale.json()["scheduler"] == "heartbeat too old"
    assert stale.json()["heartbeat_age_seconds"] == limit + 1
    await beat(app.sessions, app.clock)
    assert (await readyz(app)).status_code == 200


@pytest.fixture(params=["sqlite", "postgresql"])
async def doomed(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """(database URL, kind) of a database of this test alone, which it may take away."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'db' / 'ready.db'}", "sqlite"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL tests skipped")
    admin = create_async_engine(make_url(base), isolation_level="AUTOCOMMIT")
    name = f"jc_readyz_{uuid.uuid4().hex[:12]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        yield url, name
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def test_not_ready_when_the_database_is_gone(
    doomed: tuple[str, str], settings_for, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, what = doomed
    app = await build_app(settings_for(url), clock=clock)
    try:
        await beat(app.sessions, app.clock)
        assert (await readyz(app)).status_code == 200
        if what == "sqlite":
            # The file's folder goes away: no connection can open the database again.
            await app.engine.dispose()
            (tmp_path / "db").rename(tmp_path / "gone")
        else:
            base = make_url(os.environ[PG_ENV])
            admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE "{what}" WITH (FORCE)'))
            await admin.dispose()
        for _ in range(2):  # a pooled connection found dead, then a new one refused
            gone = await readyz(app)
            assert gone.status_code == 503
            assert gone.json() == {
                "status": "unavailable",
                "database": "unavailable",
                "scheduler": "unknown",
            }
    finally:
        await app.aclose()
