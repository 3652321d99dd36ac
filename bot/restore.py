"""`jointcheck restore`: an archive of `jointcheck backup` back into an empty data directory.

Every member is hashed as it is read into a staging folder; nothing is put in place until
the manifest and every hash hold. Then the restored database's audit chain is verified
against the restored checkpoints, with the audit key (never in an archive).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.backup_format import (
    CHECKPOINTS,
    DATABASE,
    FILES,
    SQLITE_SIDE_FILES,
    TEMP_PREFIX,
    BackupRefused,
    Meter,
    Silent,
    database_kind,
    sqlite_facts,
)
from bot.restore_archive import check_manifest, extract
from bot.settings import Settings
from handlers.core.db import create_engine, create_sessionmaker, unit_of_work
from handlers.core.i18n import t
from services.common import audit
from services.common.audit_files import read_checkpoints, read_key
from services.common.errors import DomainError


def check_target(settings: Settings) -> None:
    """Refuse unless DATA_DIR is empty (the audit key aside) and no database file is there."""
    root, key = settings.data_dir, settings.audit_files().key.resolve()
    if root.exists() and not root.is_dir():
        raise BackupRefused(f"{root} 不是目录 / {root} is not a directory")
    if root.is_dir():
        extra = sorted(p.name for p in root.iterdir() if p.resolve() != key)
        if extra:
            raise BackupRefused(
                f"数据目录 {root} 不是空的（{extra[0]} 等）；只能恢复到空目录 / the data "
                f"directory {root} is not empty ({extra[0]}, ...): restore only into an empty one"
            )
    db = settings.sqlite_path()
    for path in [] if db is None else [db.with_name(db.name + s) for s in ("", *SQLITE_SIDE_FILES)]:
        if path.exists():
            raise BackupRefused(
                f"数据库文件 {path} 已存在，未覆盖 / the database file {path} already exists: "
                "restore only where there is none"
            )


def check_fits(settings: Settings, archive: Path, manifest: dict[str, Any]) -> None:
    """Refuse an archive of another database kind or of a schema this version does not know."""
    kind = database_kind(settings)
    if manifest["database"] != kind:
        raise BackupRefused(
            f"备份 {archive} 的数据库是 {manifest['database']}，而 DATABASE_URL 是 {kind} / the "
            f"backup {archive} holds a {manifest['database']} database but DATABASE_URL is {kind}"
        )
    revision = manifest.get("schema_revision")
    if revision is not None and revision not in known_revisions():
        raise BackupRefused(
            f"备份 {archive} 的数据库版本 {revision} 未知（由更新版本写成）/ the backup {archive} "
            f"is at schema revision {revision}, unknown to this version: upgrade JointCheck first"
        )


def known_revisions() -> set[str]:
    """Every schema revision in the migrations folder."""
    from alembic.script import ScriptDirectory

    from bot.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {s.revision for s in scripts.walk_revisions()}


def audit_key(settings: Settings, given: Path | None, keyed: bool | None) -> bytes | None:
    """The key to verify with: `given` (copied to AUDIT_KEY_FILE if none is there) or that file."""
    configured = settings.audit_files().key
    try:
        have = read_key(configured)
        key = have if given is None else read_key(given)
    except DomainError as exc:
        where = exc.params.get("path", configured)
        raise BackupRefused(
            f"审计密钥 {where} 无法读取或格式不对 / the audit key {where} is unreadable or not "
            "64 hex digits"
        ) from None
    if given is not None and key is None:
        raise BackupRefused(f"没有审计密钥文件 {given} / there is no audit key file {given}")
    if have is not None and key != have:
        raise BackupRefused(
            f"{given} 与 {configured} 是两把不同的审计密钥 / {given} and {configured} are two "
            "different audit keys: keep only this database's"
        )
    if key is None and keyed:
        raise BackupRefused(
            f"审计条目带密钥签名，需要审计密钥（备份中从不包含）：放到 {configured} 或用 "
            f"--audit-key 指定 / the audit entries are signed: put the audit key (never in a "
            f"backup) at {configured} or pass --audit-key FILE"
        )
    return key


def _target(settings: Settings, name: str) -> Path:
    if name == DATABASE:
        db = settings.sqlite_path()
        assert db is not None  # check_fits: a SQLite archive into a SQLite setting
        return db
    if name == CHECKPOINTS:
        return settings.audit_files().checkpoints
    return settings.data_dir / name[len(FILES) :]


def place(settings: Settings, staging: Path, manifest: dict[str, Any]) -> list[Path]:
    """Move the checked files into place; a checkpoint file already there is kept."""
    kept, moves = [], []
    key = settings.audit_files().key.resolve()
    for entry in manifest["files"]:
        name, dest = entry["path"], _target(settings, entry["path"])
        if name == CHECKPOINTS and dest.exists():
            kept.append(dest)  # outside DATA_DIR and newer: it holds the restored chain to it
        elif dest.exists() or dest.resolve() == key:
            # A file of the archive landing on the key or the database: never over them.
            raise BackupRefused(
                f"备份中的 {name} 会覆盖 {dest}，未恢复任何文件 / {name} of the backup would "
                f"replace {dest}: nothing was restored",
                1,
            )
        else:
            moves.append((staging / name, dest))
    for source, dest in moves:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, dest)
    return kept


@dataclass(frozen=True)
class Restored:
    """A restore done: its manifest, the rows that differ, and the audit verification."""

    manifest: dict[str, Any]
    report: audit.VerifyReport | None
    problem: str | None  # why the audit chain could not be walked, if it could not
    rows_differ: dict[str, tuple[int, int]]  # table: (manifest, restored)
    key_installed: Path | None
    checkpoints_kept: list[Path]

    @property
    def ok(self) -> bool:
        """Every count as in the manifest and the audit chain intact."""
        return not self.rows_differ and self.report is not None and self.report.ok


async def verify_audit(settings: Settings, key: bytes | None) -> audit.VerifyReport:
    """`audit verify` on the restored database, held to the checkpoint file."""
    checkpoints = [r.checkpoint for r in read_checkpoints(settings.audit_files().checkpoints)]
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessionmaker(
            engine, info=None if key is None else audit.session_info(key)
        )
        async with unit_of_work(sessions, write=False) as session:
            return await audit.verify(session, checkpoints)
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class _Unpacked:
    manifest: dict[str, Any]
    key: bytes | None
    kept: list[Path]
    installed: Path | None
    differ: dict[str, tuple[int, int]]


def unpack(settings: Settings, archive: Path, key_file: Path | None, meter: Meter) -> _Unpacked:
    """Everything but the audit walk: check, extract, compare, put in place, count rows."""
    check_target(settings)
    if key_file is not None and not key_file.is_file():
        raise BackupRefused(f"没有审计密钥文件 {key_file} / there is no audit key file {key_file}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + "restore-", dir=settings.data_dir))
    try:
        manifest = check_manifest(archive, extract(archive, staging, meter))
        check_fits(settings, archive, manifest)
        key = audit_key(settings, key_file, manifest.get("audit_keyed"))
        kept = place(settings, staging, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    installed = None
    configured = settings.audit_files().key
    if key is not None and key_file is not None and not configured.exists():
        # The bot needs it there to start.
        installed = configured
        configured.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(key_file, configured)
        configured.chmod(0o600)
    differ: dict[str, tuple[int, int]] = {}
    db = settings.sqlite_path()
    if db is not None and manifest.get("rows") is not None:
        rows = sqlite_facts(db).rows
        differ = {
            table: (n, rows.get(table, -1))
            for table, n in manifest["rows"].items()
            if rows.get(table) != n
        }
    return _Unpacked(manifest, key, kept, installed, differ)


async def restore(
    settings: Settings, archive: Path, *, key_file: Path | None = None, meter: Meter | None = None
) -> Restored:
    """Restore `archive` into the empty DATA_DIR, check every hash, verify the audit chain."""
    done = await asyncio.to_thread(unpack, settings, archive, key_file, meter or Silent())
    report, problem = None, None
    try:
        report = await verify_audit(settings, done.key)
    except DomainError as exc:
        problem = f"{t('zh', exc.key, **exc.params)} / {t('en', exc.key, **exc.params)}"
    except (OSError, SQLAlchemyError) as exc:
        problem = f"无法读取数据库 / the database cannot be read: {exc}"
    return Restored(done.manifest, report, problem, done.differ, done.installed, done.kept)
