"""The check points of the joint items: matched by (item code, 序号), a list per item.

A file replaces the check point list of every item it names: the points of those items
that the file leaves out are deleted (with --replace, the points of every item). A point
that a record has already answered is never deleted: the import is refused, naming it.
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from sqlalchemy import Table, delete, select

from models import ChecklistAnswer, CheckPoint, Item
from services.common.errors import Conflict
from services.directory.imports import bulk
from services.directory.imports.rows import Batch, Refusal
from services.directory.imports.schemas import Reason
from services.directory.imports.targets import Existing, Target, table_of

NAMED = 10  # answered points named in a refusal


@dataclass
class CheckPoints(Target):
    """Check points, each in its item's list under a number (序号)."""

    table: ClassVar[Table] = table_of(CheckPoint)
    key: ClassVar[str] = "seq"  # within an item; `keys` gives the whole key
    replaces_groups: ClassVar[bool] = True
    gone_action: ClassVar[str] = "import.remove"
    items: dict[str, int] = field(default_factory=dict)  # item code -> id

    async def prepare(self) -> None:
        await super().prepare()
        rows = await self.session.execute(select(Item.code, Item.id))
        self.items = {code: item_id for code, item_id in rows}

    def keys(self, batch: Batch) -> list[Hashable]:
        return list(zip(batch.columns["item_code"], batch.columns["seq"], strict=True))

    async def resolve(self, batch: Batch) -> list[Refusal]:
        ids: list[int | None] = []
        refusals: list[Refusal] = []
        for index, code in enumerate(batch.columns["item_code"]):
            found = self.items.get(code)
            ids.append(found)
            if found is None:
                refusals.append((index, "item_code", Reason("import.reason.unknown_item", {})))
        batch.columns["item_id"] = ids
        return refusals

    def values(self, batch: Batch) -> dict[str, list[Any]]:
        out = super().values(batch)
        del out["item_code"]
        out["item_id"] = batch.columns["item_id"]
        return out

    async def existing(
        self, keys: Sequence[Hashable], columns: Sequence[str]
    ) -> dict[Any, Existing]:
        if self.empty_at_start:
            return {}
        wanted: dict[tuple[int, int], Hashable] = {}
        for key in keys:
            code, seq = cast(tuple[str, int], key)
            wanted[(self.items[code], seq)] = key
        item_ids = sorted({item_id for item_id, _ in wanted})
        c = self.table.c
        found: dict[Any, Existing] = {}
        for start in range(0, len(item_ids), bulk.CHUNK):
            rows = await self.session.execute(
                select(c.id, c.item_id, c.seq, *(c[name] for name in columns)).where(
                    c.item_id.in_(item_ids[start : start + bulk.CHUNK])
                )
            )
            for row_id, item_id, seq, *values in rows:
                key = wanted.get((item_id, seq))
                if key is not None:
                    found[key] = Existing(row_id, dict(zip(columns, values, strict=True)))
        return found

    async def deactivate(
        self, seen: Container[Hashable], *, write: bool = True
    ) -> list[tuple[Hashable, int, dict[str, Any]]]:
        """Delete the points of the items the file names that it leaves out."""
        # The run hands every key of the file over in a dict: iterable, not just a Container.
        named = {code for code, _ in cast(Iterable[tuple[str, int]], seen)}
        rows = await self.session.execute(
            select(CheckPoint.id, Item.code, CheckPoint.seq, CheckPoint.content)
            .join(Item, Item.id == CheckPoint.item_id)
            .order_by(Item.code, CheckPoint.seq)
        )
        gone: list[tuple[Hashable, int, dict[str, Any]]] = [
            ((code, seq), row_id, {"content": content})
            for row_id, code, seq, content in rows
            if (code, seq) not in seen and (self.replace or code in named)
        ]
        replaced = len(named & self.items.keys())
        if replaced:
            self.warnings["import.warn_points_replaced"] = replaced
        ids = [row_id for _, row_id, _ in gone]
        await self._refuse_answered(gone, ids)
        for start in range(0, len(ids) if write else 0, bulk.CHUNK):
            await self.session.execute(
                delete(CheckPoint).where(CheckPoint.id.in_(ids[start : start + bulk.CHUNK]))
            )
        return gone

    async def _refuse_answered(
        self, gone: list[tuple[Hashable, int, dict[str, Any]]], ids: list[int]
    ) -> None:
        """A point a record has answered stays: refuse a file that would delete it."""
        answered: set[int] = set()
        for start in range(0, len(ids), bulk.CHUNK):
            answered.update(
                await self.session.scalars(
                    select(ChecklistAnswer.check_point_id)
                    .where(ChecklistAnswer.check_point_id.in_(ids[start : start + bulk.CHUNK]))
                    .distinct()
                )
            )
        if not answered:
            return
        labels = [
            "/".join(map(str, cast(tuple[str, int], key)))
            for key, row_id, _ in gone
            if row_id in answered
        ]
        shown = "、".join(labels[:NAMED]) + ("……" if len(labels) > NAMED else "")
        raise Conflict("import.points_answered", points=shown, n=len(labels))
