"""Evidence: photos and files kept as our own copy, addressed by their SHA-256.

A file is checked before anything is stored: its size against the limit, and its type by
its first bytes (the declared type is not trusted). It is then written once under
`<files_dir>/evidence/<sha256[:2]>/<sha256>` (the same bytes are never stored twice) and
recorded, once per problem it shows, with its hash, size, type, name, uploader and the
platform's file id.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import EvidenceFile
from services.accounts.actors import Actor
from services.common.errors import InvalidInput
from services.common.policy import ALLOWED_TYPES, MAX_EVIDENCE_BYTES
from services.records import media
from services.records.problems import problem_for_edit
from services.records.results import log_change, touch

EVIDENCE_DIR = "evidence"
_MIB = 1024 * 1024

# Leading bytes of the types we accept.
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"#!AMR", "audio/amr"),  # WeCom voice messages (AMR-NB, and #!AMR-WB)
    (b"OggS\x00", "audio/ogg"),  # Telegram voice messages (Opus in Ogg)
)


def sniff(data: bytes) -> str | None:
    """The type of a file by its first bytes, or None when it is none we know."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[4:8] == b"ftyp":
        return media.iso_media(data)
    return media.mpeg_audio(data)


def stored_path(sha256: str) -> str:
    """Where a file with this hash lives, relative to the files folder."""
    return f"{EVIDENCE_DIR}/{sha256[:2]}/{sha256}"


def write_once(target: Path, data: bytes) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Added:
    """An evidence row, and whether this upload added it (False: already attached)."""

    evidence: EvidenceFile
    created: bool


def check_file(
    data: bytes,
    *,
    max_bytes: int = MAX_EVIDENCE_BYTES,
    allowed: tuple[str, ...] = ALLOWED_TYPES,
) -> str:
    """The file's real type if it may be kept; InvalidInput naming the limit otherwise."""
    if len(data) > max_bytes:
        size, limit = _size(len(data)), _size(max_bytes)
        if round(len(data) / _MIB, 1) <= round(max_bytes / _MIB, 1):
            # Just over the limit: show the bytes, not "10.0 MB is over 10 MB".
            size, limit = f"{len(data):,} B", f"{max_bytes:,} B"
        raise InvalidInput("evidence.too_big", size=size, limit=limit)
    if not data:
        raise InvalidInput("evidence.empty")
    mime = sniff(data)
    if mime is None or mime not in allowed:
        raise InvalidInput("evidence.bad_type", types=", ".join(_short(t) for t in allowed))
    return mime


def _size(size: int) -> str:
    if size % _MIB == 0:
        return f"{size // _MIB} MB"
    return f"{size / _MIB:.1f} MB" if size >= _MIB else f"{size / 1024:.0f} KB"


def _short(mime: str) -> str:
    return media.LABELS.get(mime, mime)


async def attach(
    session: AsyncSession,
    actor: Actor | None,
    problem_id: int,
    *,
    data: bytes,
    name: str | None,
    files_dir: Path,
    now: datetime,
    platform_file_id: str | None = None,
    max_bytes: int = MAX_EVIDENCE_BYTES,
    allowed: tuple[str, ...] = ALLOWED_TYPES,
) -> Added:
    """Keep a photo or file as evidence of a problem; the same bytes are stored once.

    The same photo may show two problems of a record: each problem gets its own row,
    both pointing at the one stored file. Sent twice for one problem, it is refused as
    already attached (`created` False).
    """
    problem, result = await problem_for_edit(session, actor, problem_id, "evidence.add")
    mime = check_file(data, max_bytes=max_bytes, allowed=allowed)
    digest = hashlib.sha256(data).hexdigest()
    existing = await session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.result_id == result.id,
            EvidenceFile.problem_id == problem.id,
            EvidenceFile.sha256 == digest,
        )
    )
    if existing is not None:
        return Added(existing, False)
    relative = stored_path(digest)
    await asyncio.to_thread(write_once, files_dir / relative, data)
    evidence = EvidenceFile(
        result_id=result.id,
        problem_id=problem.id,
        sha256=digest,
        size=len(data),
        mime=mime,
        original_name=(name or "")[:255] or None,
        stored_path=relative,
        platform_file_id=platform_file_id,
        uploaded_by=None if actor is None else actor.user_id,
        created_at=now,
    )
    session.add(evidence)
    await session.flush()
    await touch(session, result)
    await log_change(
        session,
        actor,
        "evidence.add",
        "evidence_file",
        evidence.id,
        now,
        after={"problem": problem.id, "sha256": digest, "size": len(data), "mime": mime},
    )
    return Added(evidence, True)


async def problem_evidence(session: AsyncSession, problem_id: int) -> list[EvidenceFile]:
    """The evidence of one problem, oldest first."""
    rows = await session.scalars(
        select(EvidenceFile).where(EvidenceFile.problem_id == problem_id).order_by(EvidenceFile.id)
    )
    return list(rows.all())


async def result_evidence(session: AsyncSession, result_id: int) -> list[EvidenceFile]:
    """The evidence of one record, oldest first."""
    rows = await session.scalars(
        select(EvidenceFile).where(EvidenceFile.result_id == result_id).order_by(EvidenceFile.id)
    )
    return list(rows.all())


async def read(files_dir: Path, evidence: EvidenceFile) -> bytes:
    """The stored bytes, checked against their hash."""
    try:
        data = await asyncio.to_thread((files_dir / evidence.stored_path).read_bytes)
    except OSError:
        raise InvalidInput("evidence.missing", sha256=evidence.sha256[:12]) from None
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise InvalidInput("evidence.corrupt", sha256=evidence.sha256[:12])
    return data
