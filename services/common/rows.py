"""Reading one row by id, or refusing politely when it is not there."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import NotFound

T = TypeVar("T")


async def existing(
    session: AsyncSession, model: type[T], ident: int, key: str, *, lock: bool = False
) -> T:
    """The `model` row with this id, or NotFound(key, id=ident).

    `lock`: for a status change, FOR UPDATE on PostgreSQL (on SQLite the IMMEDIATE
    transaction already serialises) and read afresh rather than from the session.
    """
    row = await session.get(
        model, ident, with_for_update=True if lock else None, populate_existing=lock
    )
    if row is None:
        raise NotFound(key, id=ident)
    return row
