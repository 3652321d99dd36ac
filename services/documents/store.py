"""Documents stored once per version, with their SHA-256, linked to their record.

A document asked for again whose record says the same (the content hash matches the
current version) is the stored file, read back and checked against its hash. When the
record changed, the document is made again as the next version, with a new verify code,
and every earlier version is marked replaced: the public page then says so. Both formats
of one version share its number, date and verify code. Files live under
DATA_DIR/documents/<kind>/<subject>/, named with their hash, written atomically.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Document
from services.accounts.actors import Actor, audit_name
from services.common import audit
from services.common.clock import SHANGHAI
from services.common.errors import Conflict
from services.documents import kinds, render
from services.documents.config import DocumentSetup, check_format
from services.documents.content import TITLES, Content

# 32 letters and digits that cannot be misread for one another (no 0/O, no 1/I).
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
DOCUMENTS_DIR = "documents"
_UNSAFE = re.compile(r"[^\w〔〕（）()\-]+")


@dataclass(frozen=True)
class Issued:
    """A stored document and its bytes; `created`: made by this call."""

    document: Document
    data: bytes
    created: bool
    title: str

    @property
    def file_name(self) -> str:
        """A file name people recognise: 责令改正通知书-乐市监责改〔2026〕3号-v1.pdf."""
        doc = self.document
        number = _UNSAFE.sub("_", doc.number or str(doc.subject_id)).strip("_")
        return f"{self.title}-{number}-v{doc.version}.{doc.format}"


def new_code() -> str:
    """A fresh verify code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(raw: str) -> str | None:
    """A typed verify code in its stored form, or None when it cannot be one."""
    value = re.sub(r"[\s\-]", "", raw.strip().upper())
    if len(value) != CODE_LENGTH or any(c not in ALPHABET for c in value):
        return None
    return value


async def _versions(session: AsyncSession, kind: str, subject_id: int) -> list[Document]:
    rows = await session.scalars(
        select(Document)
        .where(Document.kind == kind, Document.subject_id == subject_id)
        .order_by(Document.version.desc(), Document.id)
    )
    return list(rows.all())


async def _unused_code(session: AsyncSession) -> str:
    while True:
        code = new_code()
        if await session.scalar(select(Document.id).where(Document.verify_code == code)) is None:
            return code


def _write(target: Path, data: bytes) -> None:
    """Write atomically (a reader never sees half a file). No fsync: a file lost in a crash
    is made again for the same version when next asked for (its hash no longer matches)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".part-{secrets.token_hex(4)}-{target.name}")
    try:
        part.write_bytes(data)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _read_checked(path: Path, sha256: str) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def _issued_at(content: Content) -> datetime:
    return datetime.combine(content.issued_on, time(), SHANGHAI).astimezone(UTC)


async def issue(
    session: AsyncSession,
    actor: Actor | None,
    kind: str,
    subject_id: int,
    fmt: str,
    *,
    setup: DocumentSetup,
    files_dir: Path,
    now: datetime,
    retried: bool = False,
) -> Issued:
    """The document of a record in `fmt`: the stored one, or a new version when it changed."""
    fmt = check_format(fmt)
    wording = setup.wording(files_dir)
    today = now.astimezone(SHANGHAI).date()
    content = await kinds.content_of(
        session, actor, kind, subject_id, wording=wording, files_dir=files_dir, today=today
    )
    digest = content.sha256
    versions = await _versions(session, kind, subject_id)
    latest = versions[0] if versions else None
    if latest is not None and latest.content_sha256 == digest:
        version, code = latest.version, latest.verify_code
        same = next((d for d in versions if d.version == version and d.format == fmt), None)
        if same is not None:
            stored = await asyncio.to_thread(
                _read_checked, files_dir / same.stored_path, same.file_sha256
            )
            if stored is not None:
                return Issued(same, stored, False, TITLES[kind])
    else:
        version, code, same = (
            (latest.version + 1 if latest else 1),
            await _unused_code(session),
            None,
        )
    template = setup.template(kind, fmt, files_dir)
    data = await asyncio.to_thread(
        render.render, content, fmt, template, code, setup.verify_url(code), now
    )
    file_sha = hashlib.sha256(data).hexdigest()
    relative = (
        f"{DOCUMENTS_DIR}/{kind}/{subject_id}/{kind}-{subject_id}-v{version}-{file_sha[:12]}.{fmt}"
    )
    await asyncio.to_thread(_write, files_dir / relative, data)
    document: Document
    if same is not None:
        # The stored file was lost or damaged: the same version is written again.
        same.file_sha256, same.stored_path = file_sha, relative
        document = same
    else:
        inserted = await _insert(
            session, content, version, fmt, code, digest, file_sha, relative, now
        )
        if inserted is None:  # made at the same moment by another request: that one stands
            if retried:
                raise Conflict("doc.busy")
            return await issue(
                session,
                actor,
                kind,
                subject_id,
                fmt,
                setup=setup,
                files_dir=files_dir,
                now=now,
                retried=True,
            )
        document = inserted
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="document.issue",
        object_type="document",
        object_id=document.id,
        after={
            "kind": kind,
            "subject": subject_id,
            "version": version,
            "format": fmt,
            "number": content.number,
            "content_sha256": digest,
            "file_sha256": file_sha,
        },
    )
    return Issued(document, data, True, TITLES[kind])


async def _insert(
    session: AsyncSession,
    content: Content,
    version: int,
    fmt: str,
    code: str,
    digest: str,
    file_sha: str,
    relative: str,
    now: datetime,
) -> Document | None:
    document = Document(
        kind=content.kind,
        subject_id=content.subject_id,
        version=version,
        format=fmt,
        number=content.number,
        department_id=content.department_id,
        issued_on=_issued_at(content),
        verify_code=code,
        content_sha256=digest,
        file_sha256=file_sha,
        stored_path=relative,
        status="current",
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(document)
            await session.flush()
            # Every earlier version is replaced by this one (the public page says so).
            await session.execute(
                update(Document)
                .where(
                    Document.kind == content.kind,
                    Document.subject_id == content.subject_id,
                    Document.version < version,
                    Document.status == "current",
                )
                .values(status="replaced", replaced_at=now)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        return None
    return document
