"""Bulk writes for large imports: one prepared statement, executemany, no ORM objects.

`insert_columns` compiles the INSERT for the session's dialect with SQLAlchemy and runs
the driver's executemany on values already converted by each column's own type (the same
conversion SQLAlchemy would apply), so SQLite and PostgreSQL share this one code path while
a million rows skip the per-row work of the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5000  # rows per statement, and values per IN list (well under every driver's limit)


async def insert_columns(
    session: AsyncSession,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert rows given column by column (equal lengths), plus values common to all rows."""
    constants = constants or {}
    count = len(next(iter(columns.values()))) if columns else 0
    if not count:
        return
    conn = await session.connection()
    dialect = conn.dialect
    names = (*columns, *constants)
    sql, order = _insert_sql(table, names, dialect)
    processed: dict[str, Iterable[Any]] = {}
    for name in names:
        process = table.c[name].type.bind_processor(dialect)
        if name in constants:
            value = constants[name]
            processed[name] = repeat(process(value) if process else value, count)
        else:
            values = columns[name]
            processed[name] = map(process, values) if process else values
    rows = list(zip(*(processed[name] for name in order), strict=False))
    await conn.exec_driver_sql(sql, rows)


@lru_cache(maxsize=64)
def _insert_sql(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[str, list[str]]:
    """The INSERT of these columns for the dialect, and the order its parameters take."""
    compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(names))
    return str(compiled), list(compiled.positiontup or names)


async def update_rows(
    session: AsyncSession, table: Table, changes: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """Update rows by id, each with its own changed values (grouped by the columns set)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, values in changes:
        names = tuple(sorted(values))
        groups.setdefault(names, []).append(
            {"row_id": row_id, **{f"v_{n}": v for n, v in values.items()}}
        )
    for names, params in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({n: bindparam(f"v_{n}") for n in names})
        )
        for start in range(0, len(params), CHUNK):
            await session.execute(statement, params[start : start + CHUNK])


async def rows_by_key(
    session: AsyncSession, table: Table, key: str, keys: Sequence[Any], columns: Sequence[str]
) -> dict[Any, tuple[int, dict[str, Any]]]:
    """Existing rows whose `key` is one of `keys`: key -> (id, {column: value})."""
    found: dict[Any, tuple[int, dict[str, Any]]] = {}
    wanted = [table.c.id, table.c[key], *(table.c[c] for c in columns)]
    for start in range(0, len(keys), CHUNK):
        result = await session.execute(
            select(*wanted).where(table.c[key].in_(keys[start : start + CHUNK]))
        )
        for row in result:
            found[row[1]] = (row[0], dict(zip(columns, row[2:], strict=True)))
    return found
