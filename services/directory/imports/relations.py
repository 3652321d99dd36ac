"""Targets whose rows link to others: joint items (with their departments) and recusals."""

from __future__ import annotations

from collections.abc import Container, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Enterprise, Inspector, Item, ItemDepartment, Recusal
from services.directory.imports import bulk
from services.directory.imports.points import CheckPoints
from services.directory.imports.rows import Batch, Refusal
from services.directory.imports.schemas import Reason
from services.directory.imports.targets import (
    Departments,
    Enterprises,
    Existing,
    Inspectors,
    Target,
    department_ids,
    department_lookup,
    fold_name,
    table_of,
)

COOPERATING = "cooperating_ids"  # compared like a column: the sorted cooperating departments


@dataclass
class Items(Target):
    """The joint item list, matched by item code; departments by name or code."""

    table: ClassVar[Table] = table_of(Item)
    key: ClassVar[str] = "code"
    defaults: ClassVar[dict[str, Any]] = {"kind": "general", "active": True}
    retire: ClassVar[tuple[str, Any, Any]] = ("active", False, True)
    departments: dict[str, int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # item id -> cooperating

    async def prepare(self) -> None:
        await super().prepare()
        self.departments = await department_lookup(self.session)

    async def resolve(self, batch: Batch) -> list[Refusal]:
        initiating, refusals = department_ids(
            self.departments, batch.columns["initiating"], "initiating"
        )
        batch.columns["initiating_department_id"] = initiating
        if "cooperating" in batch.columns:
            cooperating: list[list[int]] = []
            for index, names in enumerate(batch.columns["cooperating"]):
                names = names or []
                unknown = [n for n in names if fold_name(n) not in self.departments]
                if unknown:
                    reason = Reason(
                        "import.reason.unknown_department", {"name": "、".join(unknown)}
                    )
                    refusals.append((index, "cooperating", reason))
                ids = {self.departments[fold_name(n)] for n in names if n not in unknown}
                ids.discard(initiating[index])  # the initiator is not also a cooperator
                cooperating.append(sorted(ids))
            batch.columns[COOPERATING] = cooperating
        return refusals

    def values(self, batch: Batch) -> dict[str, list[Any]]:
        out = super().values(batch)
        del out["initiating"]
        out["initiating_department_id"] = batch.columns["initiating_department_id"]
        if "cooperating" in out:
            del out["cooperating"]
            out[COOPERATING] = batch.columns[COOPERATING]
        return out

    async def existing(
        self, keys: Sequence[Hashable], columns: Sequence[str]
    ) -> dict[Any, Existing]:
        plain = [c for c in columns if c != COOPERATING]
        found = await super().existing(keys, plain)
        ids = [e.id for e in found.values()]
        for item_id in ids:
            self.members[item_id] = []
        for start in range(0, len(ids), bulk.CHUNK):
            rows = await self.session.execute(
                select(ItemDepartment.item_id, ItemDepartment.department_id).where(
                    ItemDepartment.item_id.in_(ids[start : start + bulk.CHUNK]),
                    ItemDepartment.role == "cooperating",
                )
            )
            for item_id, department_id in rows:
                self.members[item_id].append(department_id)
        for entry in found.values():
            self.members[entry.id].sort()
            if COOPERATING in columns:
                entry.values[COOPERATING] = self.members[entry.id]
        return found

    async def insert(self, columns: dict[str, list[Any]]) -> None:
        plain = {k: v for k, v in columns.items() if k != COOPERATING}
        count = len(columns["code"])
        for index in range(count):
            values = {k: v[index] for k, v in plain.items()}
            item = Item(**{**self.defaults, **values})
            self.session.add(item)
            await self.session.flush()
            cooperating = columns[COOPERATING][index] if COOPERATING in columns else []
            self._link(item.id, values["initiating_department_id"], cooperating)
        await self.session.flush()

    async def update(self, changes: list[tuple[int, dict[str, Any]]]) -> None:
        plain = [(i, {k: v for k, v in c.items() if k != COOPERATING}) for i, c in changes]
        await super().update([(i, c) for i, c in plain if c])
        relinked = [
            (i, c) for i, c in changes if COOPERATING in c or "initiating_department_id" in c
        ]
        if not relinked:
            return
        ids = [i for i, _ in relinked]
        rows = await self.session.execute(
            select(Item.id, Item.initiating_department_id).where(Item.id.in_(ids))
        )
        initiators = {item_id: department_id for item_id, department_id in rows}
        await self.session.execute(delete(ItemDepartment).where(ItemDepartment.item_id.in_(ids)))
        for item_id, change in relinked:
            self._link(item_id, initiators[item_id], change.get(COOPERATING, self.members[item_id]))
        await self.session.flush()

    def _link(self, item_id: int, initiating: int, cooperating: list[int]) -> None:
        self.session.add(
            ItemDepartment(item_id=item_id, department_id=initiating, role="initiating")
        )
        for department_id in cooperating:
            if department_id != initiating:
                self.session.add(
                    ItemDepartment(item_id=item_id, department_id=department_id, role="cooperating")
                )


@dataclass
class Recusals(Target):
    """Recusal pairs, matched by (certificate number, credit code)."""

    table: ClassVar[Table] = table_of(Recusal)
    key: ClassVar[str] = "cert_no"
    pairs: dict[Hashable, tuple[int, int]] = field(default_factory=dict)

    def keys(self, batch: Batch) -> list[Hashable]:
        return list(zip(batch.columns["cert_no"], batch.columns["credit_code"], strict=True))

    async def resolve(self, batch: Batch) -> list[Refusal]:
        certs = await _ids(self.session, table_of(Inspector), "cert_no", batch.columns["cert_no"])
        codes = await _ids(
            self.session, table_of(Enterprise), "credit_code", batch.columns["credit_code"]
        )
        refusals: list[Refusal] = []
        inspector_ids, enterprise_ids = [], []
        pairs = zip(batch.columns["cert_no"], batch.columns["credit_code"], strict=True)
        for index, (cert, code) in enumerate(pairs):
            inspector_ids.append(certs.get(cert))
            enterprise_ids.append(codes.get(code))
            if cert not in certs:
                refusals.append((index, "cert_no", Reason("import.reason.unknown_cert", {})))
            elif code not in codes:
                refusals.append((index, "credit_code", Reason("import.reason.unknown_code", {})))
            else:
                self.pairs[(cert, code)] = (certs[cert], codes[code])
        batch.columns["inspector_id"] = inspector_ids
        batch.columns["enterprise_id"] = enterprise_ids
        return refusals

    def values(self, batch: Batch) -> dict[str, list[Any]]:
        out = {
            "inspector_id": batch.columns["inspector_id"],
            "enterprise_id": batch.columns["enterprise_id"],
        }
        if "reason" in batch.columns:
            out["reason"] = batch.columns["reason"]
        return out

    async def existing(
        self, keys: Sequence[Hashable], columns: Sequence[str]
    ) -> dict[Any, Existing]:
        if self.empty_at_start:
            return {}
        by_pair = {self.pairs[k]: k for k in keys}
        found: dict[Any, Existing] = {}
        inspectors = sorted({i for i, _ in by_pair})
        for start in range(0, len(inspectors), bulk.CHUNK):
            rows = await self.session.execute(
                select(Recusal).where(
                    Recusal.inspector_id.in_(inspectors[start : start + bulk.CHUNK])
                )
            )
            for recusal in rows.scalars():
                key = by_pair.get((recusal.inspector_id, recusal.enterprise_id))
                if key is not None:
                    values = {c: getattr(recusal, c) for c in columns}
                    found[key] = Existing(recusal.id, values)
        return found

    async def deactivate(
        self, seen: Container[Hashable], *, write: bool = True
    ) -> list[tuple[Hashable, int, dict[str, Any]]]:
        rows = await self.session.execute(
            select(Recusal.id, Inspector.cert_no, Enterprise.credit_code, Recusal.reason)
            .join(Inspector, Inspector.id == Recusal.inspector_id)
            .join(Enterprise, Enterprise.id == Recusal.enterprise_id)
        )
        gone: list[tuple[Hashable, int, dict[str, Any]]] = [
            ((cert, code), row_id, {"reason": reason})
            for row_id, cert, code, reason in rows
            if (cert, code) not in seen
        ]
        ids = [row_id for _, row_id, _ in gone] if write else []
        for start in range(0, len(ids), bulk.CHUNK):
            await self.session.execute(
                delete(Recusal).where(Recusal.id.in_(ids[start : start + bulk.CHUNK]))
            )
        return gone


async def _ids(
    session: AsyncSession, table: Table, key: str, values: Sequence[str]
) -> dict[str, int]:
    wanted = sorted(set(values))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), bulk.CHUNK):
        rows = await session.execute(
            select(table.c[key], table.c.id).where(
                table.c[key].in_(wanted[start : start + bulk.CHUNK])
            )
        )
        found.update({value: row_id for value, row_id in rows})
    return found


TARGETS: dict[str, type[Target]] = {
    "departments": Departments,
    "items": Items,
    "enterprises": Enterprises,
    "inspectors": Inspectors,
    "recusals": Recusals,
    "checkpoints": CheckPoints,
}
