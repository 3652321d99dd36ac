"""The schema is created by the migrations, and an older database is upgraded on start."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot import migrate
from bot.app import build_app
from handlers.core.db import create_engine, unit_of_work
from models import Base, ResultCategory


async def test_start_on_empty_database_creates_schema(db_url, settings_for, clock) -> None:
    app = await build_app(settings_for(db_url), clock=clock)
    try:
        assert await migrate.current_revision(app.engine) == migrate.head_revision()
        async with unit_of_work(app.sessions, write=False) as session:
            count = await session.scalar(select(func.count()).select_from(ResultCategory))
        assert count == 18  # 15 categories of 0002 and the 3 parents 0011 adds
    finally:
        await app.aclose()


async def test_start_on_older_database_upgrades_it(db_url, settings_for, clock) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine, "0001")
    assert await migrate.current_revision(engine) == "0001"
    await engine.dispose()

    app = await build_app(settings_for(db_url), clock=clock)
    try:
        assert await migrate.current_revision(app.engine) == migrate.head_revision()
        async with unit_of_work(app.sessions, write=False) as session:
            names = (await session.scalars(select(ResultCategory.name_zh))).all()
        assert "发现问题经责令已改正" in names
    finally:
        await app.aclose()


async def test_migrations_match_the_models(db_url) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)

    def _diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    await engine.dispose()
    assert diff == []
