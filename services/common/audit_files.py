"""What the database cannot rewrite: the audit key file and the checkpoint file."""

from __future__ import annotations

import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from services.common import audit
from services.common.clock import SHANGHAI
from services.common.errors import Conflict, InvalidInput

log = logging.getLogger(__name__)
KEY_BYTES = 32
_KEY_TEXT = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class AuditFiles:
    """Where the audit key and the checkpoint file are kept."""

    key: Path
    checkpoints: Path

    @classmethod
    def of(
        cls, data_dir: Path, key: Path | None = None, checkpoints: Path | None = None
    ) -> AuditFiles:
        """The given paths, or `audit.key` and `audit-checkpoints.txt` in the data directory."""
        return cls(key or data_dir / "audit.key", checkpoints or data_dir / "audit-checkpoints.txt")


def read_key(path: Path) -> bytes | None:
    """The key kept in `path` (64 hex digits), None when there is no such file."""
    try:
        content = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("audit.key_unreadable", path=str(path), error=str(exc)) from None
    if _KEY_TEXT.fullmatch(content) is None:
        raise InvalidInput("audit.key_malformed", path=str(path))
    if path.stat().st_mode & 0o077:
        log.warning("the audit key %s can be read by other users: chmod 600 it", path)
    return bytes.fromhex(content)


def create_key(path: Path) -> bytes:
    """Write a new random key to `path` (mode 0600); if one appeared meanwhile, that one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        os.fchmod(out.fileno(), 0o600)  # whatever the umask
        out.write(key.hex() + "\n")
        out.flush()
        os.fsync(out.fileno())
    try:
        # link() never replaces a name: of two processes starting at once, one key wins.
        os.link(draft, path)
    except FileExistsError:
        existing = read_key(path)
        if existing is None:  # pragma: no cover - removed again in between
            raise
        return existing
    finally:
        draft.unlink()
    _sync_dir(path.parent)
    log.warning(
        "created the audit key %s: keep a copy apart from the database and its backups. "
        "Without it the audit history can no longer be verified or extended.",
        path,
    )
    return key


def _sync_dir(folder: Path) -> None:
    # The new name must survive a power cut: entries keyed with it are committed next.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


async def open_key(session: AsyncSession, path: Path) -> bytes:
    """This installation's key: read, or created when no entry is keyed yet; else refused."""
    newest = await audit.newest_keyed(session)
    key = read_key(path)
    if key is None:
        if newest is not None:
            # A new key would make every keyed entry unverifiable: the old one must return.
            raise Conflict("audit.key_missing", path=str(path), seq=newest.seq)
        return create_key(path)
    if newest is not None and not audit.signed_with(newest, key):
        # Not refused: anyone who can write the database could then stop the bot, and
        # `jointcheck audit verify` must still be able to name the entry.
        log.error(
            "the audit key %s does not verify audit entry %s: either it is not this "
            "database's key, or that entry was altered; run `jointcheck audit verify`",
            path,
            newest.seq,
        )
    return key


@dataclass(frozen=True)
class Recorded:
    """One line of the checkpoint file: when, which head, and who took it."""

    at: datetime
    checkpoint: audit.Checkpoint
    source: str


def append_checkpoint(path: Path, checkpoint: audit.Checkpoint, at: datetime, source: str) -> None:
    """Append `AT<TAB>SEQ:HASH<TAB>SOURCE` to the checkpoint file (created when needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{at.isoformat()}\t{checkpoint}\t{source}\n")
        out.flush()
        os.fsync(out.fileno())


def read_checkpoints(path: Path) -> list[Recorded]:
    """The well-formed lines of the checkpoint file, oldest first (none without a file)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("audit.checkpoints_unreadable", path=str(path), error=str(exc)) from None
    found: list[Recorded] = []
    for line in lines:
        parts = line.split("\t")
        try:
            at = datetime.fromisoformat(parts[0])
            checkpoint = audit.Checkpoint.parse(parts[1])
        except (IndexError, ValueError, InvalidInput):
            continue  # a line cut short by a crash, or a note someone added: not a checkpoint
        if at.tzinfo is not None:
            found.append(Recorded(at, checkpoint, parts[2] if len(parts) > 2 else ""))
    return found


def taken_on(path: Path, day: date, source: str) -> bool:
    """Whether `source` already recorded a checkpoint on that day (Asia/Shanghai)."""
    return any(
        r.source == source and r.at.astimezone(SHANGHAI).date() == day
        for r in read_checkpoints(path)
    )
