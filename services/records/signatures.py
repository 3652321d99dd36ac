"""Signatures of the on-site record (现场检查笔录): drawn, refused, or on the paper form.

The person inspected, an optional witness and each officer of the team sign through a
one-time link (`signature_links`): the drawn PNG is kept as evidence (our copy, its
SHA-256) with who signed, when, and the hash of the record's content signed
(`signed_content`). A refusal to sign is a legal fact too: kept with its reason. As a
fallback, a photo of the signed paper form stands for every signature of the record.
While signatures are current the record cannot change (`signed_content.require_unsigned`);
`reopen_for_signing` supersedes them, after which the changed record is signed anew.

Evidence rows of signatures belong to no department part (`result_id` NULL, as an
objection's file): a signature signs the visit every department shares, and the parts'
photo lists and counts stay what the team gathered. The signature row points at its file.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import EvidenceFile, Signature, SignatureLink, Visit
from services.accounts.actors import Actor, audit_name
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.common.policy import ALLOWED_TYPES, MAX_EVIDENCE_BYTES
from services.common.rows import existing
from services.common.text import strip_unsafe
from services.records import evidence
from services.records.signature_links import (
    CLOSED,
    PAPER,
    ensure_visit,
    link_assignment,
    require_open_slot,
    slot_of,
    usable_link,
)
from services.records.signature_png import MAX_SIGNATURE_BYTES, check_drawing_async
from services.records.signed_content import content_sha256, current_signatures
from services.records.tasks import require_member

MAX_REASON = 500


async def _locked_visit(session: AsyncSession, visit_id: int) -> Visit:
    # One signing action of a visit at a time (PostgreSQL; SQLite's writers already queue).
    return await existing(session, Visit, visit_id, "sign.link_unknown", lock=True)


async def _store(
    session: AsyncSession,
    data: bytes,
    mime: str,
    name: str | None,
    *,
    files_dir: Path,
    now: datetime,
    user_id: int | None,
    platform_file_id: str | None = None,
) -> EvidenceFile:
    digest = hashlib.sha256(data).hexdigest()
    relative = evidence.stored_path(digest)
    await asyncio.to_thread(evidence.write_once, files_dir / relative, data)
    row = EvidenceFile(
        result_id=None,
        problem_id=None,
        sha256=digest,
        size=len(data),
        mime=mime,
        original_name=(name or "")[:255] or None,
        stored_path=relative,
        platform_file_id=platform_file_id,
        uploaded_by=user_id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def _claim(
    session: AsyncSession, token: str, now: datetime, expected_sha256: str | None
) -> tuple[SignatureLink, int, str]:
    """The link, its check and the content hash, with the link marked used exactly once.

    The claim comes first: of two requests racing with one link, the second finds it used
    (any later refusal rolls the claim back with the rest).
    """
    link = await usable_link(session, token, now)
    await _locked_visit(session, link.visit_id)
    claimed = await session.scalar(
        update(SignatureLink)
        .where(SignatureLink.id == link.id, SignatureLink.used_at.is_(None))
        .values(used_at=now)
        .returning(SignatureLink.id)
        .execution_options(synchronize_session=False)
    )
    if claimed is None:
        raise Conflict("sign.link_used")  # another request used it first
    assignment = await link_assignment(session, link)
    await require_open_slot(session, link.visit_id, slot_of(link))
    content = await content_sha256(session, assignment.id)
    if expected_sha256 is not None and expected_sha256 != content:
        # The page showed another content (the record changed, or another record's page).
        raise Conflict("sign.content_changed")
    return link, assignment.id, content


async def _record(
    session: AsyncSession, actor: str, action: str, signature: Signature, **after: object
) -> None:
    await audit.record(
        session,
        at=signature.signed_at,
        actor=actor,
        action=action,
        object_type="signature",
        object_id=signature.id,
        after={
            "visit": signature.visit_id,
            "role": signature.role,
            "signer": signature.signer,
            "inspector": signature.inspector_id,
            "content_sha256": signature.content_sha256,
            **after,
        },
    )


async def sign(
    session: AsyncSession,
    token: str,
    png: bytes,
    now: datetime,
    files_dir: Path,
    *,
    expected_sha256: str | None = None,
    max_bytes: int = MAX_SIGNATURE_BYTES,
) -> Signature:
    """Keep a drawn signature through a usable link; the link is used up by it."""
    await usable_link(session, token, now)  # a bad link is told so before its drawing
    await check_drawing_async(png, max_bytes=max_bytes)
    link, _assignment, content = await _claim(session, token, now, expected_sha256)
    stored = await _store(
        session,
        png,
        "image/png",
        f"signature-{link.role}.png",
        files_dir=files_dir,
        now=now,
        user_id=None,
    )
    signature = Signature(
        visit_id=link.visit_id,
        role=link.role,
        signer=link.signer,
        inspector_id=link.inspector_id,
        refused=False,
        evidence_id=stored.id,
        content_sha256=content,
        signed_at=now,
        status="current",
    )
    session.add(signature)
    await session.flush()
    await _record(
        session, f"signature_link:{link.id}", "signature.sign", signature, sha256=stored.sha256
    )
    return signature


def clean_reason(raw: str) -> str:
    """A refusal's reason: 2 to 500 characters, else InvalidInput."""
    reason = strip_unsafe(raw).strip()
    if len(reason) < 2:
        raise InvalidInput("sign.reason_short")
    if len(reason) > MAX_REASON:
        raise InvalidInput("sign.reason_long", limit=MAX_REASON)
    return reason


