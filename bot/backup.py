"""`jointcheck backup`: one archive of the database, the data files and the checkpoints.

The archive is a gzip'd tar holding, in this order:

- `database.sqlite3`: the SQLite database, copied with SQLite's online backup API (a
  consistent snapshot while the bot writes); absent on PostgreSQL (pg_dump does that);
- `files/<path>`: every file under DATA_DIR (evidence, uploaded and exported lists, ...);
- `checkpoints.txt`: the audit checkpoint file;
- `manifest.json`, last: format, time, database kind, schema revision, row counts and
  every member's path, size and SHA-256.

Never in it: the audit key (kept apart, see README), logs, the database's -wal/-shm files.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from bot.backup_format import (
    CHECKPOINTS,
    DATABASE,
    FILES,
    FORMAT,
    MANIFEST,
    SQLITE_SIDE_FILES,
    TEMP_PREFIX,
    VERSION,
    BackupRefused,
    Meter,
    Silent,
    database_kind,
    snapshot_sqlite,
    sqlite_facts,
)
from bot.settings import Settings


@dataclass(frozen=True)
class Written:
    """An archive written, and its manifest."""

    path: Path
    manifest: dict[str, Any]


def _skipped(settings: Settings, target: Path) -> set[Path]:
    """What under DATA_DIR is not copied as a file: the key, the database, the backups."""
    audit = settings.audit_files()
    skip = {audit.key, settings.data_dir / "audit.key", audit.checkpoints, target}
    skip.add(settings.backup_dir)
    db = settings.sqlite_path()
    if db is not None:
        skip.update(db.with_name(db.name + side) for side in ("", *SQLITE_SIDE_FILES))
    return {p.resolve() for p in skip}


def data_files(settings: Settings, target: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of every regular file under DATA_DIR that a backup holds."""
    root = settings.data_dir
    if not root.is_dir():
        return []
    skip = _skipped(settings, target)
    found = []
    for folder, dirs, names in os.walk(root):  # symbolic links are not followed
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(TEMP_PREFIX) and (here / d).resolve() not in skip
        )
        for name in sorted(names):
            path = here / name
            # Half-written evidence (.part-), logs and our own temporary files stay behind.
            if name.startswith((TEMP_PREFIX, ".part-")) or name.endswith(".log"):
                continue
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return found


class _Hashing:
    """A reader that hashes exactly the bytes tarfile copies into the archive."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as raw:
        stat = os.fstat(raw.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _Hashing(raw)
        tar.addfile(info, reader)  # read() is all tarfile uses
    return {"path": name, "size": info.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: datetime) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime.timestamp()), 0o600
    tar.addfile(info, _Bytes(data))
    return {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


def write_archive(
    settings: Settings, target: Path, *, now: datetime, revision: str | None, meter: Meter
) -> dict[str, Any]:
    """Write the archive to `target` (whole or not at all); return its manifest."""
    kind = database_kind(settings)
    if target.exists():
        raise BackupRefused(
            f"{target} 已存在，未覆盖 / {target} already exists: choose another name"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    checkpoint_file = settings.audit_files().checkpoints
    # Read before the snapshot: a checkpoint must never name an entry the copy lacks.
    checkpoints = checkpoint_file.read_bytes() if checkpoint_file.is_file() else None
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": now.astimezone(UTC).isoformat(),
        "database": kind,
        "schema_revision": revision,
        "rows": None,
        "audit_keyed": None,
        "files": [],
    }
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=target.parent) as tmp:
        copy = Path(tmp) / DATABASE
        db = settings.sqlite_path()
        if db is not None:
            snapshot_sqlite(db, copy)
            facts = sqlite_facts(copy)
            manifest.update(
                schema_revision=facts.revision, rows=facts.rows, audit_keyed=facts.keyed
            )
        # Listed after the snapshot: every evidence file a copied row names is on disk.
        files = data_files(settings, target)
        meter.set_total(len(files) + (db is not None) + (checkpoints is not None))
        part = Path(tmp) / "archive.part"
        entries = manifest["files"]
        try:
            with tarfile.open(part, "w:gz", compresslevel=6) as tar:
                if db is not None:
                    entries.append(_add_file(tar, DATABASE, copy))
                    meter.update(1)
                for relative, path in files:
                    try:
                        entries.append(_add_file(tar, FILES + relative, path))
                    except FileNotFoundError:
                        continue  # an export deleted meanwhile: nothing to keep
                    meter.update(1)
                if checkpoints is not None:
                    entries.append(_add_bytes(tar, CHECKPOINTS, checkpoints, now))
                    meter.update(1)
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                _add_bytes(tar, MANIFEST, body, now)
        except OSError as exc:
            raise BackupRefused(
                f"备份 {target} 未能写完：{exc} / the backup {target} could not be written: {exc}",
                1,
            ) from None
        os.replace(part, target)  # the same folder: an archive is never seen half-written
    return manifest


async def create_backup(
    settings: Settings, target: Path, *, now: datetime, meter: Meter | None = None
) -> Written:
    """Write one archive to `target`, in a thread so that the bot's event loop goes on."""
    revision = None
    if database_kind(settings) == "postgresql":
        revision = await _pg_revision(settings)
    manifest = await asyncio.to_thread(
        write_archive, settings, target, now=now, revision=revision, meter=meter or Silent()
    )
    return Written(target, manifest)


async def _pg_revision(settings: Settings) -> str | None:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.migrate import current_revision
    from handlers.core.db import create_engine

    engine = create_engine(settings.database_url)
    try:
        return await current_revision(engine)
    except (OSError, SQLAlchemyError) as exc:
        raise BackupRefused(
            f"无法连接数据库：{exc} / the database does not answer: {exc}", 1
        ) from None
    finally:
        await engine.dispose()
