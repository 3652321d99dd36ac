"""The problems found in a check: the items they concern, description, legal basis, removal.

Like the rest of the record, a problem may be changed by its team before submission and by
the office after it, until publication; every change is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    ChecklistAnswer,
    EvidenceFile,
    InspectionResult,
    Item,
    Problem,
    RectificationNotice,
)
from services.accounts.actors import Actor
from services.common.errors import InvalidInput
from services.common.rows import existing
from services.records.results import clean_text, log_change, result_for_edit, touch
from services.records.task_views import items_for_assignment


async def problem_items(session: AsyncSession, result_id: int) -> list[Item]:
    """The items a problem of this record may concern (the plan's, for this enterprise)."""
    result = await existing(session, InspectionResult, result_id, "record.not_found")
    assignment = await session.get(Assignment, result.assignment_id)
    assert assignment is not None
    return await items_for_assignment(session, assignment)


async def add_problem(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    item_id: int | None,
    description: str,
    now: datetime,
    *,
    legal_basis: str | None = None,
) -> Problem:
    """Record a problem found, about one of the plan's items (or none in particular)."""
    result = await result_for_edit(session, actor, result_id, "problem.add")
    text = clean_text(description)
    basis = None if legal_basis is None else clean_text(legal_basis)
    if item_id is not None and item_id not in {
        i.id for i in await problem_items(session, result_id)
    }:
        raise InvalidInput("record.bad_item", id=item_id)
    problem = Problem(
        result_id=result_id,
        item_id=item_id,
        description=text,
        legal_basis=basis,
        found_on=result.checked_on or now.date(),
    )
    session.add(problem)
    await session.flush()
    await touch(session, result)
    await log_change(
        session,
        actor,
        "problem.add",
        "problem",
        problem.id,
        now,
        after={
            "result": result_id,
            "item": item_id,
            "description": text,
            **({"legal_basis": basis} if basis is not None else {}),
        },
    )
    return problem


async def untouched(
    session: AsyncSession, problem: Problem, description: str, basis: str | None
) -> bool:
    """Whether a problem is still as it was opened: same text, no evidence, no order."""
    if problem.description != description or problem.legal_basis != basis:
        return False
    evidence = await session.scalar(
        select(EvidenceFile.id).where(EvidenceFile.problem_id == problem.id).limit(1)
    )
    notice = await session.scalar(
        select(RectificationNotice.id).where(RectificationNotice.problem_id == problem.id).limit(1)
    )
    return evidence is None and notice is None


async def problem_for_edit(
    session: AsyncSession, actor: Actor | None, problem_id: int, action: str
) -> tuple[Problem, InspectionResult]:
    """A problem and its result, if the actor may change them now."""
    problem = await existing(session, Problem, problem_id, "record.problem_not_found")
    result = await result_for_edit(session, actor, problem.result_id, action)
    return problem, result


async def set_legal_basis(
    session: AsyncSession, actor: Actor | None, problem_id: int, basis: str | None, now: datetime
) -> Problem:
    """Set (or clear) the legal basis of a problem."""
    problem, result = await problem_for_edit(session, actor, problem_id, "problem.basis")
    value = None if basis is None else clean_text(basis)
    before = problem.legal_basis
    problem.legal_basis = value
    await touch(session, result)
    await log_change(
        session,
        actor,
        "problem.basis",
        "problem",
        problem_id,
        now,
        before={"legal_basis": before},
        after={"legal_basis": value},
    )
    return problem


async def delete_problem(
    session: AsyncSession, actor: Actor | None, problem_id: int, now: datetime
) -> None:
    """Remove a problem and its evidence rows (the stored files are kept)."""
    problem, result = await problem_for_edit(session, actor, problem_id, "problem.delete")
    hashes = (
        await session.scalars(
            select(EvidenceFile.sha256).where(EvidenceFile.problem_id == problem_id)
        )
    ).all()
    await session.execute(
        update(RectificationNotice)
        .where(RectificationNotice.problem_id == problem_id)
        .values(problem_id=None)
    )
    # A check point answered 不符合 keeps its answer; only the link to the problem goes.
    await session.execute(
        update(ChecklistAnswer)
        .where(ChecklistAnswer.problem_id == problem_id)
        .values(problem_id=None)
    )
    await session.execute(delete(EvidenceFile).where(EvidenceFile.problem_id == problem_id))
    await session.delete(problem)
    await session.flush()
    await touch(session, result)
    await log_change(
        session,
        actor,
        "problem.delete",
        "problem",
        problem_id,
        now,
        before={"description": problem.description, "evidence": list(hashes)},
    )
