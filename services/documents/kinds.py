"""Which builder makes each kind of document, and who may have it.

The notice and the on-site record: the check's team and the office (coordinators,
admins, the command line). The order to correct and its proof of service: those, and
the reviewers of the part's department. The annual report: coordinators and leaders.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import InspectionResult, RectificationNotice
from services.accounts.actors import Actor, require_role
from services.common.errors import InvalidInput, NotAllowed, NotFound
from services.documents.annual import annual_content
from services.documents.config import KINDS, Wording
from services.documents.content import Content
from services.documents.notice import notice_content
from services.documents.onsite import onsite_content
from services.documents.order import order_content, service_content
from services.records.tasks import require_member

ACTION = "document.view"  # never a change of the record: allowed on a closed check too
YEARS = (2000, 2100)


def check_kind(kind: str) -> str:
    """A known kind, else a refusal naming the kinds."""
    if kind not in KINDS:
        raise InvalidInput("doc.bad_kind", kind=kind, kinds=" / ".join(KINDS))
    return kind


async def require_access(
    session: AsyncSession, actor: Actor | None, kind: str, subject_id: int
) -> None:
    """Refuse whoever may not have this document (NotFound when it does not exist)."""
    check_kind(kind)
    if kind == "annual":
        if not YEARS[0] <= subject_id <= YEARS[1]:
            raise InvalidInput("doc.bad_year", year=subject_id)
        if actor is not None:
            require_role(actor, "coordinator", "leader")
        return
    if kind in ("notice", "onsite"):
        await require_member(session, actor, subject_id, ACTION)
        return
    part = await session.scalar(
        select(InspectionResult)
        .join(RectificationNotice, RectificationNotice.result_id == InspectionResult.id)
        .where(RectificationNotice.id == subject_id)
    )
    if part is None:
        raise NotFound("notice.not_found", id=subject_id)
    if actor is not None and actor.has("reviewer") and actor.department_id == part.department_id:
        return
    try:
        await require_member(session, actor, part.assignment_id, ACTION)
    except NotAllowed:
        raise NotAllowed("doc.not_yours", kind=kind, id=subject_id) from None


async def content_of(
    session: AsyncSession,
    actor: Actor | None,
    kind: str,
    subject_id: int,
    *,
    wording: Wording,
    files_dir: Path,
    today: date,
) -> Content:
    """What the document says today, for an actor allowed to have it."""
    await require_access(session, actor, kind, subject_id)
    if kind == "notice":
        return await notice_content(session, subject_id, wording)
    if kind == "onsite":
        return await onsite_content(session, subject_id, wording, files_dir)
    if kind == "order":
        return await order_content(session, subject_id, wording)
    if kind == "service":
        return await service_content(session, subject_id, wording, files_dir)
    return await annual_content(session, actor, subject_id, wording, today)
