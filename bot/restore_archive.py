"""Reading a backup archive: every member checked, hashed and compared with the manifest.

A member is refused unless it is a regular file with a safe relative name (no `..`, no
absolute path, no link); a damaged or cut-off archive, a missing or altered manifest, and a
file whose size or SHA-256 differs are refused with a sentence naming the archive and file.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bot.backup_format import (
    CHECKPOINTS,
    DATABASE,
    FILES,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupRefused,
    Meter,
)

_CHUNK = 1024 * 1024
_MANIFEST_LIMIT = 64 * 1024 * 1024
_SHA = re.compile(r"[0-9a-f]{64}")


def _damaged(archive: Path, why: str) -> BackupRefused:
    return BackupRefused(
        f"备份文件 {archive} 已损坏，未恢复任何文件：{why} / the backup {archive} is damaged, "
        f"nothing was restored: {why}",
        1,
    )


def _member_name(member: tarfile.TarInfo, archive: Path, seen: set[str]) -> str:
    name = member.name
    parts = name.split("/")
    unsafe = (
        not member.isfile()
        or name.startswith("/")
        or "\\" in name
        or any(p in ("", ".", "..") for p in parts)
        or (name not in (MANIFEST, DATABASE, CHECKPOINTS) and not name.startswith(FILES))
        or name in seen
    )
    if unsafe:
        raise BackupRefused(
            f"备份 {archive} 含有不安全或意外的成员 {name!r}，未恢复任何文件 / the backup "
            f"{archive} holds an unsafe or unexpected member {name!r}: nothing was restored",
            1,
        )
    seen.add(name)
    return name


def _copy(source: IO[bytes], dest: Path) -> tuple[int, str]:
    """Copy a member to `dest`; its size and SHA-256. Read errors are the archive's."""
    digest, size = hashlib.sha256(), 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("xb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            try:
                out.write(chunk)
            except OSError as exc:
                raise BackupRefused(
                    f"无法写入 {dest}：{exc} / cannot write {dest}: {exc}", 1
                ) from None
    dest.chmod(0o600)
    return size, digest.hexdigest()


@dataclass
class _Read:
    manifest: bytes | None = None
    found: dict[str, tuple[int, str]] = field(default_factory=dict)


def extract(archive: Path, staging: Path, meter: Meter) -> _Read:
    """Read every member into `staging`, hashing it; the manifest is kept in memory."""
    read, seen, done = _Read(), set[str](), 0
    try:
        raw = archive.open("rb")
    except OSError as exc:
        raise BackupRefused(
            f"无法打开 {archive}：{exc} / cannot open {archive}: {exc}", 2
        ) from None
    with raw:
        meter.set_total(max(1, archive.stat().st_size // 1024))
        try:
            with tarfile.open(fileobj=raw, mode="r:*") as tar:
                for member in tar:
                    name = _member_name(member, archive, seen)
                    source = tar.extractfile(member)
                    assert source is not None  # a regular file, checked above
                    if name == MANIFEST:
                        if member.size > _MANIFEST_LIMIT:
                            raise _damaged(archive, f"{MANIFEST} is too large")
                        read.manifest = source.read()
                    else:
                        read.found[name] = _copy(source, staging / name)
                    now = raw.tell() // 1024
                    meter.update(now - done)
                    done = now
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise _damaged(archive, f"{type(exc).__name__}: {exc}") from None
    return read


def check_manifest(archive: Path, read: _Read) -> dict[str, Any]:
    """The manifest, once it is well formed and every member matches its size and hash."""
    if read.manifest is None:
        raise _damaged(archive, f"no {MANIFEST} in it")
    try:
        manifest = json.loads(read.manifest)
        files = manifest["files"]
        listed = {e["path"]: (e["size"], e["sha256"]) for e in files}
        well_formed = (
            manifest["format"] == FORMAT
            and isinstance(manifest["version"], int)
            and manifest["database"] in ("sqlite", "postgresql")
            # The database is in the archive exactly when it is SQLite.
            and (DATABASE in listed) == (manifest["database"] == "sqlite")
            and all(
                isinstance(p, str) and isinstance(n, int) and _SHA.fullmatch(str(h))
                for p, (n, h) in listed.items()
            )
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        well_formed = False
    if not well_formed:
        raise _damaged(archive, f"{MANIFEST} is not a JointCheck manifest")
    if manifest["version"] > VERSION:
        raise BackupRefused(
            f"备份 {archive} 由更新版本的 JointCheck 写成 / the backup {archive} was written by "
            f"a newer JointCheck (format {manifest['version']}): upgrade first",
            2,
        )
    for path, (size, sha) in listed.items():
        if path not in read.found:
            raise _damaged(archive, f"{path} is listed in the manifest but missing")
        if read.found[path] != (size, sha):
            raise _damaged(archive, f"the SHA-256 of {path} does not match the manifest")
    for path in read.found:
        if path not in listed:
            raise _damaged(archive, f"{path} is not listed in the manifest")
    return dict(manifest)
