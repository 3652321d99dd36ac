"""Who has signed the on-site record, who refused, who is missing, and whether it is current.

The person inspected and every officer of the team must sign (or refuse, with a reason);
a witness is optional. A photo of the signed paper form stands for all of them. The
signatures are current when each signed the content the record has now (same SHA-256).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import EvidenceFile, Signature, Visit
from services.accounts.actors import Actor
from services.common.errors import NotFound
from services.common.rows import existing
from services.records.parts import departments_of_assignment
from services.records.signature_links import PAPER
from services.records.signature_summary import team_officers
from services.records.signed_content import content_sha256, current_signatures
from services.records.tasks import require_member


@dataclass(frozen=True)
class SignedBy:
    """One signer's place on the record: signed, refused, on paper, or still missing."""

    role: str  # inspected / witness / officer / paper
    signer: str | None
    inspector_id: int | None
    state: str  # signed / refused / paper / missing
    signature: Signature | None
    current: bool  # signed the record as it is now (False while missing)


@dataclass(frozen=True)
class SigningStatus:
    """The signatures of one check's on-site record."""

    assignment_id: int
    visit_id: int | None
    content_sha256: str
    places: list[SignedBy]
    complete: bool  # the person inspected and every officer signed or refused, or paper
    current: bool  # complete, and every signature signed the record as it is now
    stale: bool  # some current signature signed another content (a change slipped by)

    @property
    def missing(self) -> list[SignedBy]:
        """The places still to sign, the optional witness left out."""
        return [p for p in self.places if p.state == "missing" and p.role != "witness"]


def _place(signature: Signature, content: str) -> SignedBy:
    state = "refused" if signature.refused else "signed"
    if signature.role == PAPER:
        state = "paper"
    current = signature.content_sha256 == content
    return SignedBy(
        signature.role, signature.signer, signature.inspector_id, state, signature, current
    )


async def status(session: AsyncSession, assignment_id: int) -> SigningStatus:
    """The signing status of a check (read with the record: the caller checked access)."""
    visit_id = await session.scalar(select(Visit.id).where(Visit.assignment_id == assignment_id))
    signed = [] if visit_id is None else await current_signatures(session, visit_id)
    content = await content_sha256(session, assignment_id)
    by_slot: dict[tuple[str, int | None], Signature] = {}
    for s in signed:
        if s.role != PAPER:
            by_slot.setdefault((s.role, s.inspector_id if s.role == "officer" else None), s)
    places: list[SignedBy] = []
    for role in ("inspected", "witness"):
        found = by_slot.pop((role, None), None)
        places.append(
            _place(found, content)
            if found is not None
            else SignedBy(role, None, None, "missing", None, False)
        )
    for officer in await team_officers(session, assignment_id):
        found = by_slot.pop(("officer", officer.inspector_id), None)
        places.append(
            _place(found, content)
            if found is not None
            else SignedBy("officer", officer.name, officer.inspector_id, "missing", None, False)
        )
    # An officer who signed and then left the team still signed: shown, never dropped.
    places.extend(_place(s, content) for s in by_slot.values())
    paper = [_place(s, content) for s in signed if s.role == PAPER]
    places.extend(paper)
    complete = bool(paper) or all(
        p.state != "missing" for p in places if p.role in ("inspected", "officer")
    )
    stale = any(s.content_sha256 != content for s in signed)
    return SigningStatus(
        assignment_id=assignment_id,
        visit_id=visit_id,
        content_sha256=content,
        places=places,
        complete=complete,
        current=complete and not stale,
        stale=stale,
    )


async def require_viewer(session: AsyncSession, actor: Actor | None, assignment_id: int) -> None:
    """The team, the office, and the reviewers of a department with a part may read."""
    if (
        actor is not None
        and actor.has("reviewer")
        and actor.department_id in await departments_of_assignment(session, assignment_id)
    ):
        return
    await require_member(session, actor, assignment_id, "record.view")


async def signature_file(
    session: AsyncSession, actor: Actor | None, signature_id: int
) -> tuple[Signature, EvidenceFile]:
    """A signature and its evidence file (the drawn PNG or the paper form's photo)."""
    signature = await existing(session, Signature, signature_id, "sign.not_found")
    visit = await session.get(Visit, signature.visit_id)
    assert visit is not None
    await require_viewer(session, actor, visit.assignment_id)
    if signature.evidence_id is None:
        raise NotFound("sign.no_file", id=signature_id)
    found = await session.get(EvidenceFile, signature.evidence_id)
    if found is None:
        raise NotFound("sign.no_file", id=signature_id)
    return signature, found
