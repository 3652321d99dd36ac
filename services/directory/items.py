"""One item of the joint list as a check needs it: basis, departments and check points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckPoint, Department, Item, ItemDepartment
from services.common.errors import NotFound

MAX_QUERY = 64  # characters of a code or name looked for
FOUND = 30  # items listed when a search finds several


@dataclass(frozen=True)
class Point:
    """A check point: its number within the item, content, method and legal basis."""

    seq: int
    content: str
    method: str | None
    basis: str | None


@dataclass(frozen=True)
class ItemDetail:
    """An item with its departments by name and its check points in order."""

    code: str
    name: str
    sub_item: str | None
    legal_basis: str | None
    object_type: str | None
    kind: str  # key / general
    method: str | None
    ratio: str | None
    frequency: str | None
    active: bool
    initiating: str
    cooperating: list[str]
    points: list[Point]


async def check_points(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, list[Point]]:
    """The check points of these items, each item's in order (items without: absent)."""
    found: dict[int, list[Point]] = {}
    if not item_ids:
        return found
    rows = await session.scalars(
        select(CheckPoint)
        .where(CheckPoint.item_id.in_(sorted(set(item_ids))))
        .order_by(CheckPoint.item_id, CheckPoint.seq)
    )
    for p in rows:
        found.setdefault(p.item_id, []).append(Point(p.seq, p.content, p.method, p.basis))
    return found


async def find_items(session: AsyncSession, text: str) -> list[tuple[str, str]]:
    """(code, name) of the items whose code is `text` (any case), else whose code or name
    contains it; active items first, by code, at most `FOUND`."""
    wanted = text.strip()[:MAX_QUERY]
    if not wanted:
        return []
    exact = await session.execute(
        select(Item.code, Item.name).where(func.upper(Item.code) == wanted.upper())
    )
    rows = [(code, name) for code, name in exact]
    if len(rows) == 1:
        return rows
    matches = or_(
        Item.code.contains(wanted, autoescape=True), Item.name.contains(wanted, autoescape=True)
    )
    found = await session.execute(
        select(Item.code, Item.name)
        .where(matches)
        .order_by(Item.active.desc(), Item.code)
        .limit(FOUND)
    )
    return [(code, name) for code, name in found]


async def active_items(session: AsyncSession) -> tuple[list[tuple[str, str]], int]:
    """The first `FOUND` active items (code, name) by code, and how many are active."""
    total = await session.scalar(select(func.count()).select_from(Item).where(Item.active))
    rows = await session.execute(
        select(Item.code, Item.name).where(Item.active).order_by(Item.code).limit(FOUND)
    )
    return [(code, name) for code, name in rows], total or 0


async def item_detail(session: AsyncSession, code: str) -> ItemDetail:
    """The item with this code, its departments and its check points; NotFound if none."""
    item = await session.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise NotFound("item.not_found", code=code[:MAX_QUERY])
    rows = await session.execute(
        select(ItemDepartment.role, Department.name)
        .join(Department, Department.id == ItemDepartment.department_id)
        .where(ItemDepartment.item_id == item.id)
        .order_by(Department.code)
    )
    names = [(role, name) for role, name in rows]
    initiator = await session.get(Department, item.initiating_department_id)
    points = await check_points(session, [item.id])
    return ItemDetail(
        code=item.code,
        name=item.name,
        sub_item=item.sub_item,
        legal_basis=item.legal_basis,
        object_type=item.object_type,
        kind=item.kind,
        method=item.method,
        ratio=item.ratio,
        frequency=item.frequency,
        active=item.active,
        initiating=initiator.name if initiator is not None else "",
        cooperating=[name for role, name in names if role == "cooperating"],
        points=points.get(item.id, []),
    )
