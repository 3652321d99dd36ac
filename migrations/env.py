"""Alembic environment: async engine, batch mode on SQLite, our naming convention."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from handlers.core.db import create_engine
from models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on a synchronous connection."""
    # On SQLite the caller (bot.migrate) turns foreign keys off around the migration, as
    # SQLite advises for table rebuilds; every key is checked here before the commit.
    sqlite = connection.dialect.name == "sqlite"
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")


async def run_async_migrations() -> None:
    """Connect with our async engine (same pragmas as the bot) and migrate."""
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
        await connection.commit()
    await engine.dispose()


def run_migrations_offline() -> None:
    """Emit SQL without a database."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    # The bot passes its own connection so that migrations run inside its event loop.
    shared = config.attributes.get("connection")
    if shared is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(shared)
