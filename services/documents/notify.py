"""The team told that its 抽查通知书 is ready when a draw is final, with buttons for it.

Each member gets one message per check, through the outbox (dedupe
`assignment:<id>:notice:user:<user>`, so that cancelling the check or replacing the member
withdraws it with the check's other messages, services/draw/notify.withdraw). The file
is made when a button is pressed (services.documents.store.issue): a county's draw of
hundreds of checks renders nothing inside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, AssignmentMember, Enterprise, Plan, User
from services.messaging import outbox

KIND = "document.notice"
KEY = "doc.notice_ready"


def buttons(kind: str, subject_id: int) -> list[list[list[str]]]:
    """The outbox's button rows for one document: PDF and Word."""
    return [
        [
            ["doc.button.pdf", f"doc:{kind}:{subject_id}:pdf"],
            ["doc.button.docx", f"doc:{kind}:{subject_id}:docx"],
        ]
    ]


def _message(
    assignment_id: int, user_id: int, enterprise: str, plan: str, now: datetime
) -> dict[str, Any]:
    message = outbox.row(
        kind=KIND,
        due_at=now,
        now=now,
        dedupe_key=f"assignment:{assignment_id}:notice:user:{user_id}",
        recipient_user_id=user_id,
        key=KEY,
        params={"enterprise": enterprise, "plan": plan, "id": assignment_id},
    )
    message["payload"]["buttons"] = buttons("notice", assignment_id)
    return message


async def _rows(
    session: AsyncSession, where: Any, users: Iterable[int] | None, now: datetime
) -> list[dict[str, Any]]:
    stmt = (
        select(Assignment.id, Enterprise.name, Plan.name, User.id)
        .join(AssignmentMember, AssignmentMember.assignment_id == Assignment.id)
        .join(User, User.inspector_id == AssignmentMember.inspector_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .join(Plan, Plan.id == Assignment.plan_id)
        .where(where, User.active.is_(True), Assignment.status.not_in(("void", "cancelled")))
        .order_by(Assignment.position, AssignmentMember.position)
    )
    if users is not None:
        stmt = stmt.where(User.id.in_(list(users)))
    rows = await session.execute(stmt)
    return [_message(aid, uid, enterprise, plan, now) for aid, enterprise, plan, uid in rows]


async def notice_for_draw(session: AsyncSession, draw_id: int, now: datetime) -> int:
    """Tell every team of a final draw that its notice is ready; how many messages."""
    rows = await _rows(session, Assignment.draw_id == draw_id, None, now)
    await outbox.enqueue_rows(session, rows)
    return len(rows)


async def notice_for_assignment(
    session: AsyncSession, assignment_id: int, now: datetime, users: Iterable[int] | None = None
) -> int:
    """Tell one check's team (or only `users`, new members) that its notice is ready."""
    rows = await _rows(session, Assignment.id == assignment_id, users, now)
    await outbox.enqueue_rows(session, rows)
    return len(rows)
