"""Objections to a published part (异议): recorded by the office or filed on the public site,
decided within a number of working days, rejected with reasons or corrected.

Only a published part can be objected to. Filing on the public site, with its limits, is
`filing.py`. The reference ("YY-2026-0001") is counted per
year. The review deadline counts working days on the official calendar from the day the
objection was filed. Rejecting changes nothing that was published; a correction is
`corrections.py`. The coordinators and the part's department reviewers are told of each
objection through the outbox.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    Department,
    Enterprise,
    EvidenceFile,
    InspectionResult,
    Objection,
)
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.calendar_store import calendar
from services.common.clock import SHANGHAI
from services.common.counters import next_value
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.numbers import MAX_ID, read_int
from services.common.policy import (
    ALLOWED_TYPES,
    MAX_EVIDENCE_BYTES,
    OBJECTION_REVIEW_WORKING_DAYS,
)
from services.publicity import office
from services.records import evidence, parts
from services.records.results import clean_text

REFERENCE = "YY-{year}-{seq:04d}"  # 异议 (yìyì)
MAX_NAME, MAX_GROUNDS = 200, 2000


@dataclass(frozen=True)
class Upload:
    """A file sent with an objection, with its bytes."""

    data: bytes
    name: str | None
    platform_file_id: str | None = None


@dataclass(frozen=True)
class Filed:
    """A recorded objection, and whether its deadline used the Monday-Friday fallback."""

    objection: Objection
    fallback: bool


async def published_part(session: AsyncSession, result_id: int) -> InspectionResult:
    """A published part; NotFound when there is none (or it is not public)."""
    result = await session.get(InspectionResult, result_id)
    if result is None or result.status != "published":
        raise NotFound("objection.part_not_found", id=result_id)
    return result


async def enterprise_of(session: AsyncSession, result: InspectionResult) -> Enterprise:
    found = await session.scalar(
        select(Enterprise)
        .join(Assignment, Assignment.enterprise_id == Enterprise.id)
        .where(Assignment.id == result.assignment_id)
    )
    assert found is not None
    return found


async def store_upload(
    session: AsyncSession,
    upload: Upload,
    *,
    files_dir: Path,
    now: datetime,
    user_id: int | None,
    max_bytes: int,
    allowed: tuple[str, ...],
) -> EvidenceFile:
    """Keep an objection's file (size and type checked by content first); its row.

    The row belongs to no part: the evidence of the record stays what the team gathered.
    """
    mime = evidence.check_file(upload.data, max_bytes=max_bytes, allowed=allowed)
    digest = hashlib.sha256(upload.data).hexdigest()
    relative = evidence.stored_path(digest)
    await asyncio.to_thread(evidence.write_once, files_dir / relative, upload.data)
    row = EvidenceFile(
        result_id=None,
        problem_id=None,
        sha256=digest,
        size=len(upload.data),
        mime=mime,
        original_name=(upload.name or "")[:255] or None,
        stored_path=relative,
        platform_file_id=upload.platform_file_id,
        uploaded_by=user_id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def create(
    session: AsyncSession,
    result: InspectionResult,
    values: dict[str, object],
    *,
    filed_on: date,
    review_days: int,
    actor_name: str,
    now: datetime,
) -> Filed:
    year = filed_on.year
    seq = await next_value(session, f"objection-reference:{year}")
    counted = (await calendar(session)).add_working_days(filed_on, review_days)
    due = counted.day
    objection = Objection(
        reference=REFERENCE.format(year=year, seq=seq),
        result_id=result.id,
        filed_on=filed_on,
        recorded_at=now,
        review_due=due,
        status="open",
        **values,
    )
    session.add(objection)
    await session.flush()
    enterprise = await enterprise_of(session, result)
    await audit.record(
        session,
        at=now,
        actor=actor_name,
        action="objection.record",
        object_type="objection",
        object_id=objection.id,
        after={
            "reference": objection.reference,
            "result": result.id,
            "source": objection.source,
            "filed_on": filed_on.isoformat(),
            "review_due": due.isoformat(),
            "evidence": objection.evidence_id,
        },
    )
    department = await session.scalar(
        select(Department.name).where(Department.id == result.department_id)
    )
    await office.tell(
        session,
        await office.handlers_of(session, result.department_id),
        kind="objection.filed",
        ref=f"objection:{objection.id}:filed",
        key=f"objection.filed_{objection.source}",
        params={
            "reference": objection.reference,
            "enterprise": enterprise.name,
            "department": department or "",
            "due": due.isoformat(),
            "id": objection.id,
        },
        now=now,
    )
    return Filed(objection, counted.fallback)


async def recordable(
    session: AsyncSession, actor: Actor | None, result_id: int
) -> InspectionResult:
    """A published part the actor may record an objection against."""
    if actor is not None:
        require_role(actor, "coordinator", "reviewer")
    result = await published_part(session, result_id)
    parts.may_review(actor, result)
    return result


async def record(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    *,
    filed_by: str,
    filed_on: date,
    grounds: str,
    contact: str | None = None,
    upload: Upload | None = None,
    files_dir: Path,
    today: date,
    now: datetime,
    review_days: int = OBJECTION_REVIEW_WORKING_DAYS,
    max_bytes: int = MAX_EVIDENCE_BYTES,
    allowed: tuple[str, ...] = ALLOWED_TYPES,
) -> Filed:
    """Record an objection received by the office (who, when, grounds, evidence)."""
    result = await recordable(session, actor, result_id)
    who = clean_text(filed_by, limit=MAX_NAME, minimum=1)
    why = clean_text(grounds, limit=MAX_GROUNDS)
    if filed_on > today:
        raise InvalidInput("objection.date_future", date=filed_on.isoformat())
    published = None if result.published_at is None else result.published_at.astimezone(SHANGHAI)
    if published is not None and filed_on < published.date():
        raise InvalidInput("objection.before_publication", date=published.date().isoformat())
    user_id = None if actor is None else actor.user_id
    stored = None
    if upload is not None:
        stored = await store_upload(
            session,
            upload,
            files_dir=files_dir,
            now=now,
            user_id=user_id,
            max_bytes=max_bytes,
            allowed=allowed,
        )
    values: dict[str, object] = {
        "source": "office",
        "filed_by": who,
        "contact": None if not contact or not contact.strip() else contact.strip()[:MAX_NAME],
        "grounds": why,
        "evidence_id": None if stored is None else stored.id,
        "recorded_by": user_id,
    }
    return await create(
        session,
        result,
        values,
        filed_on=filed_on,
        review_days=review_days,
        actor_name=audit_name(actor),
        now=now,
    )


@dataclass(frozen=True)
class ObjectionView:
    """An objection with its part's enterprise and department, for the office."""

    objection: Objection
    enterprise: str
    credit_code: str
    department: str
    department_id: int

    def overdue(self, today: date) -> bool:
        """Whether an open objection is past its review deadline."""
        return self.objection.status == "open" and self.objection.review_due < today


