"""Answering a part's check points: 符合 / 不符合 / 未检查 / 合理缺项, with a note.

Which points a part answers, and reading them with their answers: `checkpoints`.

Answers are saved one at a time; the same answer twice changes nothing. A 不符合 opens a
problem filled with the item, the point (with the answer's note, what was found) and its
legal basis, linked to the answer. When a 不符合 is changed to another answer, its problem
is removed if it is untouched (the text and basis it was given, no evidence, no order to
correct); otherwise it is kept, unlinked, and the caller tells the inspector to remove it
on the card if it no longer stands (`Answered.kept`): evidence is never dropped by a
changed button.

The categories proposed from the answers (`proposed_categories`): 未发现问题 when at least
one point is answered and every answered point is 符合 or 合理缺项; when a point is 不符合,
A 发现问题待后续处理 with, per item found wanting, the branch of its department: a market-
regulation item is 3 (food and drugs), 4 (quality) or D (other market rules) by its name,
an item of another department is 5. Nothing is proposed when points are only left 未检查.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import ChecklistAnswer, CheckPoint, Item, Problem
from services.accounts.actors import Actor
from services.common.errors import InvalidInput
from services.records import codes, problems, results
from services.records.checkpoints import ANSWERS, ItemSheet, point_of_part, sheet
from services.records.signed_content import require_unsigned

SETTLED = ("conform", "not_applicable")
MAX_NOTE = 500
MARKET = ("市场监督管理", "市场监管")
FOOD_DRUG = ("食品", "药品", "化妆品", "医疗器械", "餐饮")
QUALITY = ("质量", "计量", "标准", "特种设备", "认证", "检验检测")


@dataclass(frozen=True)
class Answered:
    """What answering a point did."""

    point_id: int
    answer: str
    changed: bool
    opened: Problem | None = None  # the problem a 不符合 opened
    removed: int | None = None  # the untouched problem removed with its 不符合
    kept: int | None = None  # the problem kept (it has evidence, an order or edits)


def prefilled(point: CheckPoint, item: Item, note: str | None = None) -> tuple[str, str | None]:
    """The description (with the answer's note) and legal basis of a 不符合's problem."""
    text = f"不符合检查要点 {item.code}-{point.seq}：{point.content}"
    if note:
        text += f"。现场情况：{note}"
    return text[: results.MAX_TEXT], point.basis or item.legal_basis


async def _row(session: AsyncSession, result_id: int, point_id: int) -> ChecklistAnswer | None:
    return await session.scalar(
        select(ChecklistAnswer).where(
            ChecklistAnswer.result_id == result_id, ChecklistAnswer.check_point_id == point_id
        )
    )


async def _new_row(
    session: AsyncSession, actor: Actor | None, result_id: int, point_id: int, now: datetime
) -> tuple[ChecklistAnswer, str | None]:
    """The answer row to change, created when missing; with the answer it held before."""
    row = await _row(session, result_id, point_id)
    if row is not None:
        return row, row.answer
    row = ChecklistAnswer(
        result_id=result_id,
        check_point_id=point_id,
        answer="unchecked",
        answered_at=now,
        answered_by=None if actor is None else actor.user_id,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # A teammate answered the same point at the same moment: change theirs.
        found = await _row(session, result_id, point_id)
        if found is None:
            raise
        return found, found.answer
    return row, None


async def answer(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    point_id: int,
    value: str,
    now: datetime,
) -> Answered:
    """Answer one check point of the part; the same answer again changes nothing."""
    if value not in ANSWERS:
        raise InvalidInput("checklist.bad_answer", answer=value)
    result = await results.result_for_edit(session, actor, result_id, "record.checklist")
    point, item = await point_of_part(session, result, point_id)
    found = await _row(session, result_id, point_id)
    if found is not None and found.answer == value:
        return Answered(point_id, value, False)
    row, before = await _new_row(session, actor, result_id, point_id, now)
    removed = kept = None
    if row.problem_id is not None:  # leaving a 不符合: its problem goes, or stays unlinked
        problem = await session.get(Problem, row.problem_id)
        row.problem_id = None
        await session.flush()
        if problem is not None:
            text, basis = prefilled(point, item, row.note)
            if await problems.untouched(session, problem, text, basis):
                await problems.delete_problem(session, actor, problem.id, now)
                removed = problem.id
            else:
                kept = problem.id
    opened = None
    if value == "nonconform":
        text, basis = prefilled(point, item, row.note)
        opened = await problems.add_problem(
            session, actor, result_id, item.id, text, now, legal_basis=basis
        )
        row.problem_id = opened.id
    row.answer = value
    row.answered_at = now
    row.answered_by = None if actor is None else actor.user_id
    await session.flush()
    await results.touch(session, result)
    await results.log_change(
        session,
        actor,
        "checklist.answer",
        "checklist_answer",
        row.id,
        now,
        before=None if before is None else {"answer": before},
        after={"point": point_id, "answer": value, "problem": row.problem_id},
    )
    await require_unsigned(session, result.assignment_id)
    return Answered(point_id, value, True, opened, removed, kept)


async def all_conform(
    session: AsyncSession, actor: Actor | None, result_id: int, item_id: int, now: datetime
) -> int:
    """本事项全部符合: answer 符合 to every unanswered point of one item; how many."""
    result = await results.result_for_edit(session, actor, result_id, "record.checklist")
    item = next((s for s in await sheet(session, result_id) if s.item_id == item_id), None)
    if item is None:
        raise InvalidInput("checklist.not_this_item", id=item_id)
    open_points = []
    for point in item.points:
        if point.answer is not None:
            continue
        row, before = await _new_row(session, actor, result_id, point.id, now)
        if before is None:  # not answered meanwhile by a teammate
            row.answer = "conform"
            open_points.append(point.id)
    if not open_points:
        return 0
    await session.flush()
    await results.touch(session, result)
    await results.log_change(
        session,
        actor,
        "checklist.all_conform",
        "inspection_result",
        result_id,
        now,
        after={"item": item.code, "points": open_points},
    )
    await require_unsigned(session, result.assignment_id)
    return len(open_points)


async def set_note(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    point_id: int,
    note: str,
    now: datetime,
) -> None:
    """Note what was found at an answered point (a short text)."""
    result = await results.result_for_edit(session, actor, result_id, "record.checklist")
    point, item = await point_of_part(session, result, point_id)
    row = await _row(session, result_id, point_id)
    if row is None:
        raise InvalidInput("checklist.note_first", id=point_id)
    text = results.clean_text(note, limit=MAX_NOTE, minimum=1)
    before = row.note
    row.note = text
    # What was found goes into the 不符合's problem too, unless its text was changed.
    problem = None if row.problem_id is None else await session.get(Problem, row.problem_id)
    if problem is not None and problem.description == prefilled(point, item, before)[0]:
        problem.description = prefilled(point, item, text)[0]
    await results.touch(session, result)
    await results.log_change(
        session,
        actor,
        "checklist.note",
        "checklist_answer",
        row.id,
        now,
        before={"note": before},
        after={"note": text, "problem": None if problem is None else problem.id},
    )
    await require_unsigned(session, result.assignment_id)


def category_for(item_name: str, department: str) -> str:
    """The branch of the tree a point found wanting in this item falls under."""
    if not any(word in department for word in MARKET):
        return "other_department_rule"
    if any(word in item_name for word in FOOD_DRUG):
        return "food_drug_rules"
    if any(word in item_name for word in QUALITY):
        return "quality_rules"
    return "other_market_rule"


def proposed_categories(sheets: Sequence[ItemSheet]) -> list[str]:
    """The category keys the answers propose (module docstring), in a stable order."""
    answered = [(p.answer, s) for s in sheets for p in s.points if p.answer is not None]
    if not answered:
        return []
    if all(a in SETTLED for a, _s in answered):
        return ["no_problem"]
    keys = ["pending_follow_up"]
    for a, s in answered:
        key = category_for(s.name, s.department)
        if a == "nonconform" and key not in keys:
            keys.append(key)
    return keys if len(keys) > 1 else []


async def proposal(session: AsyncSession, result_id: int) -> list[str]:
    """The proposed categories, kept to those the district's tree holds and uses."""
    keys = proposed_categories(await sheet(session, result_id))
    tree = await codes.tree_from_db(session)
    return _available(keys, {c.key for c in tree.categories if c.active})


def _available(keys: list[str], active: Collection[str]) -> list[str]:
    return [k for k in keys if k in active]


async def apply_proposal(
    session: AsyncSession, actor: Actor | None, result_id: int, now: datetime
) -> list[str]:
    """Pre-select the proposed categories of a part that has none chosen yet."""
    if await results.category_ids(session, result_id):
        return []
    keys = await proposal(session, result_id)
    tree = await codes.tree_from_db(session)
    for key in keys:
        await results.set_category(session, actor, result_id, tree.ids[key], True, now)
    return keys
