"""One-time links to the signature page: made by the team, bound to one visit and one signer.

The raw token is returned once, to be handed to the signer; only its SHA-256 is stored,
so that a copy of the database opens no signature page. A link is refused as unknown,
used or expired with a sentence of its own and nothing of the record: the page shows the
record only to a link that may still sign it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Signature, SignatureLink, Visit
from services.accounts.actors import Actor, audit_name
from services.common import audit
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.text import strip_unsafe
from services.records.signature_summary import RecordSummary, record_summary, team_officers
from services.records.signed_content import content_sha256, current_signatures
from services.records.tasks import require_member

ROLES = ("inspected", "witness", "officer")
PAPER = "paper"  # the role of a photo of the signed paper form, which stands for everyone
CLOSED = ("void", "unstaffed", "cancelled")  # a check called off is signed no more
MAX_MINUTES = 24 * 60
MAX_NAME = 100
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def token_hash(token: str) -> str:
    """The stored form of a link's token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


async def ensure_visit(session: AsyncSession, assignment_id: int) -> Visit:
    """The check's visit row, created empty if no one has started it yet."""
    query = select(Visit).where(Visit.assignment_id == assignment_id)
    found = await session.scalar(query)
    if found is not None:
        return found
    visit = Visit(assignment_id=assignment_id, attendees=[])
    try:
        async with session.begin_nested():
            session.add(visit)
    except IntegrityError:
        # A teammate started the visit at the same moment: theirs is the visit.
        again = await session.scalar(query)
        if again is None:
            raise
        return again
    return visit


def slot_of(signature: Signature | SignatureLink) -> tuple[str, object]:
    """Who a signature is for: one person inspected, one witness, each officer by id."""
    if signature.role == "officer":
        return ("officer", signature.inspector_id)
    return (signature.role, None)


async def require_open_slot(session: AsyncSession, visit_id: int, slot: tuple[str, object]) -> None:
    """Refuse a second signature of the same person, or any after the paper form's photo."""
    for existing in await current_signatures(session, visit_id):
        if existing.role == PAPER:
            raise Conflict("sign.signed_on_paper")
        if slot_of(existing) == slot:
            raise Conflict("sign.slot_taken")


def clean_name(raw: str) -> str:
    """A signer's name as typed: trimmed, 1 to 100 characters, else InvalidInput."""
    name = " ".join(strip_unsafe(raw).split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("sign.bad_name", limit=MAX_NAME)
    return name


@dataclass(frozen=True)
class NewLink:
    """A link just made: the raw token (shown once, never stored) and what it is for."""

    token: str
    link_id: int
    role: str
    signer: str
    expires_at: datetime


async def create_link(
    session: AsyncSession,
    actor: Actor | None,
    assignment_id: int,
    role: str,
    signer: str,
    now: datetime,
    minutes: int,
    *,
    inspector_id: int | None = None,
) -> NewLink:
    """A one-time link for one signer of the check's on-site record (team and office)."""
    assignment = await require_member(session, actor, assignment_id, "signature.link")
    if assignment.status in CLOSED:
        raise Conflict("record.assignment_closed", id=assignment_id)
    if role not in ROLES:
        raise InvalidInput("sign.bad_role", role=role)
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput("sign.bad_minutes", limit=MAX_MINUTES)
    if role == "officer":
        officers = {o.inspector_id: o.name for o in await team_officers(session, assignment_id)}
        if inspector_id not in officers:
            raise InvalidInput("sign.not_an_officer", id=assignment_id)
        assert inspector_id is not None
        signer = officers[inspector_id]
    else:
        inspector_id = None
        signer = clean_name(signer)
    visit = await ensure_visit(session, assignment_id)
    await require_open_slot(session, visit.id, (role, inspector_id))
    token = secrets.token_urlsafe(32)
    link = SignatureLink(
        token_sha256=token_hash(token),
        visit_id=visit.id,
        role=role,
        signer=signer,
        inspector_id=inspector_id,
        created_at=now,
        created_by=None if actor is None else actor.user_id,
        expires_at=now + timedelta(minutes=minutes),
    )
    session.add(link)
    await session.flush()
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="signature.link",
        object_type="signature_link",
        object_id=link.id,
        after={
            "assignment": assignment_id,
            "visit": visit.id,
            "role": role,
            "signer": signer,
            "inspector": inspector_id,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    return NewLink(token, link.id, role, signer, link.expires_at)


async def usable_link(session: AsyncSession, token: str, now: datetime) -> SignatureLink:
    """The link of a token that may still sign; unknown, used and expired refused apart."""
    if _TOKEN.fullmatch(token) is None:
        raise NotFound("sign.link_unknown")
    link = await session.scalar(
        select(SignatureLink).where(SignatureLink.token_sha256 == token_hash(token))
    )
    if link is None:
        raise NotFound("sign.link_unknown")
    if link.used_at is not None:
        raise Conflict("sign.link_used")
    if now >= link.expires_at:
        raise Conflict("sign.link_expired")
    return link


async def link_assignment(session: AsyncSession, link: SignatureLink) -> Assignment:
    """The check a link's visit belongs to, refused once the check is called off."""
    assignment = await session.scalar(
        select(Assignment)
        .join(Visit, Visit.assignment_id == Assignment.id)
        .where(Visit.id == link.visit_id)
    )
    assert assignment is not None
    if assignment.status in CLOSED:
        raise Conflict("sign.link_closed")
    return assignment


@dataclass(frozen=True)
class SigningPage:
    """What the signature page shows to a usable link."""

    role: str
    signer: str
    expires_at: datetime
    summary: RecordSummary
    content_sha256: str


async def page(session: AsyncSession, token: str, now: datetime) -> SigningPage:
    """The record to sign for a usable link (refused links learn nothing of the record)."""
    link = await usable_link(session, token, now)
    assignment = await link_assignment(session, link)
    await require_open_slot(session, link.visit_id, slot_of(link))
    return SigningPage(
        role=link.role,
        signer=link.signer,
        expires_at=link.expires_at,
        summary=await record_summary(session, assignment.id),
        content_sha256=await content_sha256(session, assignment.id),
    )
