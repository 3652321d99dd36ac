"""Substitutions due: members who stopped being eligible after the freeze (a recusal
recorded, leaving, leave, a certificate ending before the check does) while their team's
record is not entered. `propose` offers each to the coordinators once, with a button doing
it; the scheduler's sweep runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Draw,
    Enterprise,
    InspectionResult,
    Inspector,
    Plan,
    Recusal,
)
from services.draw import notify

# Why a member stopped being eligible, and the cause its substitution records.
CAUSE_OF = {"recusal": "recusal", "left": "left", "on_leave": "other", "cert_expired": "other"}


@dataclass(frozen=True)
class Proposal:
    """A member who stopped being eligible after the freeze, while the record is not entered."""

    assignment_id: int
    inspector_id: int
    cert: str
    name: str
    enterprise: str
    why: str  # recusal / left / on_leave / cert_expired


async def proposals(session: AsyncSession) -> list[Proposal]:
    """Every member of a live team of a final draw who should be substituted, and why."""
    rows = await session.execute(
        select(
            Assignment.id,
            Inspector.id,
            Inspector.cert_no,
            Inspector.name,
            Enterprise.name,
            Recusal.id,
            Inspector.status,
            Inspector.cert_expiry < Plan.check_end,
        )
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(AssignmentMember, AssignmentMember.assignment_id == Assignment.id)
        .join(Inspector, Inspector.id == AssignmentMember.inspector_id)
        .outerjoin(
            Recusal,
            and_(
                Recusal.inspector_id == Inspector.id,
                Recusal.enterprise_id == Assignment.enterprise_id,
            ),
        )
        .where(
            Draw.status == "final",
            Assignment.status.in_(("pending", "in_progress")),
            # No department has started its part yet (the team is still changeable).
            ~exists().where(
                InspectionResult.assignment_id == Assignment.id,
                InspectionResult.status != "not_entered",
            ),
        )
        .order_by(Assignment.id, AssignmentMember.position)
    )
    out = []
    for aid, iid, cert, name, enterprise, recusal, status, lapsed in rows:
        why = (
            "recusal"
            if recusal is not None
            else status
            if status in ("left", "on_leave")
            else "cert_expired"
            if lapsed
            else None
        )
        if why is not None:
            out.append(Proposal(aid, iid, cert, name, enterprise, why))
    return out


async def propose(session: AsyncSession, now: datetime) -> int:
    """Offer the coordinators each substitution due, once (with a button doing it)."""
    found = await proposals(session)
    coordinators = await notify.coordinators(session)
    for p in found:
        await notify.tell(
            session,
            coordinators,
            kind="draw.proposal",
            ref=f"propose:{p.assignment_id}:{p.inspector_id}:{p.why}",
            key=f"sub.proposed_{p.why}",
            params={
                "id": str(p.assignment_id),
                "enterprise": p.enterprise,
                "name": p.name,
                "cert": p.cert,
            },
            now=now,
            buttons=[[["sub.button_do", f"sub:{p.assignment_id}:{p.inspector_id}:{p.why}"]]],
        )
    return len(found)
