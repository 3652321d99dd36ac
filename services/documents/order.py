"""The 责令改正通知书 (the market-regulation form set's layout) and its 送达回证.

The order: its number, the enterprise, the facts found, their legal basis, what to
correct by when (the deadline with its working days on the official calendar), how to
object and the issuing department (the part's). The proof of service: the document
served, to whom, how, when, and the signature of the person inspected when the visit has
one (the image, or 拒绝签字 with the reason); otherwise the line is left to sign by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Department,
    EvidenceFile,
    InspectionResult,
    Item,
    Problem,
    RectificationNotice,
    Signature,
    Visit,
)
from services.common import calendar_store
from services.common.errors import NotFound
from services.documents.config import Wording
from services.documents.content import Content, Image, day_text, or_blank, time_text
from services.documents.notice import Check, enterprise_values, load_check, team_values


@dataclass(frozen=True)
class Order:
    """An order to correct with what it is about."""

    notice: RectificationNotice
    part: InspectionResult
    department: Department
    check: Check
    problems: list[tuple[Problem, Item | None]]


async def load_order(session: AsyncSession, notice_id: int) -> Order:
    """The order, its department part, its check and its problems."""
    row = (
        await session.execute(
            select(RectificationNotice, InspectionResult, Department)
            .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
            .join(Department, Department.id == InspectionResult.department_id)
            .where(RectificationNotice.id == notice_id)
        )
    ).first()
    if row is None:
        raise NotFound("notice.not_found", id=notice_id)
    notice, part, department = row
    where = (
        Problem.id == notice.problem_id
        if notice.problem_id is not None
        else Problem.result_id == part.id
    )
    problems = (
        await session.execute(
            select(Problem, Item)
            .outerjoin(Item, Item.id == Problem.item_id)
            .where(where)
            .order_by(Problem.id)
        )
    ).all()
    check = await load_check(session, part.assignment_id)
    return Order(notice, part, department, check, [(p, i) for p, i in problems])


def _basis(order: Order) -> list[str]:
    out: list[str] = []
    for problem, item in order.problems:
        basis = problem.legal_basis or (item.legal_basis if item else None)
        if basis and basis not in out:
            out.append(basis)
    if not out:
        out = [i.legal_basis for i in order.check.items if i.legal_basis][:1]
    return out or ["—"]


def _head(order: Order, wording: Wording) -> dict[str, Any]:
    return {
        "number": order.notice.number,
        "department": wording.department(order.department.code, order.department.name),
        "issued_on": day_text(order.notice.issued_on),
        "enterprise": enterprise_values(order.check.enterprise),
        "seal_note": wording.get("issuer", "seal_note"),
    }


async def order_content(session: AsyncSession, notice_id: int, wording: Wording) -> Content:
    """The order to correct."""
    order = await load_order(session, notice_id)
    notice = order.notice
    calendar = await calendar_store.calendar(session)
    days = calendar.working_days_between(notice.issued_on, notice.deadline)
    deadline = day_text(notice.deadline)
    values: dict[str, Any] = {
        **_head(order, wording),
        "title": "责令改正通知书",
        "intro": wording.text("order_intro"),
        "facts": [problem.description for problem, _ in order.problems] or ["—"],
        "basis": _basis(order),
        "correct": [f"{problem.description}：予以改正" for problem, _ in order.problems]
        or ["改正上述违法行为"],
        "deadline": deadline,
        "working_days": days,
        "demand": wording.text("order_demand", deadline=deadline, days=days),
        "objection": wording.text(
            "objection",
            government=wording.get("wording", "government"),
            court=wording.get("wording", "court"),
        ),
        "status": notice.status,
    }
    return Content(
        "order",
        notice_id,
        notice.number,
        order.department.id,
        notice.issued_on,
        values,
    )


async def _recipient(
    session: AsyncSession, assignment_id: int, files_dir: Path
) -> tuple[dict[str, Any], dict[str, Image]]:
    """The person inspected's current signature of the visit, if any."""
    row = (
        await session.execute(
            select(Signature, EvidenceFile)
            .join(Visit, Visit.id == Signature.visit_id)
            .outerjoin(EvidenceFile, EvidenceFile.id == Signature.evidence_id)
            .where(
                Visit.assignment_id == assignment_id,
                Signature.role == "inspected",
                Signature.status == "current",
            )
            .order_by(Signature.signed_at.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return {"name": "", "signed_at": "", "refused": False, "reason": "", "image": None}, {}
    signature, file = row
    images: dict[str, Image] = {}
    entry: dict[str, Any] = {
        "name": signature.signer,
        "signed_at": time_text(signature.signed_at),
        "refused": signature.refused,
        "reason": or_blank(signature.refusal_reason) if signature.refused else "",
        "image": None,
    }
    if file is not None and not signature.refused and file.mime == "image/png":
        images["recipient"] = Image(file.sha256, (files_dir / file.stored_path).read_bytes)
        entry["image"] = "recipient"
    return entry, images


async def service_content(
    session: AsyncSession, notice_id: int, wording: Wording, files_dir: Path
) -> Content:
    """The proof of service of an order to correct."""
    order = await load_order(session, notice_id)
    recipient, images = await _recipient(session, order.check.assignment.id, files_dir)
    enterprise = order.check.enterprise
    values: dict[str, Any] = {
        **_head(order, wording),
        "title": "送达回证",
        "served": f"责令改正通知书（{order.notice.number}）",
        "addressee": enterprise.name,
        "address": or_blank(enterprise.address),
        "method": wording.text("service_method"),
        "served_on": day_text(order.notice.issued_on),
        "servers": team_values(order.check, wording),
        "recipient": recipient,
        "refused_word": wording.text("refused") or "拒绝签字",
    }
    return Content(
        "service",
        notice_id,
        order.notice.number,
        order.department.id,
        order.notice.issued_on,
        values,
        images,
    )
