"""Who may be drawn for a plan, and why everyone else may not (the preview's figures)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain, compress
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, not_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from models import (
    Assignment,
    Department,
    Draw,
    Enterprise,
    Inspector,
    Item,
    ItemDepartment,
    Plan,
    PlanItem,
    Recusal,
)
from services.draw.engine import RISK_CLASSES, InspectorIn

# Eligible enterprises as the database hands them over: one string per risk class of lines
# "<credit code>\t<type key>". Keeping them joined (codes and keys are pulled out by
# C-level splits) is what lets a draw over a million enterprises cost little more than
# reading their codes. The key stands for the enterprise's object type when the plan has
# items of that type ("1", "2", ...), else it is "": only the departments follow from the
# type, and short ASCII keys keep the strings at one byte a character.
SEP = "\t"
Reader = AsyncSession | AsyncConnection
A = TypeVar("A")
B = TypeVar("B")


def _columns(text: str) -> tuple[list[str], list[str]]:
    """Codes and type keys of joined "code\tkey" lines, as two parallel lists."""
    if not text:
        return [], []
    # Neither codes nor keys hold a tab or a newline: after turning tabs into newlines the
    # pieces alternate code, key, code, key...
    parts = text.replace(SEP, "\n").split("\n")
    return parts[0::2], parts[1::2]


@dataclass
class Eligibility:
    """The frozen input of a draw, and the reasons for every exclusion."""

    entries: dict[str, str]  # risk class -> joined lines "code\ttype key"
    departments_by_key: dict[str, list[str]]  # type key -> departments
    inspectors: list[InspectorIn]
    recusals: list[tuple[str, str]]  # (cert, code)
    plan_departments: list[str]
    enterprise_exclusions: Counter[str] = field(default_factory=Counter)
    inspector_exclusions: Counter[str] = field(default_factory=Counter)
    # False only for snapshots frozen before type keys (format 2), which gave a type without
    # items of its own no departments: their draws must recompute as they were drawn.
    general_for_other_types: bool = True
    _columns: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def columns(self, risk: str) -> tuple[list[str], list[str]]:
        """The class's codes and their department keys, as two parallel lists."""
        found = self._columns.get(risk)
        if found is None:
            found = self._columns[risk] = _columns(self.entries.get(risk, ""))
        return found

    def codes_by_risk(self) -> dict[str, list[str]]:
        """Eligible codes per risk class, in no order (the draw ranks them all)."""
        return {risk: self.columns(risk)[0] for risk in RISK_CLASSES}

    def populations(self) -> dict[str, int]:
        """Eligible enterprises per risk class."""
        return {risk: len(codes) for risk, codes in self.codes_by_risk().items()}

    def departments_of(self, wanted: set[str]) -> dict[str, tuple[str, ...]]:
        """The departments that check each wanted enterprise."""
        out: dict[str, tuple[str, ...]] = {}
        for risk in RISK_CLASSES:
            codes, types = self.columns(risk)
            # The membership test runs in C over the whole class; only hits reach Python.
            for i in compress(range(len(codes)), map(wanted.__contains__, codes)):
                out[codes[i]] = self.departments_for(types[i])
        return out

    def departments_for(self, key: str) -> tuple[str, ...]:
        """The departments an enterprise of this department key brings."""
        # An unknown key is a type without items of its own: the items for every type.
        found = self.departments_by_key.get(key)
        if found is None:
            found = self.departments_by_key.get("", []) if self.general_for_other_types else []
        return tuple(found)

    def enterprises(self) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """Every eligible enterprise as (code, risk, departments), for the record."""
        for risk in RISK_CLASSES:
            codes, types = self.columns(risk)
            for code, key in zip(codes, types, strict=True):
                yield code, risk, self.departments_for(key)

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
    if not plan.allow_overlap:
        rules.append(("in_open_plan", Enterprise.id.in_(_in_overlapping_plans(plan))))
    return rules


