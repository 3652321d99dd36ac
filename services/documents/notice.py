"""The 抽查通知书: what a drawn enterprise is told before the team comes (一次告知).

Also the facts of one check that the on-site record shares: the enterprise, the plan, the
items that apply to it, the team with certificate numbers, the departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    CheckPoint,
    Department,
    Draw,
    Enterprise,
    Inspector,
    Item,
    Plan,
    PlanItem,
)
from services.common.errors import NotFound
from services.documents.config import Wording
from services.documents.content import (
    Content,
    check_number,
    day_text,
    local_day,
    or_blank,
)


@dataclass(frozen=True)
class Check:
    """One check as the documents name it."""

    assignment: Assignment
    plan: Plan
    drawn_on: Any  # date | None: the day the draw was made final
    enterprise: Enterprise
    items: list[Item]
    team: list[tuple[Inspector, str]]  # (inspector, role officer/expert), in team order
    departments: dict[int, Department]
    number: str

    @property
    def lead(self) -> Inspector | None:
        """The team's lead (the first officer when none was named)."""
        for inspector, _role in self.team:
            if inspector.id == self.assignment.lead_inspector_id:
                return inspector
        return self.team[0][0] if self.team else None

    @property
    def department_id(self) -> int | None:
        """The issuing department: the lead's, else the first item's initiating one."""
        lead = self.lead
        if lead is not None:
            return lead.department_id
        return self.items[0].initiating_department_id if self.items else None


async def load_check(session: AsyncSession, assignment_id: int) -> Check:
    """The facts of one check, in a few queries."""
    row = (
        await session.execute(
            select(Assignment, Plan, Enterprise, Draw.drawn_at)
            .join(Plan, Plan.id == Assignment.plan_id)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .join(Draw, Draw.id == Assignment.draw_id)
            .where(Assignment.id == assignment_id)
        )
    ).first()
    if row is None:
        raise NotFound("task.not_found", id=assignment_id)
    assignment, plan, enterprise, drawn_at = row
    applies = or_(Item.object_type.is_(None), Item.object_type == enterprise.object_type)
    items = (
        await session.scalars(
            select(Item)
            .join(PlanItem, and_(PlanItem.item_id == Item.id, PlanItem.plan_id == plan.id))
            .where(applies)
            .order_by(Item.code)
        )
    ).all()
    team = (
        await session.execute(
            select(Inspector, AssignmentMember.role)
            .join(AssignmentMember, AssignmentMember.inspector_id == Inspector.id)
            .where(AssignmentMember.assignment_id == assignment_id)
            .order_by(AssignmentMember.position)
        )
    ).all()
    wanted = {i.initiating_department_id for i in items} | {m.department_id for m, _ in team}
    departments = (await session.scalars(select(Department).where(Department.id.in_(wanted)))).all()
    number = check_number(plan.number, plan.id, plan.check_start.year, assignment.position)
    return Check(
        assignment,
        plan,
        local_day(drawn_at),
        enterprise,
        list(items),
        [(inspector, role) for inspector, role in team],
        {d.id: d for d in departments},
        number,
    )


def enterprise_values(enterprise: Enterprise) -> dict[str, str]:
    """The enterprise as documents show it."""
    return {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "address": or_blank(enterprise.address),
        "legal_rep": or_blank(enterprise.legal_rep),
        "contact": or_blank(enterprise.contact_person),
        "phone": or_blank(enterprise.contact_phone),
    }


def team_values(check: Check, wording: Wording) -> list[dict[str, str]]:
    """The team's names, certificate numbers and departments."""
    out = []
    for inspector, role in check.team:
        department = check.departments.get(inspector.department_id)
        out.append(
            {
                "name": inspector.name,
                "cert_no": inspector.cert_no,
                "department": wording.department(
                    department.code if department else None, department.name if department else None
                ),
                "role": "专家" if role == "expert" else "执法检查人员",
            }
        )
    return out


def issuer(check: Check, wording: Wording) -> str:
    """The full name of the check's issuing department."""
    department = check.departments.get(check.department_id or 0)
    if department is None:
        return wording.office
    return wording.department(department.code, department.name)


async def _materials(session: AsyncSession, items: list[Item], wording: Wording) -> list[str]:
    """What to prepare: the check points' methods of the items, else a sentence per item."""
    points = (
        await session.execute(
            select(CheckPoint.item_id, CheckPoint.method)
            .where(CheckPoint.item_id.in_([i.id for i in items]))
            .order_by(CheckPoint.item_id, CheckPoint.seq)
        )
    ).all()
    methods: dict[int, list[str]] = {}
    for item_id, method in points:
        if method and method.strip():
            methods.setdefault(item_id, []).append(method.strip())
    out: list[str] = []
    for item in items:
        for text in methods.get(item.id) or [wording.text("materials_default", item=item.name)]:
            if text not in out:
                out.append(text)
    return out


async def notice_content(session: AsyncSession, assignment_id: int, wording: Wording) -> Content:
    """The notice of one drawn enterprise."""
    check = await load_check(session, assignment_id)
    lead = check.lead
    issued_on = check.drawn_on or check.plan.check_start
    values: dict[str, Any] = {
        "title": "联合抽查通知书",
        "number": check.number,
        "department": issuer(check, wording),
        "issued_on": day_text(issued_on),
        "enterprise": enterprise_values(check.enterprise),
        "plan": check.plan.name,
        "intro": wording.text("notice_intro"),
        "items": [
            {
                "code": item.code,
                "name": item.name + (f"（{item.sub_item}）" if item.sub_item else ""),
                "basis": or_blank(item.legal_basis),
            }
            for item in check.items
        ],
        "window": f"{day_text(check.plan.check_start)}至{day_text(check.plan.check_end)}",
        "materials": await _materials(session, check.items, wording),
        "team": team_values(check, wording),
        "departments": "、".join(
            wording.department(d.code, d.name) for d in check.departments.values()
        ),
        "contact": {
            "name": lead.name if lead else "—",
            "phone": or_blank(lead.phone) if lead else "—",
        },
        "closing": wording.text("notice_closing"),
        "seal_note": wording.get("issuer", "seal_note"),
    }
    return Content("notice", assignment_id, check.number, check.department_id, issued_on, values)