async def refuse(
    session: AsyncSession,
    token: str,
    reason: str,
    now: datetime,
    *,
    expected_sha256: str | None = None,
) -> Signature:
    """Record a refusal to sign with its reason through a usable link (a legal fact)."""
    await usable_link(session, token, now)
    text = clean_reason(reason)
    link, _assignment, content = await _claim(session, token, now, expected_sha256)
    signature = Signature(
        visit_id=link.visit_id,
        role=link.role,
        signer=link.signer,
        inspector_id=link.inspector_id,
        refused=True,
        refusal_reason=text,
        content_sha256=content,
        signed_at=now,
        status="current",
    )
    session.add(signature)
    await session.flush()
    await _record(session, f"signature_link:{link.id}", "signature.refuse", signature, reason=text)
    return signature


async def paper_signature(
    session: AsyncSession,
    actor: Actor | None,
    assignment_id: int,
    *,
    data: bytes,
    name: str | None,
    files_dir: Path,
    now: datetime,
    platform_file_id: str | None = None,
    max_bytes: int = MAX_EVIDENCE_BYTES,
    allowed: tuple[str, ...] = ALLOWED_TYPES,
) -> Signature:
    """Keep a photo of the signed paper form as the signature evidence of the record.

    It stands for every signature (and refusal written on the form). Each page is a photo
    of its own; the same photo twice is refused.
    """
    assignment = await require_member(session, actor, assignment_id, "signature.paper")
    if assignment.status in CLOSED:
        raise Conflict("record.assignment_closed", id=assignment_id)
    mime = evidence.check_file(data, max_bytes=max_bytes, allowed=allowed)
    visit = await _locked_visit(session, (await ensure_visit(session, assignment_id)).id)
    digest = hashlib.sha256(data).hexdigest()
    for current in await current_signatures(session, visit.id):
        if current.role == PAPER and current.evidence_id is not None:
            kept = await session.get(EvidenceFile, current.evidence_id)
            if kept is not None and kept.sha256 == digest:
                raise Conflict("sign.paper_duplicate")
    user_id = None if actor is None else actor.user_id
    stored = await _store(
        session,
        data,
        mime,
        name,
        files_dir=files_dir,
        now=now,
        user_id=user_id,
        platform_file_id=platform_file_id,
    )
    signature = Signature(
        visit_id=visit.id,
        role=PAPER,
        signer=(audit_name(actor) if actor is None else actor.name)[:100],
        refused=False,
        evidence_id=stored.id,
        content_sha256=await content_sha256(session, assignment_id),
        signed_at=now,
        status="current",
    )
    session.add(signature)
    await session.flush()
    await _record(session, audit_name(actor), "signature.paper", signature, sha256=digest)
    return signature


async def reopen_for_signing(
    session: AsyncSession, actor: Actor | None, assignment_id: int, now: datetime
) -> int:
    """Supersede the record's current signatures so that it may change and be signed anew."""
    await require_member(session, actor, assignment_id, "signature.reopen")
    visit_id = await session.scalar(select(Visit.id).where(Visit.assignment_id == assignment_id))
    if visit_id is None:
        raise Conflict("sign.nothing_to_reopen", id=assignment_id)
    await _locked_visit(session, visit_id)
    signed = await current_signatures(session, visit_id)
    if not signed:
        raise Conflict("sign.nothing_to_reopen", id=assignment_id)
    for signature in signed:
        signature.status = "superseded"
    await session.flush()
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="signature.reopen",
        object_type="visit",
        object_id=visit_id,
        before={"current": [s.id for s in signed]},
        after={"assignment": assignment_id, "status": "superseded"},
    )
    return len(signed)