def _in_overlapping_plans(plan: Plan) -> Select[Any]:
    """Enterprises drawn by another plan whose check window overlaps this plan's.

    Their check is under way (a submitted one also sets the last check date): drawing
    them again would send two teams through one door. An uncorrelated subquery, computed
    once, so that the scan over the whole directory stays one pass.
    """
    other = aliased(Plan)
    return (
        select(Assignment.enterprise_id)
        .join(Draw, Draw.id == Assignment.draw_id)
        .join(other, other.id == Assignment.plan_id)
        .where(
            Draw.status == "final",
            Assignment.plan_id != plan.id,
            Assignment.status != "cancelled",
            other.check_start <= plan.check_end,
            other.check_end >= plan.check_start,
        )
    )


async def compute(session: AsyncSession, plan: Plan, *, locked: bool = False) -> Eligibility:
    """Apply every rule of domain-rules.md to the directories for this plan.

    `locked`: the transaction holds SQLite's write lock (a freeze), so that a second
    connection reads exactly what this one does.
    """
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
    count = select(*[func.sum(case((c, 1), else_=0)) for c in first_failing]).select_from(
        Enterprise
    )
    known = sorted(t for t in types if t is not None)
    keys = {t: str(n) for n, t in enumerate(known, start=1)}
    type_key = case(keys, value=Enterprise.object_type, else_="") if keys else literal("")
    line = Enterprise.credit_code + SEP + type_key
    per_risk = [
        func.aggregate_strings(case((Enterprise.risk_class == risk, line)), "\n")
        for risk in RISK_CLASSES
    ]
    gather = select(*per_risk).where(and_(*[not_(rule) for _, rule in rules]))

    async def side(db: Reader) -> tuple[Sequence[Any], tuple[list[InspectorIn], Counter[str]]]:
        return (await db.execute(count)).one(), await _inspectors(db, plan, plan_departments)

    async def main(db: Reader) -> Sequence[Any]:
        return (await db.execute(gather)).one()

    (counts, (inspectors, inspector_excluded)), joined = await _alongside(
        session, locked, side, main
    )
    excluded: Counter[str] = Counter(
        {name: int(n) for (name, _), n in zip(rules, counts, strict=True) if n}
    )
    entries = {risk: text or "" for risk, text in zip(RISK_CLASSES, joined, strict=True)}
    common = by_type.get(None, set())
    departments_by_key = {keys[t]: sorted(common | by_type[t]) for t in known}
    departments_by_key[""] = sorted(common)
    elig = Eligibility(
        entries,
        departments_by_key,
        inspectors,
        [],
        plan_departments,
        excluded,
        inspector_excluded,
    )
    elig.recusals = await _recusals(session, elig)
    return elig


async def _alongside(
    session: AsyncSession,
    locked: bool,
    side: Callable[[Reader], Coroutine[Any, Any, A]],
    main: Callable[[Reader], Coroutine[Any, Any, B]],
) -> tuple[A, B]:
    """`side` and `main` read in this transaction; on a locked SQLite file, `side` runs on a
    second connection meanwhile.

    SQLite runs each query on one core with the GIL released, so the two scans then take
    the time of the longer one. Nobody can commit while this transaction holds the write
    lock, so the other connection sees the same data. The second connection comes from the
    pool (5 + 10 overflow); the other holders of connections in this process queue behind
    the write lock one at a time, so the pool is not exhausted while this one waits.
    """
    engine = session.bind
    if not (locked and isinstance(engine, AsyncEngine) and _sqlite_file(engine)):
        return await side(session), await main(session)

    async def elsewhere() -> A:
        async with engine.connect() as conn:
            return await side(conn)

    # A task group, not gather: if one side fails the other is cancelled before the
    # transaction is rolled back under it.
    async with asyncio.TaskGroup() as group:
        first = group.create_task(elsewhere())
        second = group.create_task(main(session))
    return first.result(), second.result()


def _sqlite_file(engine: AsyncEngine) -> bool:
    # An in-memory database is private to its connection.
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


async def _inspectors(
    db: Reader, plan: Plan, plan_departments: list[str]
) -> tuple[list[InspectorIn], Counter[str]]:
    rows = await db.execute(
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
