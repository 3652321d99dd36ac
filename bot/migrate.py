"""Schema migrations through Alembic, run from our own event loop.

Starting up checks the schema with one query: the database's `alembic_version` row against
the newest revision named in `migrations/versions/` (read from the files' text). Alembic,
a tenth of a second to import, is loaded only when the schema must change or when asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default; migrations/env.py keeps it

# `revision: str = "0010"` and `down_revision: str | None = "0009"` (or a tuple of them
# where branches merge), as `alembic revision` writes them at the top of each file.
_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=\n]*)?=\s*(.*)$", re.M)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at our migrations and the given database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def alembic_head() -> str:
    """The newest revision as Alembic itself finds it (slow: imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def scanned_head(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The one revision no other file names as its parent; None when not exactly one."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue  # __init__.py, or a file written in a shape we do not read
        revisions.add(found[1])
        down = _DOWN.search(source)
        if down is not None:
            parents.update(_QUOTED.findall(down[1]))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def head_revision() -> str:
    """The newest revision in the migrations folder (its files read; Alembic if unclear)."""
    return scanned_head() or alembic_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None when it has no schema yet (one query)."""
    async with engine.connect() as conn:
        try:
            rows = (await conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))).all()
        except DBAPIError:
            # No version table: an empty database (PostgreSQL needs the rollback).
            await conn.rollback()
            return None
    # One row on a linear history, the one Alembic's own check would return.
    return str(rows[0][0]) if len(rows) == 1 else None


async def is_current(engine: AsyncEngine) -> bool:
    """Whether the database is at the newest revision already."""
    return await current_revision(engine) == head_revision()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database to `revision` (default: the newest); a no-op when it is there."""
    if revision == "head" and await is_current(engine):
        return
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))

    def _run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    await run_migration(engine, _run)


async def run_migration(engine: AsyncEngine, step: Callable[[Connection], None]) -> None:
    """Run an Alembic command in one transaction; on SQLite with foreign keys off meanwhile.

    Batch mode rebuilds a SQLite table by copying it, dropping the old one and renaming the
    copy, while rows of other tables point at it: SQLite's advice is keys off during the
    change (migrations/env.py checks every key before the commit) and on again after.
    """
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            await conn.run_sync(_foreign_keys, False)
        try:
            await conn.run_sync(step)
            await conn.commit()
        finally:
            if sqlite:
                await conn.rollback()
                await conn.run_sync(_foreign_keys, True)


def _foreign_keys(connection: Connection, on: bool) -> None:
    # On the driver's connection: through SQLAlchemy the pragma would follow its BEGIN, and
    # SQLite ignores this pragma inside a transaction.
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()
