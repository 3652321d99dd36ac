"""The public check of a printed document: does it exist, and is it still the current one?

The page shows only what the paper itself shows an official reader: the kind, number,
date, issuing department, version and status; never the enterprise or a person. A
version is current while no later version replaced it and its record still says what
the document says (the content hash is computed afresh, nothing is rendered or written):
a record changed since the document was printed makes it "replaced" at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Document
from services.common.clock import SHANGHAI
from services.common.errors import DomainError
from services.documents import kinds
from services.documents.config import DocumentSetup
from services.documents.content import TITLES
from services.documents.store import clean_code


@dataclass(frozen=True)
class Verified:
    """What the public page says of one verify code."""

    code: str
    kind: str
    title: str
    number: str | None
    version: int
    issued_on: date
    department: str
    current: bool
    replaced_at: datetime | None
    formats: tuple[str, ...]


async def lookup(
    session: AsyncSession, raw: str, *, setup: DocumentSetup, files_dir: Path, now: datetime
) -> Verified | None:
    """The document a verify code names, or None when no document carries it."""
    code = clean_code(raw)
    if code is None:
        return None
    rows = (
        await session.scalars(
            select(Document).where(Document.verify_code == code).order_by(Document.id)
        )
    ).all()
    if not rows:
        return None
    first = rows[0]
    wording = setup.wording(files_dir)
    department = wording.office
    if first.department_id is not None:
        found = await session.get(Department, first.department_id)
        if found is not None:
            department = wording.department(found.code, found.name)
    current = all(r.status == "current" for r in rows) and await _still_says(
        session, first, setup, files_dir, now
    )
    replaced = [r.replaced_at for r in rows if r.replaced_at is not None]
    return Verified(
        code,
        first.kind,
        TITLES.get(first.kind, first.kind),
        first.number,
        first.version,
        first.issued_on.astimezone(SHANGHAI).date(),
        department,
        current,
        min(replaced) if replaced else None,
        tuple(sorted({r.format for r in rows})),
    )


async def _still_says(
    session: AsyncSession, document: Document, setup: DocumentSetup, files_dir: Path, now: datetime
) -> bool:
    """Whether the record behind the document still says what it says."""
    try:
        content = await kinds.content_of(
            session,
            None,
            document.kind,
            document.subject_id,
            wording=setup.wording(files_dir),
            files_dir=files_dir,
            today=now.astimezone(SHANGHAI).date(),
        )
    except DomainError:  # the record is gone (a notice deleted, a check voided and purged)
        return False
    return content.sha256 == document.content_sha256
