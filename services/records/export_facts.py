"""What the full publicity export says of each department part, loaded set-based.

`load` reads a chunk of parts in a fixed number of queries (the parts, their categories,
orders, cases, clues and proposals, the field check (`export_field`); the plans and their
items once per plan); the export (`platform_export`) turns each `Part` into a row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

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
    ItemDepartment,
    Plan,
    PlanItem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
)
from services.common.clock import SHANGHAI
from services.records import export_field
from services.records.export_field import OnSite

# How the platforms name the ways a point was verified, and words that say each in an
# item's free-text method ("现场检查、抽样检验" is 实地核查 and 检验检测).
METHODS: dict[str, tuple[str, ...]] = {
    "实地核查": ("实地", "现场"),
    "书面核查": ("书面",),
    "网络监测": ("网络", "网上", "互联网", "在线"),
    "其他部门结果": ("其他部门", "部门结果", "采信"),
    "检验检测": ("检验", "检测", "抽检", "抽样"),
    "委托专业机构": ("委托", "专业机构", "第三方"),
}
DEFAULT_METHOD = "实地核查"
MEASURES = ("责令改正", "立案查处", "移送其他部门", "列入经营异常名录")
NO_MEASURE = "无"
# Orders to correct that need nothing more (a case filed goes on as the case).
NOTICE_DONE = ("corrected", "case_filed")


@dataclass(frozen=True)
class Selection:
    """Which parts an export covers; by default the published ones of every plan."""

    year: int | None = None
    plan_id: int | None = None
    department: str | None = None  # a department's code
    include_unpublished: bool = False


def methods_of(texts: Iterable[str | None]) -> list[str]:
    """The platforms' verification methods named in items' method texts, in their order."""
    found = set()
    for text in texts:
        for method, words in METHODS.items():
            if text and (method in text or any(w in text for w in words)):
                found.add(method)
    return [m for m in METHODS if m in found] or [DEFAULT_METHOD]


@dataclass(frozen=True)
class PlanItemFacts:
    """An item of a plan: to whom it applies, its method and its departments."""

    name: str
    object_type: str | None
    method: str | None
    departments: frozenset[int]


@dataclass
class PlanFacts:
    """A plan as the export shows it."""

    number: str
    name: str
    kind: str  # 定向 / 不定向
    items: list[PlanItemFacts] = field(default_factory=list)

    def items_of(self, department_id: int, object_type: str | None) -> list[PlanItemFacts]:
        """The items a department checks at an enterprise of this object type."""
        applying = [i for i in self.items if i.object_type in (None, object_type)] or self.items
        return [i for i in applying if department_id in i.departments] or applying


class PlanCache:
    """Plans with their items, each loaded once for a whole export."""

    def __init__(self) -> None:
        self.plans: dict[int, PlanFacts] = {}

    async def need(self, session: AsyncSession, plan_ids: set[int]) -> None:
        """Load the plans not loaded yet, with their items and the items' departments."""
        missing = plan_ids - set(self.plans)
        if not missing:
            return
        for plan in await session.scalars(select(Plan).where(Plan.id.in_(missing))):
            number = plan.number or f"JC{plan.check_start.year}{plan.id:04d}"
            targeted = plan.districts or plan.industries or plan.object_types
            self.plans[plan.id] = PlanFacts(number, plan.name, "定向" if targeted else "不定向")
        rows = (
            await session.execute(
                select(PlanItem.plan_id, Item)
                .join(Item, Item.id == PlanItem.item_id)
                .where(PlanItem.plan_id.in_(missing))
                .order_by(Item.code)
            )
        ).all()
        departments: dict[int, set[int]] = defaultdict(set)
        links = await session.execute(
            select(ItemDepartment.item_id, ItemDepartment.department_id).where(
                ItemDepartment.item_id.in_({item.id for _pid, item in rows})
            )
        )
        for item_id, department_id in links:
            departments[item_id].add(department_id)
        for plan_id, item in rows:
            members = frozenset({item.initiating_department_id, *departments[item.id]})
            name = item.name if not item.sub_item else f"{item.name}（{item.sub_item}）"
            facts = PlanItemFacts(name, item.object_type, item.method, members)
            self.plans[plan_id].items.append(facts)


@dataclass
class FollowUp:
    """What was done after the check: measures, whether any is open, closing dates."""

    measures: list[str] = field(default_factory=list)
    open: bool = False
    dates: list[date] = field(default_factory=list)

    def add(self, measure: str, is_open: bool, when: date | None) -> None:
        """Record one measure taken."""
        if measure not in self.measures:
            self.measures.append(measure)
            self.measures.sort(key=MEASURES.index)
        self.open = self.open or is_open
        if when is not None:
            self.dates.append(when)


