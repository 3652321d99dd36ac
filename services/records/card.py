"""The summary card of one check: everything recorded, for the team and the review."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Case,
    ClueTransfer,
    Department,
    EvidenceFile,
    InspectionResult,
    Item,
    Plan,
    Problem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
)
from services.accounts.actors import Actor
from services.common.calendar_store import calendar
from services.common.workdays import WorkdayResult
from services.records.checkpoints import ItemSheet, sheet
from services.records.publication import publication_due
from services.records.results import result_for_view
from services.records.signature_status import SigningStatus, status
from services.records.task_views import TaskView, views
from services.records.visits import VisitView, view


@dataclass(frozen=True)
class ProblemView:
    """A problem as the card shows it."""

    id: int
    item: str | None
    description: str
    legal_basis: str | None
    photos: int


@dataclass(frozen=True)
class Card:
    """Everything recorded for one check, for the summary card and the review."""

    result: InspectionResult
    task: TaskView
    categories: list[ResultCategory]
    problems: list[ProblemView]
    notices: list[RectificationNotice]
    cases: list[Case]
    clues: list[tuple[ClueTransfer, str]]
    due: WorkdayResult
    department: str = ""  # the implementing department of this part
    # The check points of the part's items with their answers; the shared visit.
    checklist: list[ItemSheet] = field(default_factory=list)
    visit: VisitView | None = None
    signing: SigningStatus | None = None  # the on-site record's signatures, once on site


async def card(session: AsyncSession, actor: Actor | None, result_id: int) -> Card:
    """The whole record of one check (team members and the office)."""
    result = await result_for_view(session, actor, result_id)
    task = (await views(session, [result.assignment_id], result.department_id))[0]
    department = await session.get(Department, result.department_id)
    categories = (
        await session.scalars(
            select(ResultCategory)
            .join(ResultCategoryLink, ResultCategoryLink.category_id == ResultCategory.id)
            .where(ResultCategoryLink.result_id == result_id)
            .order_by(ResultCategory.sort)
        )
    ).all()
    photos: dict[int | None, int] = {
        problem_id: n
        for problem_id, n in await session.execute(
            select(EvidenceFile.problem_id, func.count())
            .where(EvidenceFile.result_id == result_id)
            .group_by(EvidenceFile.problem_id)
        )
    }
    problems = [
        ProblemView(p.id, item, p.description, p.legal_basis, photos.get(p.id, 0))
        for p, item in await session.execute(
            select(Problem, Item.name)
            .outerjoin(Item, Item.id == Problem.item_id)
            .where(Problem.result_id == result_id)
            .order_by(Problem.id)
        )
    ]
    notices = (
        await session.scalars(
            select(RectificationNotice)
            .where(RectificationNotice.result_id == result_id)
            .order_by(RectificationNotice.id)
        )
    ).all()
    cases = (
        await session.scalars(select(Case).where(Case.result_id == result_id).order_by(Case.id))
    ).all()
    clues = [
        (clue, name)
        for clue, name in await session.execute(
            select(ClueTransfer, Department.name)
            .join(Department, Department.id == ClueTransfer.department_id)
            .where(ClueTransfer.result_id == result_id)
            .order_by(ClueTransfer.id)
        )
    ]
    plan = await session.get(Plan, task.plan_id)
    assert plan is not None
    visit = await view(session, result.assignment_id)
    return Card(
        result,
        task,
        list(categories),
        problems,
        list(notices),
        list(cases),
        clues,
        publication_due(plan.check_end, calendar=await calendar(session)),
        "" if department is None else department.name,
        await sheet(session, result_id),
        visit,
        None if visit is None else await status(session, result.assignment_id),
    )
