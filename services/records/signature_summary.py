"""The on-site record as its signers read it before signing: who, when, what was found.

Shown on the signature page and in /sign: the enterprise, the date, the items checked,
each department's part (result categories, problems, orders to correct, checklist
answers), the people of the enterprise present and the officers of the team. It is read
from the same rows as the signed content (`signed_content`), with names instead of ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    ChecklistAnswer,
    CheckPoint,
    Department,
    Enterprise,
    InspectionResult,
    Inspector,
    Problem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
    Visit,
)
from services.common.clock import SHANGHAI
from services.common.rows import existing
from services.records.task_views import items_for_assignment


@dataclass(frozen=True)
class Answer:
    """A check point and its answer (conform / nonconform / unchecked / not_applicable)."""

    check_point: str
    answer: str
    note: str | None


@dataclass(frozen=True)
class PartSummary:
    """One department's part as the signers read it."""

    department: str
    checked_on: date | None
    categories: list[str]
    problems: list[tuple[str, str | None]]  # description, legal basis
    orders: list[tuple[str, date]]  # number, deadline
    answers: list[Answer]


@dataclass(frozen=True)
class Officer:
    """An officer of the team, who signs the record too."""

    inspector_id: int
    name: str
    cert_no: str


@dataclass(frozen=True)
class RecordSummary:
    """The on-site record of one joint check, for reading before signing."""

    assignment_id: int
    enterprise: str
    credit_code: str
    address: str | None
    day: date | None
    items: list[str]
    parts: list[PartSummary]
    attendees: list[tuple[str, str]]  # name, post
    officers: list[Officer]


async def team_officers(session: AsyncSession, assignment_id: int) -> list[Officer]:
    """The officers of the team (experts do not sign as officers), in team order."""
    rows = await session.execute(
        select(Inspector.id, Inspector.name, Inspector.cert_no)
        .join(AssignmentMember, AssignmentMember.inspector_id == Inspector.id)
        .where(AssignmentMember.assignment_id == assignment_id, AssignmentMember.role == "officer")
        .order_by(AssignmentMember.position)
    )
    return [Officer(i, name, cert) for i, name, cert in rows]


def attendee_list(visit: Visit | None) -> list[tuple[str, str]]:
    """The enterprise's people present, as (name, post), from the visit's JSON."""
    out: list[tuple[str, str]] = []
    for entry in [] if visit is None else visit.attendees or []:
        if isinstance(entry, dict) and str(entry.get("name") or "").strip():
            out.append((str(entry["name"]).strip(), str(entry.get("post") or "").strip()))
    return out


async def _part(session: AsyncSession, part: InspectionResult, department: str) -> PartSummary:
    categories = await session.scalars(
        select(ResultCategory.name_zh)
        .join(ResultCategoryLink, ResultCategoryLink.category_id == ResultCategory.id)
        .where(ResultCategoryLink.result_id == part.id)
        .order_by(ResultCategory.sort)
    )
    problems = await session.execute(
        select(Problem.description, Problem.legal_basis)
        .where(Problem.result_id == part.id)
        .order_by(Problem.id)
    )
    orders = await session.execute(
        select(RectificationNotice.number, RectificationNotice.deadline)
        .where(RectificationNotice.result_id == part.id)
        .order_by(RectificationNotice.id)
    )
    answers = await session.execute(
        select(CheckPoint.content, ChecklistAnswer.answer, ChecklistAnswer.note)
        .join(CheckPoint, CheckPoint.id == ChecklistAnswer.check_point_id)
        .where(ChecklistAnswer.result_id == part.id)
        .order_by(CheckPoint.item_id, CheckPoint.seq)
    )
    return PartSummary(
        department=department,
        checked_on=part.checked_on,
        categories=list(categories.all()),
        problems=[(d, b) for d, b in problems],
        orders=[(n, d) for n, d in orders],
        answers=[Answer(c, a, n) for c, a, n in answers],
    )


async def record_summary(session: AsyncSession, assignment_id: int) -> RecordSummary:
    """The record of one joint check with names, for the signature page and /sign."""
    assignment = await existing(session, Assignment, assignment_id, "task.not_found")
    enterprise = await session.get(Enterprise, assignment.enterprise_id)
    assert enterprise is not None
    visit = await session.scalar(select(Visit).where(Visit.assignment_id == assignment_id))
    rows = await session.execute(
        select(InspectionResult, Department.name)
        .join(Department, Department.id == InspectionResult.department_id)
        .where(InspectionResult.assignment_id == assignment_id)
        .order_by(InspectionResult.id)
    )
    parts = [await _part(session, part, name) for part, name in rows.all()]
    day: date | None = None
    if visit is not None and visit.started_at is not None:
        day = visit.started_at.astimezone(SHANGHAI).date()
    else:
        dates = [p.checked_on for p in parts if p.checked_on is not None]
        day = min(dates) if dates else None
    items = await items_for_assignment(session, assignment)
    return RecordSummary(
        assignment_id=assignment_id,
        enterprise=enterprise.name,
        credit_code=enterprise.credit_code,
        address=enterprise.address,
        day=day,
        items=[item.name for item in items],
        parts=parts,
        attendees=attendee_list(visit),
        officers=await team_officers(session, assignment_id),
    )
