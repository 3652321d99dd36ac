"""Who may be drawn for a plan, and why everyone else may not (the preview's figures)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain, compress

from sqlalchemy import ColumnElement, and_, case, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import Department, Enterprise, Inspector, Item, ItemDepartment, Plan, PlanItem, Recusal
from services.draw_engine import RISK_CLASSES, InspectorIn

# Eligible enterprises as the database hands them over: one string per risk class of lines
# "<credit code>\t<object type>". Keeping them joined (codes and types are pulled out by
# C-level splits) is what lets a draw over a million enterprises cost little more than
# reading their codes.
SEP = "\t"


def _columns(text: str) -> tuple[list[str], list[str]]:
    """Codes and object types of joined "code\ttype" lines, as two parallel lists."""
    if not text:
        return [], []
    # Neither codes nor types hold a tab or a newline: after turning tabs into newlines the
    # pieces alternate code, type, code, type...
    parts = text.replace(SEP, "\n").split("\n")
    return parts[0::2], parts[1::2]


@dataclass
class Eligibility:
    """The frozen input of a draw, and the reasons for every exclusion."""

    entries: dict[str, str]  # risk class -> joined lines "code\tobject type"
    departments_by_type: dict[str, list[str]]  # object type ("" for none) -> departments
    inspectors: list[InspectorIn]
    recusals: list[tuple[str, str]]  # (cert, code)
    plan_departments: list[str]
    enterprise_exclusions: Counter[str] = field(default_factory=Counter)
    inspector_exclusions: Counter[str] = field(default_factory=Counter)
    _columns: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def _split(self, risk: str) -> tuple[list[str], list[str]]:
        found = self._columns.get(risk)
        if found is None:
            found = self._columns[risk] = _columns(self.entries.get(risk, ""))
        return found

    def codes_by_risk(self) -> dict[str, list[str]]:
        """Eligible codes per risk class, in no order (the draw ranks them all)."""
        return {risk: self._split(risk)[0] for risk in RISK_CLASSES}

    def populations(self) -> dict[str, int]:
        """Eligible enterprises per risk class."""
        return {risk: len(codes) for risk, codes in self.codes_by_risk().items()}

    def departments_of(self, wanted: set[str]) -> dict[str, tuple[str, ...]]:
        """The departments that check each wanted enterprise."""
        out: dict[str, tuple[str, ...]] = {}
        for risk in RISK_CLASSES:
            codes, types = self._split(risk)
            # The membership test runs in C over the whole class; only hits reach Python.
            for i in compress(range(len(codes)), map(wanted.__contains__, codes)):
                out[codes[i]] = tuple(self.departments_by_type.get(types[i], ()))
        return out

    def enterprises(self) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """Every eligible enterprise as (code, risk, departments), for the record."""
        for risk in RISK_CLASSES:
            codes, types = self._split(risk)
            for code, object_type in zip(codes, types, strict=True):
                yield code, risk, tuple(self.departments_by_type.get(object_type, ()))

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


def _rules(plan: Plan, types: set[str | None]) -> list[tuple[str, ColumnElement[bool]]]:
    """Each exclusion rule as SQL that is true or false, never NULL, in the order applied."""
    cutoff = plan.check_start - timedelta(days=plan.recent_window_days)

    def text(column: InstrumentedAttribute[str | None]) -> ColumnElement[str]:
        # A missing district or industry is not in any list: excluded, and counted.
        return func.coalesce(column, "")

    rules: list[tuple[str, ColumnElement[bool]]] = [("status", Enterprise.status != "active")]
    if plan.districts:
        rules.append(("district", text(Enterprise.district).not_in(plan.districts)))
    if plan.industries:
        rules.append(("industry", text(Enterprise.industry).not_in(plan.industries)))
    if plan.object_types:
        rules.append(("object_type", text(Enterprise.object_type).not_in(plan.object_types)))
    if None not in types:
        specific = sorted(t for t in types if t is not None)
        rules.append(("no_item", text(Enterprise.object_type).not_in(specific)))
    recent = func.coalesce(Enterprise.last_checked_on > cutoff, False)
    rules.append(("recently_checked", recent))
    return rules


async def compute(session: AsyncSession, plan: Plan) -> Eligibility:
    """Apply every rule of domain-rules.md to the directories for this plan."""
    by_type, plan_departments = await _departments_by_type(session, plan.id)
    types = set(by_type)
    rules = _rules(plan, types)
    # Two scans and no GROUP BY (SQLite would sort a million rows for it): the first counts
    # each exclusion by the first rule it fails; the second returns each risk class's
    # eligible enterprises as one string.
    first_failing = [
        and_(rule, *[not_(earlier) for _, earlier in rules[:i]])
        for i, (_, rule) in enumerate(rules)
    ]
    counts = (
        await session.execute(
            select(*[func.sum(case((c, 1), else_=0)) for c in first_failing]).select_from(
                Enterprise
            )
        )
    ).one()
    excluded: Counter[str] = Counter(
        {name: int(n) for (name, _), n in zip(rules, counts, strict=True) if n}
    )
    line = Enterprise.credit_code + SEP + func.coalesce(Enterprise.object_type, "")
    per_risk = [
        func.aggregate_strings(case((Enterprise.risk_class == risk, line)), "\n")
        for risk in RISK_CLASSES
    ]
    eligible = and_(*[not_(rule) for _, rule in rules])
    joined = (await session.execute(select(*per_risk).where(eligible))).one()
    entries = {risk: text or "" for risk, text in zip(RISK_CLASSES, joined, strict=True)}
    common = by_type.get(None, set())
    known = {t for t in types if t is not None}
    departments_by_type = {t: sorted(common | by_type.get(t, set())) for t in known}
    if common:
        departments_by_type[""] = sorted(common)
    inspectors, inspector_excluded = await _inspectors(session, plan, plan_departments)
    elig = Eligibility(
        entries,
        departments_by_type,
        inspectors,
        [],
        plan_departments,
        excluded,
        inspector_excluded,
    )
    elig.recusals = await _recusals(session, elig)
    return elig


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


async def _recusals(session: AsyncSession, elig: Eligibility) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(Inspector.cert_no, Enterprise.credit_code)
        .select_from(Recusal)
        .join(Inspector, Inspector.id == Recusal.inspector_id)
        .join(Enterprise, Enterprise.id == Recusal.enterprise_id)
    )
    certs = {i.cert for i in elig.inspectors}
    pairs = [(cert, code) for cert, code in rows if cert in certs]
    if not pairs:
        return []
    named = {code for _, code in pairs}
    eligible = named.intersection(chain.from_iterable(elig.codes_by_risk().values()))
    return sorted(p for p in pairs if p[1] in eligible)
