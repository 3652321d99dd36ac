"""A follow-up extension's new deadline, checked as soon as it is typed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from models import RectificationNotice
from services.accounts.actors import Actor
from services.common.errors import InvalidInput
from services.records.notices import check_deadline, notice_for_followup


async def check_new_deadline(
    session: AsyncSession, actor: Actor | None, notice_id: int, new_deadline: date, today: date
) -> RectificationNotice:
    """The notice, if `new_deadline` may extend it; InvalidInput before any reason is asked.

    The same rules `notices.notice_extended` applies when the extension is saved: checked
    here too so that the user is not asked for a reason an early date would make useless.
    """
    notice, _ = await notice_for_followup(session, actor, notice_id, "notice.extend")
    check_deadline(new_deadline, notice.issued_on, today)
    if new_deadline <= notice.deadline:
        raise InvalidInput("notice.extension_earlier", date=str(notice.deadline))
    return notice
