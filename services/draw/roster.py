"""A final draw's roster read from the database, and its amendments written back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, AssignmentMember, Draw, Enterprise, InspectionResult, Inspector
from models.plans import DrawAmendment
from services.accounts.actors import Actor, audit_name
from services.draw import snapshot
from services.draw.amend import Roster
from services.draw.engine import InspectorIn, draw_key
from services.draw.freeze import engine_params

# Assignment statuses a team can still change in; and records not entered yet.
LIVE = ("pending", "in_progress", "unstaffed")
NOT_ENTERED = (None, "not_entered")


@dataclass
class Loaded:
    """A draw's roster with its assignments by credit code."""

    roster: Roster
    assignments: dict[str, Assignment]
    record_status: dict[str, str | None]  # code -> its record's status, None when none


def pool_of(entry: dict[str, Any]) -> list[InspectorIn]:
    """The inspectors of a supplement's entry."""
    return [InspectorIn(i["cert"], i["department"], bool(i["expert"])) for i in entry["inspectors"]]


async def done_amendments(session: AsyncSession, draw_id: int) -> list[DrawAmendment]:
    """The draw's applied amendments, in order."""
    rows = await session.scalars(
        select(DrawAmendment)
        .where(DrawAmendment.draw_id == draw_id, DrawAmendment.status == "done")
        .order_by(DrawAmendment.seq)
    )
    return list(rows.all())


# How far a record has gone, in order.
_PROGRESS = ("not_entered", "draft", "returned", "awaiting_review", "approved", "published")


def furthest(statuses: list[str | None]) -> str | None:
    """The most advanced of a check's part statuses (None when no part is started)."""
    known = [s for s in statuses if s is not None]
    return max(known, key=_PROGRESS.index) if known else None


async def load(session: AsyncSession, draw: Draw) -> Loaded:
    """The roster of a final draw as it stands, ready for the next amendment."""
    elig = snapshot.unpack(draw.snapshot_blob)
    found = (
        await session.execute(
            select(Assignment, Enterprise.credit_code, InspectionResult.status)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .outerjoin(InspectionResult, InspectionResult.assignment_id == Assignment.id)
            .where(Assignment.draw_id == draw.id)
            .order_by(Assignment.position)
        )
    ).all()
    # One row per check: its department parts stand where the most advanced one stands.
    parts: dict[int, tuple[Assignment, str, list[str | None]]] = {}
    for assignment, code, status in found:
        parts.setdefault(assignment.id, (assignment, code, []))[2].append(status)
    rows = [(a, code, furthest(statuses)) for a, code, statuses in parts.values()]
    members = await session.execute(
        select(AssignmentMember.assignment_id, Inspector.cert_no)
        .join(Inspector, Inspector.id == AssignmentMember.inspector_id)
        .join(Assignment, Assignment.id == AssignmentMember.assignment_id)
        .where(Assignment.draw_id == draw.id)
        .order_by(AssignmentMember.assignment_id, AssignmentMember.position)
    )
    by_id: dict[int, list[str]] = {}
    for assignment_id, cert in members:
        by_id.setdefault(assignment_id, []).append(cert)
    codes = [code for _, code, _ in rows]
    departments = elig.departments_of(set(codes))
    pool = sorted(elig.inspectors, key=lambda i: i.cert)
    roster = Roster(
        engine_params(draw.params),
        {code: tuple(sorted(set(departments[code]))) for code in codes},
        codes,
        {code: by_id.get(a.id, []) for a, code, _ in rows},
        {code: tuple(a.shortfalls) for a, code, _ in rows},
        {i.cert: i for i in pool},
        pool,
        draw_key(bytes.fromhex(draw.seed_hex), draw.salt or ""),
        set(elig.recusals),
        {code for a, code, _ in rows if a.status == "cancelled"},
    )
    for amendment in await done_amendments(session, draw.id):
        entry = amendment.entry
        roster.recused |= {(c, e) for c, e in entry.get("recusals", [])}
        if amendment.kind == "supplement":
            roster.pool = sorted(pool_of(entry), key=lambda i: i.cert)
            roster.known.update((i.cert, i) for i in roster.pool)
            roster.key = draw_key(bytes.fromhex(entry["seed"]), entry["salt"])
    return Loaded(
        roster,
        {code: a for a, code, _ in rows},
        {code: status for _, code, status in rows},
    )


async def write_team(
    session: AsyncSession,
    assignment: Assignment,
    team: Sequence[str],
    shortfalls: Sequence[str],
    known: dict[str, InspectorIn],
) -> None:
    """Make the stored team of an assignment this one, in this order."""
    found = await session.execute(
        select(Inspector.cert_no, Inspector.id).where(Inspector.cert_no.in_(list(team)))
    )
    ids: dict[str, int] = {cert: inspector_id for cert, inspector_id in found}
    rows = (
        await session.scalars(
            select(AssignmentMember).where(AssignmentMember.assignment_id == assignment.id)
        )
    ).all()
    wanted = [ids[cert] for cert in team]
    current = {row.inspector_id: row for row in rows}
    for row in rows:
        if row.inspector_id not in wanted:
            await session.delete(row)
    for position, (cert, inspector_id) in enumerate(zip(team, wanted, strict=True), start=1):
        row = current.get(inspector_id) or AssignmentMember(
            assignment_id=assignment.id, inspector_id=inspector_id
        )
        if inspector_id not in current:
            session.add(row)
        row.position = position
        row.role = "expert" if known[cert].expert else "officer"
    assignment.lead_inspector_id = wanted[0] if wanted else None
    assignment.shortfalls = list(shortfalls)
    if assignment.status == "unstaffed" and wanted:
        assignment.status = "pending"
    await session.flush()


async def next_seq(session: AsyncSession, draw_id: int) -> int:
    """The number of the draw's next amendment (the caller holds the draw's lock)."""
    last = await session.scalar(
        select(func.max(DrawAmendment.seq)).where(DrawAmendment.draw_id == draw_id)
    )
    return (last or 0) + 1


def utc_text(moment: datetime) -> str:
    """A moment as the record writes it: ISO 8601 in UTC."""
    return moment.astimezone(UTC).isoformat()


async def add(
    session: AsyncSession,
    draw: Draw,
    actor: Actor | None,
    now: datetime,
    kind: str,
    entry: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> DrawAmendment:
    """Store an applied amendment as the draw's next entry (the draw row is locked)."""
    seq = await next_seq(session, draw.id)
    amendment = DrawAmendment(
        draw_id=draw.id,
        seq=seq,
        kind=kind,
        status="done",
        entry={"seq": seq, "kind": kind, "at": utc_text(now), "by": audit_name(actor), **entry},
        before=before or {},
        created_at=now,
        created_by=None if actor is None else actor.user_id,
    )
    session.add(amendment)
    await session.flush()
    return amendment
