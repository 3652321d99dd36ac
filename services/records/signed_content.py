"""What the on-site record's signatures sign: its canonical content and that content's hash.

The on-site record (现场检查笔录) of a joint check is the visit every department shares and
each department's part: its check date, summary, result categories, problems, the orders
to correct issued and the checklist answers. Its canonical form is sorted JSON of those
rows (ids, codes, texts, ISO dates; never a row's bookkeeping such as `version` or who
answered when), and a signature keeps the SHA-256 of it. Cases and clue transfers are not
in it: they are decisions taken after the visit (a case is often filed from an order
during the follow-up), as are the follow-up of orders (status, re-inspection, extension).
A part opened that holds nothing yet is left out, so that opening a part changes nothing.

This module imports no other record module, so that `results` and the other
record-changing services may call `require_unsigned` without an import circle.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ChecklistAnswer,
    InspectionResult,
    Problem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
    Signature,
    Visit,
)
from services.common.errors import Conflict

CONTENT_FORMAT = 1
VISIT_FIELDS = (
    "started_at",
    "ended_at",
    "latitude",
    "longitude",
    "location_source",
    "location_at",
    "attendees",
    "certificates_shown",
    "recusal_explained",
    "recusal_answer",
)

_RECORDED = ("summary", "categories", "problems", "orders", "answers")


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _visit(visit: Visit | None) -> dict[str, Any] | None:
    if visit is None:
        return None
    return {name: _plain(getattr(visit, name)) for name in VISIT_FIELDS}


async def record_content(session: AsyncSession, assignment_id: int) -> dict[str, Any]:
    """The on-site record of one joint check as plain, canonical data."""
    visit = await session.scalar(select(Visit).where(Visit.assignment_id == assignment_id))
    parts = list(
        (
            await session.scalars(
                select(InspectionResult)
                .where(InspectionResult.assignment_id == assignment_id)
                .order_by(InspectionResult.department_id)
            )
        ).all()
    )
    ids = [p.id for p in parts]
    categories: dict[int, list[str]] = {}
    for result_id, code in await session.execute(
        select(ResultCategoryLink.result_id, ResultCategory.code)
        .join(ResultCategory, ResultCategory.id == ResultCategoryLink.category_id)
        .where(ResultCategoryLink.result_id.in_(ids))
    ):
        categories.setdefault(result_id, []).append(code)
    problems: dict[int, list[dict[str, Any]]] = {}
    for p in await session.scalars(
        select(Problem).where(Problem.result_id.in_(ids)).order_by(Problem.id)
    ):
        problems.setdefault(p.result_id, []).append(
            {
                "id": p.id,
                "item": p.item_id,
                "description": p.description,
                "legal_basis": p.legal_basis,
                "found_on": p.found_on.isoformat(),
            }
        )
    notices: dict[int, list[dict[str, Any]]] = {}
    for n in await session.scalars(
        select(RectificationNotice)
        .where(RectificationNotice.result_id.in_(ids))
        .order_by(RectificationNotice.id)
    ):
        notices.setdefault(n.result_id, []).append(
            {
                "id": n.id,
                "number": n.number,
                "problem": n.problem_id,
                "issued_on": n.issued_on.isoformat(),
                "deadline": n.deadline.isoformat(),
            }
        )
    answers: dict[int, list[dict[str, Any]]] = {}
    for a in await session.scalars(
        select(ChecklistAnswer)
        .where(ChecklistAnswer.result_id.in_(ids))
        .order_by(ChecklistAnswer.check_point_id)
    ):
        answers.setdefault(a.result_id, []).append(
            {
                "check_point": a.check_point_id,
                "answer": a.answer,
                "note": a.note,
                "problem": a.problem_id,
            }
        )
    entries = [
        {
            "department": p.department_id,
            "checked_on": _plain(p.checked_on),
            "summary": p.summary,
            "categories": sorted(categories.get(p.id, [])),
            "problems": problems.get(p.id, []),
            "orders": notices.get(p.id, []),
            "answers": answers.get(p.id, []),
        }
        for p in parts
    ]
    return {
        "format": CONTENT_FORMAT,
        "assignment": assignment_id,
        "visit": _visit(visit),
        # A part opened but holding nothing yet records nothing: a department that opens
        # its part after the signing does not change what was signed until it writes.
        "parts": [e for e in entries if any(e[k] for k in _RECORDED)],
    }


def canonical_json(content: dict[str, Any]) -> bytes:
    """The one byte form of the content that is hashed: sorted keys, no spaces, UTF-8."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


async def content_sha256(session: AsyncSession, assignment_id: int) -> str:
    """The SHA-256 of the on-site record's canonical content, as it is now."""
    return hashlib.sha256(canonical_json(await record_content(session, assignment_id))).hexdigest()


async def current_signatures(session: AsyncSession, visit_id: int) -> list[Signature]:
    """The visit's signatures (and refusals) that are not superseded, oldest first."""
    rows = await session.scalars(
        select(Signature)
        .where(Signature.visit_id == visit_id, Signature.status == "current")
        .order_by(Signature.id)
    )
    return list(rows.all())


async def require_unsigned(
    session: AsyncSession, assignment_id: int, *, any_change: bool = False
) -> None:
    """Refuse a change that alters a signed on-site record (Conflict sign.record_signed).

    Called at the end of a record-changing service, after its change (the query flushes
    it): when current signatures exist and the content now differs from what they
    signed, the change is refused and the caller's transaction rolls it back. A change
    outside the signed content (a photo, a submission) passes. With `any_change`, the
    check is made before a change: any current signature refuses it. The visit's row is
    locked (PostgreSQL), so a signature and a change of the same record never interleave.
    """
    visit_id = await session.scalar(
        select(Visit.id).where(Visit.assignment_id == assignment_id).with_for_update()
    )
    if visit_id is None:
        return
    signed = await current_signatures(session, visit_id)
    if not signed:
        return
    if not any_change:
        now = await content_sha256(session, assignment_id)
        if all(s.content_sha256 == now for s in signed):
            return
    raise Conflict("sign.record_signed", id=assignment_id)
