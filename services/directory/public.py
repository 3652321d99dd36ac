"""The joint item list (抽查事项清单) as the public site shows it.

Only what the list publishes anyway: item, sub-item, legal basis, departments, object type,
kind, ratio, frequency, method, level. Inactive items and internal notes stay out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import Department, Item, ItemDepartment

PAGE_SIZE = 50
MAX_QUERY = 100


@dataclass(frozen=True)
class PublicItem:
    """One active item of the joint list, with its departments by name."""

    code: str
    name: str
    sub_item: str | None
    legal_basis: str | None
    initiating: str
    cooperating: list[str]
    object_type: str | None
    kind: str  # key / general
    ratio: str | None
    frequency: str | None
    method: str | None
    level: str | None


def _search(query: str) -> list[ColumnElement[bool]]:
    text = query.strip()[:MAX_QUERY]
    if not text:
        return []
    return [
        or_(
            Item.name.contains(text, autoescape=True),
            Item.sub_item.contains(text, autoescape=True),
            Item.code.contains(text, autoescape=True),
            Item.legal_basis.contains(text, autoescape=True),
        )
    ]


async def count_items(session: AsyncSession, query: str = "") -> int:
    """How many active items match the query (name, sub-item, code or legal basis)."""
    total = await session.scalar(
        select(func.count()).select_from(Item).where(Item.active, *_search(query))
    )
    return total or 0


async def public_items(
    session: AsyncSession, query: str = "", *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[PublicItem]:
    """A page of the active items matching the query, in code order."""
    initiator = aliased(Department)
    rows = (
        await session.execute(
            select(Item, initiator.name)
            .join(initiator, initiator.id == Item.initiating_department_id)
            .where(Item.active, *_search(query))
            .order_by(Item.code)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    ids = [item.id for item, _ in rows]
    cooperating: dict[int, list[str]] = {}
    if ids:
        found = await session.execute(
            select(ItemDepartment.item_id, Department.name)
            .join(Department, Department.id == ItemDepartment.department_id)
            .where(ItemDepartment.item_id.in_(ids), ItemDepartment.role == "cooperating")
            .order_by(ItemDepartment.item_id, Department.code)
        )
        for item_id, name in found:
            cooperating.setdefault(item_id, []).append(name)
    return [
        PublicItem(
            code=item.code,
            name=item.name,
            sub_item=item.sub_item,
            legal_basis=item.legal_basis,
            initiating=initiator_name,
            cooperating=cooperating.get(item.id, []),
            object_type=item.object_type,
            kind=item.kind,
            ratio=item.ratio,
            frequency=item.frequency,
            method=item.method,
            level=item.level,
        )
        for item, initiator_name in rows
    ]
