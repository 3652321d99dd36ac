"""The backup archive's format, and the SQLite copy it holds (see `bot.backup`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from bot.settings import Settings
from models import AuditEntry
from services.common.audit import KEYED

FORMAT = "jointcheck-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
CHECKPOINTS = "checkpoints.txt"
FILES = "files/"
TEMP_PREFIX = ".jointcheck-"  # temporary files and folders of backup and restore
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
_CHUNK = 1024 * 1024


class Meter(Protocol):
    """What shows progress: `bot.progress.Progress`, or a test's own."""

    def update(self, n: int = 1) -> None:
        """Count `n` more units as done."""

    def set_total(self, total: int | None) -> None:
        """Set the total once it is known."""


class Silent:
    """A meter that shows nothing (scheduled backups, tests)."""

    def update(self, n: int = 1) -> None:
        pass

    def set_total(self, total: int | None) -> None:
        pass


class BackupRefused(Exception):
    """A backup or restore refused: a bilingual sentence to print, and the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def database_kind(settings: Settings) -> str:
    """ "sqlite" or "postgresql", as DATABASE_URL says; refused for anything else."""
    if settings.sqlite_path() is not None:
        return "sqlite"
    if settings.database_url.startswith("postgresql"):
        return "postgresql"
    raise BackupRefused(
        "DATABASE_URL 既不是 SQLite 文件也不是 PostgreSQL，无法备份 / DATABASE_URL is neither "
        "a SQLite file nor PostgreSQL: nothing to back up"
    )


def default_name(now: datetime) -> str:
    """The name of an archive taken at `now`: jointcheck-YYYYmmddTHHMMSSZ.tar.gz (UTC)."""
    return f"jointcheck-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def snapshot_sqlite(source: Path, copy: Path) -> None:
    """Copy the SQLite database with the online backup API: consistent while others write."""
    if not source.is_file():  # sqlite3.connect would create an empty one
        raise BackupRefused(f"数据库文件 {source} 不存在 / there is no database file {source}")
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(copy)
            try:
                # pages=-1: one step in one read transaction, so the copy is one moment of
                # the database; in WAL mode the bot's writers go on meanwhile.
                src.backup(dst, pages=-1)
                # One self-contained file: the bot switches back to WAL when it opens it.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupRefused(
            f"数据库 {source} 无法复制：{exc} / the database {source} could not be copied: {exc}", 1
        ) from None


@dataclass(frozen=True)
class SqliteFacts:
    """What a SQLite file holds: schema revision, rows per table, keyed audit entries."""

    revision: str | None
    rows: dict[str, int]
    keyed: bool


def sqlite_facts(path: Path) -> SqliteFacts:
    """Read the schema revision, every table's row count and whether audit entries are keyed."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        rows = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        revision = None
        if "alembic_version" in rows:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if found is None else str(found[0])
        audit = AuditEntry.__tablename__
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{audit}")')}
        keyed = "scheme" in columns and (
            conn.execute(f'SELECT 1 FROM "{audit}" WHERE scheme = ? LIMIT 1', (KEYED,)).fetchone()
            is not None
        )
    finally:
        conn.close()
    return SqliteFacts(revision, rows, keyed)
