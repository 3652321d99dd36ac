"""Demo data: a believable district, loaded idempotently (natural keys are upserted)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CheckPoint,
    Department,
    Enterprise,
    Inspector,
    Item,
    ItemDepartment,
    Recusal,
    User,
    UserRole,
)
from services.common import audit
from services.directory import demo_checkpoints, demo_data
from services.directory.creditcode import CHARSET, make_code

ENTERPRISES = 300
RISK_WEIGHTS = {"A": 35, "B": 40, "C": 17, "D": 8}


@dataclass(frozen=True)
class DemoCounts:
    """How many rows of each kind the load added."""

    departments: int = 0
    items: int = 0
    enterprises: int = 0
    inspectors: int = 0
    recusals: int = 0
    users: int = 0
    check_points: int = 0

    @property
    def total(self) -> int:
        """Rows added in all."""
        return sum(vars(self).values())


def _name(rng: random.Random) -> str:
    return rng.choice(demo_data.SURNAMES) + "".join(rng.sample(demo_data.GIVEN, rng.randint(1, 2)))


async def is_empty(session: AsyncSession) -> bool:
    """True when there are no users yet (a fresh database)."""
    return not await session.scalar(select(func.count()).select_from(User))


async def load(session: AsyncSession, today: date, now: datetime) -> DemoCounts:
    """Load (or complete) the demo district; running it twice adds nothing."""
    rng = random.Random(2022)  # fixed: the same district on every machine
    dept_added, departments = await _departments(session)
    items = await _items(session, departments)
    points = await _check_points(session)
    enterprises = await _enterprises(session, rng, today)
    inspectors, inspector_ids = await _inspectors(session, rng, departments, today)
    recusals = await _recusals(session, rng, inspector_ids)
    users = await _users(session, inspector_ids, now)
    counts = DemoCounts(dept_added, items, enterprises, inspectors, recusals, users, points)
    if counts.total:
        await audit.record(
            session, at=now, actor="cli", action="demo.load", after=vars(counts).copy()
        )
    return counts


async def _departments(session: AsyncSession) -> tuple[int, dict[str, int]]:
    existing = {d.code: d for d in (await session.scalars(select(Department))).all()}
    added = 0
    for code, name in demo_data.DEPARTMENTS:
        if code not in existing:
            existing[code] = Department(code=code, name=name)
            session.add(existing[code])
            added += 1
    await session.flush()
    return added, {code: d.id for code, d in existing.items()}


async def _items(session: AsyncSession, departments: dict[str, int]) -> int:
    known = set((await session.scalars(select(Item.code))).all())
    added = 0
    for code, name, object_type, basis, initiator, cooperating, kind in demo_data.ITEMS:
        if code in known:
            continue
        item = Item(
            code=code,
            name=name,
            object_type=object_type,
            legal_basis=basis,
            initiating_department_id=departments[initiator],
            kind=kind,
            method="现场检查",
        )
        session.add(item)
        await session.flush()
        session.add(
            ItemDepartment(item_id=item.id, department_id=departments[initiator], role="initiating")
        )
        for other in cooperating:
            session.add(
                ItemDepartment(
                    item_id=item.id, department_id=departments[other], role="cooperating"
                )
            )
        added += 1
    return added


async def _check_points(session: AsyncSession) -> int:
    """The demo items' check points that are missing, by (item, number)."""
    rows = await session.execute(select(Item.code, Item.id))
    items: dict[str, int] = {code: item_id for code, item_id in rows}
    pairs = await session.execute(select(CheckPoint.item_id, CheckPoint.seq))
    existing = {(item_id, seq) for item_id, seq in pairs}
    added = 0
    for code, points in demo_checkpoints.POINTS.items():
        for seq, (content, method, basis) in enumerate(points, start=1):
            item_id = items.get(code)
            if item_id is None or (item_id, seq) in existing:
                continue
            session.add(
                CheckPoint(item_id=item_id, seq=seq, content=content, method=method, basis=basis)
            )
            added += 1
    await session.flush()
    return added


