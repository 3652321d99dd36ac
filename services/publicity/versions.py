"""Published versions of a department's part: the content the public saw, kept when a
correction replaces it, and the history anyone may read.

A part's `publication` counts its publications (1 the first, 2 and more corrections). Its
`published_at` stays the moment of the first publication, so that the figures of
publication within 20 working days keep their meaning; each replaced version keeps the
moment its content went public, and the current content went public when the last version
was replaced (or at `published_at` when it never was).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AbnormalProposal,
    Assignment,
    Case,
    ClueTransfer,
    Department,
    Enterprise,
    InspectionResult,
    Item,
    Plan,
    Problem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
    ResultVersion,
)
from services.common.clock import SHANGHAI
from services.common.errors import NotFound


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


async def _categories(session: AsyncSession, result_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ResultCategory.code, ResultCategory.platform_code, ResultCategory.name_zh)
        .join(ResultCategoryLink, ResultCategoryLink.category_id == ResultCategory.id)
        .where(ResultCategoryLink.result_id == result_id)
        .order_by(ResultCategory.sort, ResultCategory.id)
    )
    return [{"code": c, "platform_code": p, "name": n} for c, p, n in rows]


async def _measures(session: AsyncSession, result_id: int) -> dict[str, Any]:
    notices = await session.scalars(
        select(RectificationNotice)
        .where(RectificationNotice.result_id == result_id)
        .order_by(RectificationNotice.id)
    )
    cases = await session.scalars(select(Case).where(Case.result_id == result_id).order_by(Case.id))
    clues = await session.execute(
        select(ClueTransfer, Department.name)
        .join(Department, Department.id == ClueTransfer.department_id)
        .where(ClueTransfer.result_id == result_id)
        .order_by(ClueTransfer.id)
    )
    proposal = await session.scalar(
        select(AbnormalProposal).where(AbnormalProposal.result_id == result_id)
    )
    return {
        "notices": [
            {
                "number": n.number,
                "issued_on": _day(n.issued_on),
                "deadline": _day(n.deadline),
                "status": n.status,
            }
            for n in notices
        ],
        "cases": [
            {"number": c.number, "filed_on": _day(c.filed_on), "status": c.status} for c in cases
        ],
        "clues": [
            {
                "department": name,
                "description": c.description,
                "transferred_on": _day(c.transferred_on),
            }
            for c, name in clues
        ],
        "abnormal": None
        if proposal is None
        else {
            "proposed_on": _day(proposal.proposed_on),
            "due": _day(proposal.due),
            "status": proposal.status,
        },
    }


async def content(session: AsyncSession, result: InspectionResult) -> dict[str, Any]:
    """The part's published content as JSON: department, categories, problems, measures."""
    department = await session.scalar(
        select(Department.name).where(Department.id == result.department_id)
    )
    problems = await session.execute(
        select(Problem.description, Problem.legal_basis, Item.name)
        .outerjoin(Item, Item.id == Problem.item_id)
        .where(Problem.result_id == result.id)
        .order_by(Problem.id)
    )
    return {
        "department": department or "",
        "categories": await _categories(session, result.id),
        "problems": [
            {"description": d, "legal_basis": basis, "item": item} for d, basis, item in problems
        ],
        "measures": await _measures(session, result.id),
        "summary": result.summary,
        "checked_on": _day(result.checked_on),
        "published_at": None if result.published_at is None else result.published_at.isoformat(),
    }


async def _versions(session: AsyncSession, result_id: int) -> list[ResultVersion]:
    rows = await session.scalars(
        select(ResultVersion)
        .where(ResultVersion.result_id == result_id)
        .order_by(ResultVersion.number, ResultVersion.id)
    )
    return list(rows.all())


async def current_since(session: AsyncSession, result: InspectionResult) -> datetime | None:
    """When the part's current content went public."""
    replaced = await session.scalar(
        select(ResultVersion.replaced_at)
        .where(ResultVersion.result_id == result.id)
        .order_by(ResultVersion.replaced_at.desc(), ResultVersion.id.desc())
        .limit(1)
    )
    return replaced or result.published_at


async def snapshot(
    session: AsyncSession, result: InspectionResult, *, now: datetime, objection_id: int | None
) -> ResultVersion:
    """Keep the part's current published content as a version replaced now."""
    since = await current_since(session, result)
    version = ResultVersion(
        result_id=result.id,
        number=max(result.publication, 1),
        published_at=since or now,
        corrected_on=result.corrected_on,
        replaced_at=now,
        objection_id=objection_id,
        content=await content(session, result),
    )
    session.add(version)
    await session.flush()
    return version


@dataclass(frozen=True)
class PublicVersion:
    """One version of a published part as anyone may read it."""

    number: int
    published_on: date | None
    corrected_on: date | None
    categories: list[tuple[str, str]]  # (platform code, name)
    department: str
    current: bool


@dataclass(frozen=True)
class PublicHistory:
    """A published part with its versions, the current one first."""

    result_id: int
    enterprise: str
    credit_code: str
    plan: str
    department: str
    checked_on: date | None
    versions: list[PublicVersion]

    @property
    def corrected_on(self) -> date | None:
        """The date of the latest correction, or None."""
        return self.versions[0].corrected_on if self.versions else None


def _local(when: datetime | None) -> date | None:
    return None if when is None else when.astimezone(SHANGHAI).date()


def _pairs(categories: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(str(c.get("platform_code") or ""), str(c.get("name") or "")) for c in categories]


async def public_history(session: AsyncSession, result_id: int) -> PublicHistory:
    """A published part and every version it was published in; NotFound otherwise."""
    row = (
        await session.execute(
            select(InspectionResult, Enterprise.name, Enterprise.credit_code, Plan.name)
            .join(Assignment, Assignment.id == InspectionResult.assignment_id)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .join(Plan, Plan.id == Assignment.plan_id)
            .where(InspectionResult.id == result_id, InspectionResult.status == "published")
        )
    ).first()
    if row is None:
        raise NotFound("history.not_found", id=result_id)
    result, enterprise, credit_code, plan = row
    now_content = await content(session, result)
    current = PublicVersion(
        number=max(result.publication, 1),
        published_on=_local(await current_since(session, result)),
        corrected_on=result.corrected_on,
        categories=_pairs(now_content["categories"]),
        department=now_content["department"],
        current=True,
    )
    older = [
        PublicVersion(
            number=v.number,
            published_on=_local(v.published_at),
            corrected_on=v.corrected_on,
            categories=_pairs(v.content.get("categories", [])),
            department=str(v.content.get("department") or now_content["department"]),
            current=False,
        )
        for v in reversed(await _versions(session, result.id))
    ]
    return PublicHistory(
        result_id=result.id,
        enterprise=enterprise,
        credit_code=credit_code,
        plan=plan,
        department=now_content["department"],
        checked_on=result.checked_on,
        versions=[current, *older],
    )


async def versions_of(session: AsyncSession, result_id: int) -> list[ResultVersion]:
    """The replaced versions of a part, oldest first (the office's view of the history)."""
    return await _versions(session, result_id)
