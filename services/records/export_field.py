"""The field check in the publicity export: the visit, the check points, the signatures.

Optional columns (a province's template asks for them; not among the platforms' own):
检查开始时间 and 检查结束时间 (Asia/Shanghai), 检查地点 (latitude,longitude as shared),
距登记地址 (flagged beyond the radius), 检查要点结果 ("I1-1 符合；I1-2 不符合") and 签字情况
(the current signatures and refusals of the on-site record). Loaded set-based with the
rest of a chunk of parts (`export_facts.load`): three queries whatever the chunk's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ChecklistAnswer, CheckPoint, Enterprise, Item, Signature, Visit
from services.common.clock import local_text
from services.common.policy import ONSITE_RADIUS_METERS
from services.records.visits import VisitView, as_view

ANSWER_ZH = {
    "conform": "符合",
    "nonconform": "不符合",
    "unchecked": "未检查",
    "not_applicable": "合理缺项",
}
ROLE_ZH = {"inspected": "被检查人", "witness": "见证人", "officer": "执法人员"}
SEP = "；"


@dataclass(frozen=True)
class OnSite:
    """A part's field check: the shared visit, its answers ("I1-1 符合"), the signatures."""

    visit: VisitView | None = None
    answers: list[str] = field(default_factory=list)
    signatures: list[tuple[str, str, bool]] = field(default_factory=list)  # role, signer, refused


async def load(
    session: AsyncSession, assignments: dict[int, int], enterprises: dict[int, Enterprise]
) -> dict[int, OnSite]:
    """The field check of each part (`assignments`: part id -> assignment id)."""
    visits: dict[int, VisitView] = {}
    by_visit: dict[int, int] = {}
    for visit in await session.scalars(
        select(Visit).where(Visit.assignment_id.in_(set(assignments.values())))
    ):
        visits[visit.assignment_id] = as_view(visit, enterprises.get(visit.assignment_id))
        by_visit[visit.id] = visit.assignment_id
    answers: dict[int, list[str]] = {}
    for rid, code, seq, answer in await session.execute(
        select(ChecklistAnswer.result_id, Item.code, CheckPoint.seq, ChecklistAnswer.answer)
        .join(CheckPoint, CheckPoint.id == ChecklistAnswer.check_point_id)
        .join(Item, Item.id == CheckPoint.item_id)
        .where(ChecklistAnswer.result_id.in_(set(assignments)))
        .order_by(ChecklistAnswer.result_id, Item.code, CheckPoint.seq)
    ):
        answers.setdefault(rid, []).append(f"{code}-{seq} {ANSWER_ZH.get(answer, answer)}")
    signed: dict[int, list[tuple[str, str, bool]]] = {}
    if by_visit:
        for visit_id, role, signer, refused in await session.execute(
            select(Signature.visit_id, Signature.role, Signature.signer, Signature.refused)
            .where(Signature.visit_id.in_(set(by_visit)), Signature.status == "current")
            .order_by(Signature.visit_id, Signature.id)
        ):
            signed.setdefault(by_visit[visit_id], []).append((role, signer, refused))
    return {
        rid: OnSite(visits.get(aid), answers.get(rid, []), signed.get(aid, []))
        for rid, aid in assignments.items()
    }


def distance_text(visit: VisitView | None, radius_m: int = ONSITE_RADIUS_METERS) -> str:
    """The distance as "120 米" or "1.2 公里（超出 500 米）"; empty when a place is unknown."""
    if visit is None or visit.distance_m is None:
        return ""
    metres = visit.distance_m
    text = f"{metres:.0f} 米" if metres < 1000 else f"{metres / 1000:.1f} 公里"
    return f"{text}（超出 {radius_m} 米）" if visit.far(radius_m) else text


def signatures_text(on_site: OnSite) -> str:
    """Who signed the on-site record or refused to; 未签字 when nobody has yet."""
    if on_site.visit is None:
        return ""
    if not on_site.signatures:
        return "未签字"
    lines = []
    for role, signer, refused in on_site.signatures:
        if role == "paper":  # a photo of the signed paper form stands for every signature
            lines.append("纸质笔录签字照片已上传")
        else:
            lines.append(
                f"{ROLE_ZH.get(role, role)} {signer} {'拒绝签字' if refused else '已签字'}"
            )
    return SEP.join(lines)


def columns(on_site: OnSite, radius_m: int = ONSITE_RADIUS_METERS) -> dict[str, str]:
    """The field check's optional columns of a part's row."""
    visit = on_site.visit
    place, started, ended = "", "", ""
    if visit is not None:
        if visit.location is not None:
            place = f"{visit.location[0]:.6f},{visit.location[1]:.6f}"
        started = "" if visit.started_at is None else local_text(visit.started_at)
        ended = "" if visit.ended_at is None else local_text(visit.ended_at)
    return {
        "检查开始时间": started,
        "检查结束时间": ended,
        "检查地点": place,
        "距登记地址": distance_text(visit, radius_m),
        "检查要点结果": SEP.join(on_site.answers),
        "签字情况": signatures_text(on_site),
    }