@dataclass(frozen=True)
class Part:
    """One department's part of a joint check, with everything its row shows."""

    id: int
    status: str
    plan: PlanFacts
    position: int
    department: str
    enterprise: str
    credit_code: str
    checked_on: date | None
    published_on: date | None
    corrected_on: date | None
    categories: list[tuple[str, str]]  # (platform code, name) in tree order
    methods: list[str]
    items: list[str]
    followup: FollowUp
    # The field check: the shared visit, the part's answers, the signatures.
    on_site: OnSite = field(default_factory=OnSite)


async def load(session: AsyncSession, ids: list[int], plans: PlanCache) -> list[Part]:
    """The parts of `ids`, in that order, each with its categories, methods and follow-up."""
    rows = (
        await session.execute(
            select(
                InspectionResult.id,
                InspectionResult.status,
                InspectionResult.checked_on,
                InspectionResult.published_at,
                InspectionResult.corrected_on,
                InspectionResult.department_id,
                Department.name,
                Assignment.plan_id,
                Assignment.position,
                Enterprise.name,
                Enterprise.credit_code,
                Enterprise.object_type,
                Assignment.id,
                Enterprise,
            )
            .join(Assignment, Assignment.id == InspectionResult.assignment_id)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .join(Department, Department.id == InspectionResult.department_id)
            .where(InspectionResult.id.in_(ids))
        )
    ).all()
    by_id = {row[0]: row for row in rows}
    await plans.need(session, {row[7] for row in rows})
    categories: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for rid, code, key, name in await session.execute(
        select(
            ResultCategoryLink.result_id,
            ResultCategory.platform_code,
            ResultCategory.code,
            ResultCategory.name_zh,
        )
        .join(ResultCategory, ResultCategory.id == ResultCategoryLink.category_id)
        .where(ResultCategoryLink.result_id.in_(ids))
        .order_by(ResultCategory.sort)
    ):
        categories[rid].append((code or key, name))
    follow = await _followups(session, ids)
    on_site = await export_field.load(
        session, {rid: by_id[rid][12] for rid in ids}, {row[12]: row[13] for row in rows}
    )
    parts = []
    for rid in ids:
        row = by_id[rid]
        plan = plans.plans[row[7]]
        items = plan.items_of(row[5], row[11])
        parts.append(
            Part(
                id=rid,
                status=row[1],
                plan=plan,
                position=row[8],
                department=row[6],
                enterprise=row[9],
                credit_code=row[10],
                checked_on=row[2],
                published_on=_local_date(row[3]),
                corrected_on=row[4],
                categories=categories.get(rid, []),
                methods=methods_of(i.method for i in items),
                items=[i.name for i in items],
                followup=follow.get(rid) or FollowUp(),
                on_site=on_site.get(rid) or OnSite(),
            )
        )
    return parts


def _local_date(when: datetime | None) -> date | None:
    return None if when is None else when.astimezone(SHANGHAI).date()


async def _followups(session: AsyncSession, ids: list[int]) -> dict[int, FollowUp]:
    out: dict[int, FollowUp] = defaultdict(FollowUp)
    notices = select(
        RectificationNotice.result_id,
        RectificationNotice.status,
        RectificationNotice.corrected_on,
        RectificationNotice.reinspected_on,
    ).where(RectificationNotice.result_id.in_(ids))
    for rid, status, corrected, reinspected in await session.execute(notices):
        done = status in NOTICE_DONE
        out[rid].add("责令改正", not done, (corrected or reinspected) if done else None)
    cases = select(Case.result_id, Case.status, Case.closed_on).where(Case.result_id.in_(ids))
    for rid, status, closed in await session.execute(cases):
        out[rid].add("立案查处", status != "closed", closed)
    clues = select(ClueTransfer.result_id, ClueTransfer.transferred_on).where(
        ClueTransfer.result_id.in_(ids)
    )
    for rid, transferred in await session.execute(clues):
        out[rid].add("移送其他部门", False, transferred)
    proposals = select(
        AbnormalProposal.result_id, AbnormalProposal.status, AbnormalProposal.closed_on
    ).where(AbnormalProposal.result_id.in_(ids), AbnormalProposal.status != "dropped")
    for rid, status, closed in await session.execute(proposals):
        out[rid].add("列入经营异常名录", status == "open", closed)
    return dict(out)
