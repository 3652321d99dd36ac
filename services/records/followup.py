"""Follow-up lists: open notices and cases of a team, and overdue notices flagged.

Notices and their re-inspection: `notices.py`; cases and clues: `cases.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Case,
    Enterprise,
    InspectionResult,
    RectificationNotice,
)
from services.accounts.actors import Actor
from services.messaging import outbox
from services.publicity import tracking
from services.records.tasks import is_office, team_user_ids


@dataclass(frozen=True)
class OpenItem:
    """A notice or case still waiting for its follow-up."""

    kind: str  # "n" notice / "c" case / "o" objection / "a" abnormal-operations proposal
    id: int
    number: str
    enterprise: str
    due: date
    status: str

    def overdue(self, today: date) -> bool:
        """Whether its deadline (or decision date) has passed."""
        return self.due < today


async def open_followups(session: AsyncSession, actor: Actor | None) -> list[OpenItem]:
    """Open notices and cases of the actor's teams (the office: all), the earliest due first."""
    notices = (
        select(RectificationNotice, Enterprise.name, Assignment.id)
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(RectificationNotice.status.in_(("open", "extended")))
    )
    cases = (
        select(Case, Enterprise.name, Assignment.id)
        .join(InspectionResult, InspectionResult.id == Case.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(Case.status == "open")
    )
    mine: set[int] | None = None
    if not is_office(actor):
        assert actor is not None
        mine = await _my_assignment_ids(session, actor)
    out: list[OpenItem] = []
    for n, name, aid in await session.execute(notices):
        if mine is None or aid in mine:
            out.append(OpenItem("n", n.id, n.number, name, n.deadline, n.status))
    for c, name, aid in await session.execute(cases):
        if mine is None or aid in mine:
            out.append(OpenItem("c", c.id, c.number, name, c.decision_due, c.status))
    # Objections ("o") and abnormal-operations proposals ("a"): the office and reviewers.
    for t in await tracking.for_followup(session, actor):
        out.append(OpenItem(t.kind, t.id, t.number, t.enterprise, t.due, t.status))
    out.sort(key=lambda i: (i.due, i.kind, i.id))
    return out


async def _my_assignment_ids(session: AsyncSession, actor: Actor) -> set[int]:
    if actor.inspector_id is None:
        return set()
    rows = await session.scalars(
        select(AssignmentMember.assignment_id).where(
            AssignmentMember.inspector_id == actor.inspector_id
        )
    )
    return set(rows.all())


@dataclass(frozen=True)
class Overdue:
    """An open notice past its deadline."""

    notice_id: int
    number: str
    deadline: date
    enterprise: str
    assignment_id: int


async def overdue_notices(session: AsyncSession, today: date) -> list[Overdue]:
    """Open or extended notices whose deadline has passed, the oldest first."""
    rows = await session.execute(
        select(RectificationNotice, Enterprise.name, Assignment.id)
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(
            RectificationNotice.status.in_(("open", "extended")),
            RectificationNotice.deadline < today,
        )
        .order_by(RectificationNotice.deadline, RectificationNotice.id)
    )
    return [Overdue(n.id, n.number, n.deadline, name, aid) for n, name, aid in rows]


async def flag_overdue(session: AsyncSession, today: date, now: datetime) -> int:
    """Tell each team about its overdue notices, once per notice and deadline (scheduler)."""
    flagged = 0
    for item in await overdue_notices(session, today):
        for user_id in await team_user_ids(session, item.assignment_id):
            await outbox.enqueue(
                session,
                kind="notice.overdue",
                due_at=now,
                now=now,
                dedupe_key=f"notice:{item.notice_id}:overdue:{item.deadline}:user:{user_id}",
                recipient_user_id=user_id,
                key="followup.overdue_notice",
                params={
                    "number": item.number,
                    "enterprise": item.enterprise,
                    "deadline": str(item.deadline),
                },
            )
        flagged += 1
    return flagged
