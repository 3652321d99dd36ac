"""Where each kind of row goes: lookups, references, comparison and writes, per table.

A target sees batches of rows that passed validation, column by column. It resolves
references (a department by name or code), reports the rows whose references fail, finds
the rows that already exist by natural key with the values they hold now, and writes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, cast

from sqlalchemy import Table, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Enterprise, Inspector
from services.common.clock import SHANGHAI
from services.directory.imports import bulk
from services.directory.imports.rows import Batch, Refusal
from services.directory.imports.schemas import Reason


@dataclass
class Existing:
    """A row already in the database: its id and the values of the compared columns."""

    id: int
    values: dict[str, Any]


@dataclass
class Target:
    """The table of one kind; simple tables need only the class attributes."""

    session: AsyncSession
    fields: list[str]  # the fields the file has columns for
    now: datetime
    table: ClassVar[Table]
    key: ClassVar[str]
    # Stored when a present column's cell is empty, or when a new row lacks the column.
    defaults: ClassVar[dict[str, Any]] = {}
    # Marks a row as deactivated by omission (--replace): column, value, rows it applies to.
    retire: ClassVar[tuple[str, Any, Any]]
    stamp: ClassVar[str | None] = None  # a column set to the import time on every write
    # Whether checking a row needs the database (references), or only the row itself.
    references: ClassVar[bool] = True
    # Whether every file replaces the rows of each group it names (an item's check
    # points), not only with --replace; and the audit action of a row so retired.
    replaces_groups: ClassVar[bool] = False
    gone_action: ClassVar[str] = "import.deactivate"
    empty_at_start: bool = False
    warnings: dict[str, int] = field(default_factory=dict)
    replace: bool = False  # --replace: the file is the whole list

    async def prepare(self) -> None:
        """Load what references need; note whether the table is empty (nothing to match)."""
        self.empty_at_start = not await self.session.scalar(
            select(exists().select_from(self.table))
        )

    def keys(self, batch: Batch) -> list[Hashable]:
        """The natural key of each row."""
        return list(batch.columns[self.key])

    async def resolve(self, batch: Batch) -> list[Refusal]:
        """Check references; add the columns they resolve to."""
        return []

    def values(self, batch: Batch) -> dict[str, list[Any]]:
        """The database values of each row, column by column, defaults applied."""
        out: dict[str, list[Any]] = {}
        for name in self.fields:
            column = batch.columns[name]
            default = self.defaults.get(name)
            out[name] = column if default is None else [default if v is None else v for v in column]
        return out

    async def existing(
        self, keys: Sequence[Hashable], columns: Sequence[str]
    ) -> dict[Any, Existing]:
        """The rows already stored under these keys."""
        if self.empty_at_start:
            return {}
        found = await bulk.rows_by_key(self.session, self.table, self.key, keys, columns)
        return {k: Existing(row_id, values) for k, (row_id, values) in found.items()}

    async def insert(self, columns: dict[str, list[Any]]) -> None:
        """Insert new rows, column by column."""
        absent = {k: v for k, v in self.defaults.items() if k not in columns}
        if self.stamp:
            absent[self.stamp] = self.now
        await bulk.insert_columns(self.session, self.table, columns, absent)

    async def update(self, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """Write changed values to existing rows."""
        if self.stamp:
            changes = [(row_id, {**values, self.stamp: self.now}) for row_id, values in changes]
        await bulk.update_rows(self.session, self.table, changes)

    async def deactivate(
        self, seen: Container[Hashable], *, write: bool = True
    ) -> list[tuple[Hashable, int, dict[str, Any]]]:
        """Retire the rows the file left out (--replace): [(key, id, values before)]."""
        column, value, _ = self.retire
        c = self.table.c
        result = await self.session.stream(
            select(c.id, c[self.key], c[column]).where(self._retirable())
        )
        gone: list[tuple[Hashable, int, dict[str, Any]]] = []
        async for row_id, key, before in result:
            if key not in seen:
                gone.append((key, row_id, {column: before}))
        values: dict[str, Any] = {column: value}
        if self.stamp:
            values[self.stamp] = self.now
        ids = [row_id for _, row_id, _ in gone] if write else []
        for start in range(0, len(ids), bulk.CHUNK):
            chunk = ids[start : start + bulk.CHUNK]
            await self.session.execute(update(self.table).where(c.id.in_(chunk)).values(values))
        return gone

    def _retirable(self) -> Any:
        column, _, current = self.retire
        return self.table.c[column] == current


def table_of(model: type[Any]) -> Table:
    """The table of a mapped class."""
    return cast(Table, model.__table__)


def fold_name(raw: str) -> str:
    """A department name or code as compared: half-width, no spaces, upper case."""
    return unicodedata.normalize("NFKC", raw).replace(" ", "").upper()


async def department_lookup(session: AsyncSession) -> dict[str, int]:
    """Department name or code (folded) -> id."""
    lookup: dict[str, int] = {}
    for row_id, code, name in await session.execute(
        select(Department.id, Department.code, Department.name)
    ):
        lookup[fold_name(code)] = row_id
        lookup[fold_name(name)] = row_id
    return lookup


def department_ids(
    lookup: dict[str, int], names: Sequence[str], column: str
) -> tuple[list[int | None], list[Refusal]]:
    """The ids of a column of department names or codes, and a refusal for each unknown."""
    ids: list[int | None] = []
    refusals: list[Refusal] = []
    for index, name in enumerate(names):
        found = lookup.get(fold_name(name))
        ids.append(found)
        if found is None:
            reason = Reason("import.reason.unknown_department", {"name": name})
            refusals.append((index, column, reason))
    return ids, refusals


@dataclass
class Departments(Target):
    """Departments of the joint meeting, matched by code."""

    table: ClassVar[Table] = table_of(Department)
    key: ClassVar[str] = "code"
    defaults: ClassVar[dict[str, Any]] = {"active": True}
    retire: ClassVar[tuple[str, Any, Any]] = ("active", False, True)
    names: dict[str, str] = field(default_factory=dict)  # name -> code, database and file

    async def prepare(self) -> None:
        await super().prepare()
        for code, name in await self.session.execute(select(Department.code, Department.name)):
            self.names[name] = code

    async def resolve(self, batch: Batch) -> list[Refusal]:
        refusals: list[Refusal] = []
        if "name" not in batch.columns:
            return refusals
        for index, (code, name) in enumerate(
            zip(batch.columns["code"], batch.columns["name"], strict=True)
        ):
            holder = self.names.setdefault(name, code)
            if holder != code:
                refusals.append(
                    (index, "name", Reason("import.reason.name_taken", {"code": holder}))
                )
        return refusals


@dataclass
class Enterprises(Target):
    """The object directory, matched by credit code; large, so written in bulk."""

    table: ClassVar[Table] = table_of(Enterprise)
    key: ClassVar[str] = "credit_code"
    defaults: ClassVar[dict[str, Any]] = {"status": "active"}
    retire: ClassVar[tuple[str, Any, Any]] = ("status", "moved_out", "active")
    stamp: ClassVar[str | None] = "updated_at"
    references: ClassVar[bool] = False


@dataclass
class Inspectors(Target):
    """The inspector directory, matched by certificate number."""

    table: ClassVar[Table] = table_of(Inspector)
    key: ClassVar[str] = "cert_no"
    defaults: ClassVar[dict[str, Any]] = {"status": "active", "is_expert": False, "fields": []}
    retire: ClassVar[tuple[str, Any, Any]] = ("status", "left", "left")
    departments: dict[str, int] = field(default_factory=dict)

    def _retirable(self) -> Any:
        return self.table.c.status != "left"

    async def prepare(self) -> None:
        await super().prepare()
        self.departments = await department_lookup(self.session)

    async def resolve(self, batch: Batch) -> list[Refusal]:
        ids, refusals = department_ids(self.departments, batch.columns["department"], "department")
        batch.columns["department_id"] = ids
        today = self.now.astimezone(SHANGHAI).date()
        expired = sum(1 for d in batch.columns["cert_expiry"] if d < today)
        if expired:
            self.warnings["import.warn_expired"] = (
                self.warnings.get("import.warn_expired", 0) + expired
            )
        return refusals

    def values(self, batch: Batch) -> dict[str, list[Any]]:
        out = super().values(batch)
        del out["department"]
        out["department_id"] = batch.columns["department_id"]
        return out
