"""Who may be drawn for a plan, and why everyone else may not (the preview's figures)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Enterprise, Inspector, Item, ItemDepartment, Plan, PlanItem, Recusal
from services.draw_engine import RISK_CLASSES, InspectorIn

# A group of eligible enterprises sharing a risk class and the departments that check them.
GroupKey = tuple[str, tuple[str, ...]]


@dataclass
class Eligibility:
    """The frozen input of a draw, and the reasons for every exclusion."""

    groups: dict[GroupKey, list[str]]
    inspectors: list[InspectorIn]
    recusals: list[tuple[str, str]]  # (cert, code)
    plan_departments: list[str]
    enterprise_exclusions: Counter[str] = field(default_factory=Counter)
    inspector_exclusions: Counter[str] = field(default_factory=Counter)

    def codes_by_risk(self) -> dict[str, list[str]]:
        """Eligible codes per risk class, sorted."""
        out: dict[str, list[str]] = {c: [] for c in RISK_CLASSES}
        for (risk, _), codes in self.groups.items():
            out[risk].extend(codes)
        for codes in out.values():
            codes.sort()
        return out

    def populations(self) -> dict[str, int]:
        """Eligible enterprises per risk class."""
        out = dict.fromkeys(RISK_CLASSES, 0)
        for (risk, _), codes in self.groups.items():
            out[risk] += len(codes)
        return out

    def departments_of(self, wanted: set[str]) -> dict[str, tuple[str, ...]]:
        """The departments that check each wanted enterprise."""
        out: dict[str, tuple[str, ...]] = {}
        for (_, depts), codes in self.groups.items():
            for code in codes:
                if code in wanted:
                    out[code] = depts
        return out

    def officers_by_department(self) -> dict[str, int]:
        """Eligible officers (experts aside) of each plan department."""
        counts = dict.fromkeys(self.plan_departments, 0)
        for i in self.inspectors:
            if not i.expert and i.department in counts:
                counts[i.department] += 1
        return counts


async def _departments_by_type(
    session: AsyncSession, plan_id: int
) -> tuple[dict[str | None, set[str]], list[str]]:
    rows = await session.execute(
        select(Item.object_type, Department.code)
        .join(PlanItem, PlanItem.item_id == Item.id)
        .join(ItemDepartment, ItemDepartment.item_id == Item.id)
        .join(Department, Department.id == ItemDepartment.department_id)
        .where(PlanItem.plan_id == plan_id)
    )
    by_type: dict[str | None, set[str]] = {}
    for object_type, dept in rows:
        by_type.setdefault(object_type, set()).add(dept)
    plan_departments = sorted(set().union(*by_type.values())) if by_type else []
    return by_type, plan_departments


def _reason(plan: Plan, types: set[str | None]) -> ColumnElement[str | None]:
    """The first rule an enterprise fails, as SQL, or NULL when it is eligible."""
    cutoff = plan.check_start - timedelta(days=plan.recent_window_days)
    whens: list[tuple[ColumnElement[bool], str]] = [(Enterprise.status != "active", "status")]
    if plan.districts:
        whens.append((~Enterprise.district.in_(plan.districts), "district"))
    if plan.industries:
        whens.append((~Enterprise.industry.in_(plan.industries), "industry"))
    if plan.object_types:
        whens.append((~Enterprise.object_type.in_(plan.object_types), "object_type"))
    if None not in types:
        specific = [t for t in types if t is not None]
        no_item = or_(Enterprise.object_type.is_(None), ~Enterprise.object_type.in_(specific))
        whens.append((no_item, "no_item"))
    whens.append((Enterprise.last_checked_on > cutoff, "recently_checked"))
    return case(*whens, else_=None)


def _eligible_filter(plan: Plan, types: set[str | None]) -> ColumnElement[bool]:
    cutoff = plan.check_start - timedelta(days=plan.recent_window_days)
    conds: list[ColumnElement[bool]] = [Enterprise.status == "active"]
    if plan.districts:
        conds.append(Enterprise.district.in_(plan.districts))
    if plan.industries:
        conds.append(Enterprise.industry.in_(plan.industries))
    if plan.object_types:
        conds.append(Enterprise.object_type.in_(plan.object_types))
    if None not in types:
        conds.append(Enterprise.object_type.in_([t for t in types if t is not None]))
    conds.append(or_(Enterprise.last_checked_on.is_(None), Enterprise.last_checked_on <= cutoff))
    return and_(true(), *conds)


async def compute(session: AsyncSession, plan: Plan) -> Eligibility:
    """Apply every rule of domain-rules.md to the directories for this plan."""
    by_type, plan_departments = await _departments_by_type(session, plan.id)
    types = set(by_type)
    reason = _reason(plan, types).label("reason")
    excluded: Counter[str] = Counter()
    for why, count in await session.execute(
        select(reason, func.count()).group_by(reason).select_from(Enterprise)
    ):
        if why is not None:
            excluded[why] = count
    common = by_type.get(None, set())
    groups: dict[GroupKey, list[str]] = {}
    rows = await session.execute(
        select(Enterprise.credit_code, Enterprise.risk_class, Enterprise.object_type).where(
            _eligible_filter(plan, types)
        )
    )
    depts_of_type: dict[str | None, tuple[str, ...]] = {}
    for code, risk, object_type in rows:
        depts = depts_of_type.get(object_type)
        if depts is None:
            depts = tuple(sorted(common | by_type.get(object_type, set())))
            depts_of_type[object_type] = depts
        groups.setdefault((risk, depts), []).append(code)
    inspectors, inspector_excluded = await _inspectors(session, plan, plan_departments)
    recusals = await _recusals(session, groups, inspectors)
    return Eligibility(groups, inspectors, recusals, plan_departments, excluded, inspector_excluded)


async def _inspectors(
    session: AsyncSession, plan: Plan, plan_departments: list[str]
) -> tuple[list[InspectorIn], Counter[str]]:
    rows = await session.execute(
        select(
            Inspector.cert_no,
            Department.code,
            Inspector.is_expert,
            Inspector.status,
            Inspector.cert_expiry,
        ).join(Department, Department.id == Inspector.department_id)
    )
    wanted = set(plan_departments)
    eligible: list[InspectorIn] = []
    excluded: Counter[str] = Counter()
    for cert, dept, expert, status, expiry in rows:
        if status != "active":
            excluded[f"status_{status}"] += 1
        elif expiry < plan.check_end:
            # The law wants a valid certificate for the whole check window.
            excluded["cert_expired"] += 1
        elif not expert and dept not in wanted:
            excluded["department"] += 1
        else:
            eligible.append(InspectorIn(cert, dept, bool(expert)))
    eligible.sort(key=lambda i: i.cert)
    return eligible, excluded


async def _recusals(
    session: AsyncSession, groups: dict[GroupKey, list[str]], inspectors: list[InspectorIn]
) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(Inspector.cert_no, Enterprise.credit_code)
        .select_from(Recusal)
        .join(Inspector, Inspector.id == Recusal.inspector_id)
        .join(Enterprise, Enterprise.id == Recusal.enterprise_id)
    )
    certs = {i.cert for i in inspectors}
    pairs = [(cert, code) for cert, code in rows if cert in certs]
    if not pairs:
        return []
    codes = {code for _, code in pairs}
    eligible_codes = {c for group in groups.values() for c in group if c in codes}
    return sorted(p for p in pairs if p[1] in eligible_codes)
