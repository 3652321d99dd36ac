"""The 现场检查笔录 / 随机抽查情况记录表 of one joint check: the shared visit and every part.

Times, place, who attended, certificates shown, the recusal question and its answer, each
department's check points with answer and note, the problems, the measures and the
signatures: the drawn images from the signature page, or 拒绝签字 with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Case,
    ChecklistAnswer,
    CheckPoint,
    ClueTransfer,
    Department,
    EvidenceFile,
    InspectionResult,
    Item,
    Problem,
    RectificationNotice,
    Signature,
    Visit,
)
from services.documents.config import Wording
from services.documents.content import (
    ANSWERS,
    BLANK,
    ROLES,
    Content,
    Image,
    day_text,
    local_day,
    or_blank,
    time_text,
    yes_no,
)
from services.documents.notice import enterprise_values, issuer, load_check, team_values

ROLE_ORDER = {"inspected": 0, "witness": 1, "officer": 2, "paper": 3}


def _place(visit: Visit | None, address: str | None) -> str:
    place = or_blank(address)
    if visit is not None and visit.latitude is not None and visit.longitude is not None:
        place += f"（定位 {visit.latitude:.5f}, {visit.longitude:.5f}）"
    return place


async def _parts(session: AsyncSession, assignment_id: int) -> list[tuple[InspectionResult, str]]:
    rows = await session.execute(
        select(InspectionResult, Department.name)
        .join(Department, Department.id == InspectionResult.department_id)
        .where(InspectionResult.assignment_id == assignment_id)
        .order_by(InspectionResult.id)
    )
    return [(part, name) for part, name in rows]


async def _points(
    session: AsyncSession, part_ids: list[int], names: dict[int, str]
) -> list[dict[str, str]]:
    rows = await session.execute(
        select(ChecklistAnswer, CheckPoint, Item.name)
        .join(CheckPoint, CheckPoint.id == ChecklistAnswer.check_point_id)
        .join(Item, Item.id == CheckPoint.item_id)
        .where(ChecklistAnswer.result_id.in_(part_ids))
        .order_by(ChecklistAnswer.result_id, Item.code, CheckPoint.seq)
    )
    return [
        {
            "department": names[answer.result_id],
            "item": item,
            "content": point.content,
            "basis": or_blank(point.basis),
            "answer": ANSWERS.get(answer.answer, answer.answer),
            "note": or_blank(answer.note),
        }
        for answer, point, item in rows
    ]


async def _problems(session: AsyncSession, part_ids: list[int]) -> list[dict[str, str]]:
    rows = await session.execute(
        select(Problem, Item.name)
        .outerjoin(Item, Item.id == Problem.item_id)
        .where(Problem.result_id.in_(part_ids))
        .order_by(Problem.id)
    )
    return [
        {
            "item": or_blank(item),
            "description": problem.description,
            "basis": or_blank(problem.legal_basis),
            "found_on": day_text(problem.found_on),
        }
        for problem, item in rows
    ]


async def _measures(session: AsyncSession, part_ids: list[int]) -> list[str]:
    out = []
    for notice in await session.scalars(
        select(RectificationNotice)
        .where(RectificationNotice.result_id.in_(part_ids))
        .order_by(RectificationNotice.id)
    ):
        out.append(f"下达责令改正通知书（{notice.number}），限{day_text(notice.deadline)}前改正")
    for case in await session.scalars(
        select(Case).where(Case.result_id.in_(part_ids)).order_by(Case.id)
    ):
        out.append(f"立案查处（{case.number}），{day_text(case.filed_on)}立案")
    for clue, department in await session.execute(
        select(ClueTransfer, Department.name)
        .join(Department, Department.id == ClueTransfer.department_id)
        .where(ClueTransfer.result_id.in_(part_ids))
        .order_by(ClueTransfer.id)
    ):
        out.append(f"移送{department}：{clue.description}")
    return out


async def _signatures(
    session: AsyncSession, visit: Visit | None, files_dir: Path
) -> tuple[list[dict[str, Any]], dict[str, Image]]:
    if visit is None:
        return [], {}
    rows = (
        await session.execute(
            select(Signature, EvidenceFile)
            .outerjoin(EvidenceFile, EvidenceFile.id == Signature.evidence_id)
            .where(Signature.visit_id == visit.id, Signature.status == "current")
            .order_by(Signature.signed_at, Signature.id)
        )
    ).all()
    rows = sorted(rows, key=lambda r: ROLE_ORDER.get(r[0].role, 9))
    out: list[dict[str, Any]] = []
    images: dict[str, Image] = {}
    for n, (signature, file) in enumerate(rows, start=1):
        entry: dict[str, Any] = {
            "role": ROLES.get(signature.role, "签字页"),
            "signer": signature.signer,
            "signed_at": time_text(signature.signed_at),
            "refused": signature.refused,
            "reason": or_blank(signature.refusal_reason) if signature.refused else "",
            "image": None,
        }
        if file is not None and not signature.refused and file.mime == "image/png":
            name = f"signature{n}"
            images[name] = Image(file.sha256, _loader(files_dir / file.stored_path))
            entry["image"] = name
        out.append(entry)
    return out, images


def _loader(path: Path) -> Any:
    return path.read_bytes


async def onsite_content(
    session: AsyncSession, assignment_id: int, wording: Wording, files_dir: Path
) -> Content:
    """The on-site record of one check (every department's part)."""
    check = await load_check(session, assignment_id)
    visit = await session.scalar(select(Visit).where(Visit.assignment_id == assignment_id))
    parts = await _parts(session, assignment_id)
    names = {part.id: name for part, name in parts}
    part_ids = list(names)
    signatures, images = await _signatures(session, visit, files_dir)
    checked = [part.checked_on for part, _ in parts if part.checked_on is not None]
    day = (
        local_day(visit.started_at if visit and visit.started_at else None)
        or (max(checked) if checked else None)
        or check.drawn_on
        or check.plan.check_start
    )
    refused = wording.text("refused") or "拒绝签字"
    for entry in signatures:
        if entry["refused"]:
            entry["signer"] = f"{entry['signer']}（{refused}：{entry['reason']}）"
    values: dict[str, Any] = {
        "title": "现场检查笔录",
        "number": check.number,
        "department": issuer(check, wording),
        "issued_on": day_text(day),
        "enterprise": enterprise_values(check.enterprise),
        "plan": check.plan.name,
        "started_at": time_text(visit.started_at if visit else None),
        "ended_at": time_text(visit.ended_at if visit else None),
        "place": _place(visit, check.enterprise.address),
        "attendees": [
            {"name": str(a.get("name", "")), "post": or_blank(a.get("post"))}
            for a in (visit.attendees if visit else []) or []
        ],
        "team": team_values(check, wording),
        "certificates_shown": yes_no(visit.certificates_shown if visit else None),
        "recusal_explained": yes_no(visit.recusal_explained if visit else None),
        "recusal_answer": or_blank(visit.recusal_answer if visit else None),
        "parts": [
            {"department": names[part.id], "summary": or_blank(part.summary)} for part, _ in parts
        ],
        "points": await _points(session, part_ids, names),
        "problems": await _problems(session, part_ids),
        "measures": await _measures(session, part_ids) or [BLANK],
        "signatures": signatures,
        "refused_word": refused,
        "seal_note": wording.get("issuer", "seal_note"),
    }
    return Content("onsite", assignment_id, check.number, check.department_id, day, values, images)
