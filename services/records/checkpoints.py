"""The check points a department part answers, read with the part's answers.

A part answers the points of the items its department checks at the enterprise: the plan's
items that apply to it (object type empty or equal) whose initiating department is the
part's; an item whose initiating department has no part falls to the first part. A part
whose items have no check points answers none (its record skips the step). Answering
them: `checklist`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, ChecklistAnswer, CheckPoint, InspectionResult, Item
from services.common.errors import InvalidInput
from services.common.rows import existing
from services.records.parts import department_names, departments_of_assignment
from services.records.task_views import items_for_assignment

ANSWERS = ("conform", "nonconform", "unchecked", "not_applicable")


@dataclass(frozen=True)
class PointView:
    """A check point with the part's answer to it (None: not answered yet)."""

    id: int
    seq: int
    content: str
    method: str | None
    basis: str | None
    answer: str | None = None
    note: str | None = None
    problem_id: int | None = None


@dataclass(frozen=True)
class ItemSheet:
    """An item's check points and their answers, in the item's order."""

    item_id: int
    code: str
    name: str
    department: str  # the initiating department
    legal_basis: str | None
    points: tuple[PointView, ...]

    def count(self, answer: str | None) -> int:
        """How many points carry this answer (None: how many are unanswered)."""
        return sum(1 for p in self.points if p.answer == answer)

    @property
    def answered(self) -> int:
        """How many points are answered."""
        return len(self.points) - self.count(None)

    def label(self, point: PointView) -> str:
        """The point as the export names it: item code and sequence ("I1-2")."""
        return f"{self.code}-{point.seq}"


async def part_items(session: AsyncSession, result: InspectionResult) -> list[Item]:
    """The items whose check points this part answers."""
    assignment = await session.get(Assignment, result.assignment_id)
    assert assignment is not None
    items = await items_for_assignment(session, assignment)
    departments = await departments_of_assignment(session, result.assignment_id)
    first = departments[0] if departments else None
    return [
        i
        for i in items
        if i.initiating_department_id == result.department_id
        or (i.initiating_department_id not in departments and result.department_id == first)
    ]


async def sheet(session: AsyncSession, result_id: int) -> list[ItemSheet]:
    """The part's items that have check points, each with its points and answers."""
    result = await existing(session, InspectionResult, result_id, "record.not_found")
    items = await part_items(session, result)
    if not items:
        return []
    points = (
        await session.scalars(
            select(CheckPoint)
            .where(CheckPoint.item_id.in_([i.id for i in items]))
            .order_by(CheckPoint.item_id, CheckPoint.seq)
        )
    ).all()
    answers = {
        a.check_point_id: a
        for a in await session.scalars(
            select(ChecklistAnswer).where(ChecklistAnswer.result_id == result_id)
        )
    }
    names = await department_names(session, list({i.initiating_department_id for i in items}))
    sheets = []
    for item in items:
        views = []
        for p in points:
            if p.item_id != item.id:
                continue
            a = answers.get(p.id)
            views.append(
                PointView(
                    p.id,
                    p.seq,
                    p.content,
                    p.method,
                    p.basis,
                    None if a is None else a.answer,
                    None if a is None else a.note,
                    None if a is None else a.problem_id,
                )
            )
        if views:
            sheets.append(
                ItemSheet(
                    item.id,
                    item.code,
                    item.name,
                    names.get(item.initiating_department_id, ""),
                    item.legal_basis,
                    tuple(views),
                )
            )
    return sheets


async def point_of_part(
    session: AsyncSession, result: InspectionResult, point_id: int
) -> tuple[CheckPoint, Item]:
    """A check point and its item, if the part answers it; else InvalidInput."""
    point = await session.get(CheckPoint, point_id)
    items = {i.id: i for i in await part_items(session, result)}
    if point is None or point.item_id not in items:
        raise InvalidInput("checklist.not_this_part", id=point_id)
    return point, items[point.item_id]