def _views() -> Select[*tuple[Any, ...]]:
    return (
        select(Objection, Enterprise.name, Enterprise.credit_code, Department.name, Department.id)
        .join(InspectionResult, InspectionResult.id == Objection.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(Department, Department.id == InspectionResult.department_id)
    )


def _parse_ident(ident: str) -> tuple[int | None, str]:
    """(id, reference): a number of ASCII digits is an id (or a reference), else a reference."""
    value = ident.strip().upper()
    number = read_int(value, 1, MAX_ID)
    return number, value


async def find(session: AsyncSession, ident: str, *, lock: bool = False) -> Objection:
    """An objection by id or reference; NotFound otherwise."""
    number, reference = _parse_ident(ident)
    stmt = select(Objection).where(
        or_(Objection.id == number, Objection.reference == reference)
        if number is not None
        else Objection.reference == reference
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = await session.scalar(stmt)
    if found is None:
        raise NotFound("objection.not_found", id=ident[:40])
    return found


async def view(session: AsyncSession, actor: Actor | None, ident: str) -> ObjectionView:
    """One objection, if the actor may decide it."""
    objection = await find(session, ident)
    row = (await session.execute(_views().where(Objection.id == objection.id))).one()
    found = ObjectionView(*row)
    result = await session.get(InspectionResult, objection.result_id)
    assert result is not None
    parts.may_review(actor, result)
    return found


async def open_objections(session: AsyncSession, actor: Actor | None) -> list[ObjectionView]:
    """Open objections the actor may decide, the earliest review deadline first."""
    stmt = _views().where(Objection.status == "open")
    department = parts.reviews_department(actor)
    if department is not None:
        stmt = stmt.where(InspectionResult.department_id == department)
    rows = await session.execute(stmt.order_by(Objection.review_due, Objection.id))
    return [ObjectionView(*row) for row in rows]


async def decidable(
    session: AsyncSession, actor: Actor | None, ident: str
) -> tuple[Objection, InspectionResult]:
    """An open objection and its part, locked, if the actor may decide it."""
    if actor is not None:
        require_role(actor, "coordinator", "reviewer")
    objection = await find(session, ident, lock=True)
    result = await session.get(InspectionResult, objection.result_id)
    assert result is not None
    parts.may_review(actor, result)
    if objection.status != "open":
        raise Conflict("objection.decided", reference=objection.reference, status=objection.status)
    return objection, result


async def reject(
    session: AsyncSession, actor: Actor | None, ident: str, reason: str, now: datetime
) -> Objection:
    """Reject an objection with its reasons; nothing published changes."""
    objection, result = await decidable(session, actor, ident)
    why = clean_text(reason, limit=MAX_GROUNDS)
    objection.status, objection.decision = "rejected", why
    objection.decided_at, objection.decided_by = now, None if actor is None else actor.user_id
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="objection.reject",
        object_type="objection",
        object_id=objection.id,
        before={"status": "open"},
        after={"status": "rejected", "reason": why},
    )
    await tell_decision(session, actor, objection, result, now)
    return objection


async def tell_decision(
    session: AsyncSession,
    actor: Actor | None,
    objection: Objection,
    result: InspectionResult,
    now: datetime,
) -> None:
    """Tell the other coordinators and reviewers of the part how an objection was decided."""
    users = await office.handlers_of(session, result.department_id)
    enterprise = await enterprise_of(session, result)
    await office.tell(
        session,
        [u for u in users if actor is None or u != actor.user_id],
        kind="objection.decided",
        ref=f"objection:{objection.id}:{objection.status}",
        key=f"objection.{objection.status}_notice",
        params={"reference": objection.reference, "enterprise": enterprise.name},
        now=now,
    )


async def evidence_of(
    session: AsyncSession, actor: Actor | None, ident: str
) -> EvidenceFile | None:
    """The file sent with an objection, if any and if the actor may see it."""
    found = await view(session, actor, ident)
    if found.objection.evidence_id is None:
        return None
    return await session.get(EvidenceFile, found.objection.evidence_id)