async def _enterprises(session: AsyncSession, rng: random.Random, today: date) -> int:
    known = set((await session.scalars(select(Enterprise.credit_code))).all())
    risks = list(RISK_WEIGHTS)
    weights = list(RISK_WEIGHTS.values())
    added = 0
    for n in range(ENTERPRISES):
        body = "92" if n % 7 == 0 else "91"  # 92: individual businesses
        org = "".join(rng.choice(CHARSET[:-1]) for _ in range(8)) + CHARSET[n % 30]
        code = make_code(body + demo_data.DIVISION + org)
        object_type = demo_data.OBJECT_TYPES[n % len(demo_data.OBJECT_TYPES)]
        brand = "".join(rng.sample(demo_data.BRANDS, 2))
        town = rng.choice(demo_data.TOWNS)
        status = "active" if n % 25 else rng.choice(["closed", "deregistered", "revoked"])
        last = today - timedelta(days=rng.randint(30, 900)) if n % 5 == 0 else None
        # Draw every random value before the skip, so a re-run follows the same sequence.
        row = Enterprise(
            credit_code=code,
            name=f"乐都区{brand}{demo_data.SUFFIX_OF[object_type]}",
            legal_rep=_name(rng),
            address=f"海东市乐都区{town}{rng.randint(1, 300)}号",
            district=town,
            industry=demo_data.INDUSTRY_OF[object_type],
            object_type=object_type,
            contact_person=_name(rng),
            contact_phone=f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            risk_class=rng.choices(risks, weights)[0],
            status=status,
            last_checked_on=last,
        )
        if code in known:
            continue
        session.add(row)
        added += 1
    await session.flush()
    return added


async def _inspectors(
    session: AsyncSession, rng: random.Random, departments: dict[str, int], today: date
) -> tuple[int, list[int]]:
    by_cert = {i.cert_no: i for i in (await session.scalars(select(Inspector))).all()}
    plan = [(d, False) for d, n in demo_data.INSPECTORS_PER_DEPARTMENT.items() for _ in range(n)]
    plan += [("SCJG", True)] * demo_data.EXPERTS
    added, ids = 0, []
    for n, (dept, expert) in enumerate(plan, start=1):
        cert = f"63020{list(departments).index(dept) + 1}{n:04d}"
        name = _name(rng)
        # A few expired certificates, one on leave and one who left: the draw must skip them.
        expiry = today + timedelta(days=rng.randint(200, 1500))
        if n % 13 == 0:
            expiry = today - timedelta(days=rng.randint(1, 300))
        status = "on_leave" if n == 17 else "left" if n == 29 else "active"
        phone = f"139{rng.randint(0, 99_999_999):08d}"
        if cert not in by_cert:
            by_cert[cert] = Inspector(
                cert_no=cert,
                cert_expiry=expiry,
                name=name,
                department_id=departments[dept],
                status=status,
                is_expert=expert,
                post="特邀专家" if expert else "执法人员",
                phone=phone,
            )
            session.add(by_cert[cert])
            added += 1
        await session.flush()
        ids.append(by_cert[cert].id)
    return added, ids


async def _recusals(session: AsyncSession, rng: random.Random, inspector_ids: list[int]) -> int:
    enterprise_ids = list(await session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
    rows = await session.execute(select(Recusal.inspector_id, Recusal.enterprise_id))
    existing = {(inspector, enterprise) for inspector, enterprise in rows}
    added = 0
    for _ in range(6):
        pair = (rng.choice(inspector_ids), rng.choice(enterprise_ids))
        if pair in existing:
            continue
        existing.add(pair)
        session.add(Recusal(inspector_id=pair[0], enterprise_id=pair[1], reason="近亲属任职"))
        added += 1
    return added


async def _users(session: AsyncSession, inspector_ids: list[int], now: datetime) -> int:
    known = set((await session.scalars(select(User.login))).all())
    wanted: list[tuple[str, str, str, int | None]] = [
        ("admin", "系统管理员", "admin", None),
        ("coord", "联席办 李协调", "coordinator", None),
        ("leader", "分管领导 王局长", "leader", None),
    ]
    for n, person in enumerate(inspector_ids, start=1):
        wanted.append((f"insp{n:02d}", "", "inspector", person))
    added = 0
    for login, name, role, inspector_id in wanted:
        if login in known:
            continue
        if inspector_id is not None:
            inspector = await session.get(Inspector, inspector_id)
            name = inspector.name if inspector else login
        user = User(login=login, display_name=name, inspector_id=inspector_id, created_at=now)
        session.add(user)
        await session.flush()
        session.add(UserRole(user_id=user.id, role=role))
        added += 1
    return added
