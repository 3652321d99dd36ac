"""Notice number patterns per department, and typed numbers checked against them.

A department may number its orders to correct by its own pattern (卫健 notices are not
乐市监责改); the pattern used is the one of the department of the officer recording the
order, else the configured default. Each pattern keeps its own yearly sequence.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Inspector
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import InvalidInput, NotFound

MAX_PATTERN = 100
FIELDS = {"year": r"\d{4}", "seq": r"\d+"}


@dataclass(frozen=True)
class Series:
    """A numbering: its pattern and the name of its yearly counter ("" the default's)."""

    pattern: str
    counter: str = ""

    def counter_name(self, year: int) -> str:
        """The counter of this numbering in `year`."""
        return f"notice:{year}:{self.counter}" if self.counter else f"notice:{year}"


def check_pattern(raw: str) -> str:
    """A pattern such as 乐卫健责改〔{year}〕{seq}号: {seq} required, {year} optional."""
    pattern = raw.strip()
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
        pattern.format(year=2026, seq=1)
    except (ValueError, KeyError, IndexError):
        fields = []
    if len(pattern) > MAX_PATTERN or "seq" not in fields or not set(fields) <= set(FIELDS):
        raise InvalidInput("notice.bad_pattern", pattern=pattern[:MAX_PATTERN])
    return pattern


def matches(pattern: str, number: str) -> bool:
    """Whether a number could have been made by the pattern (any year, any sequence)."""
    parts = [
        re.escape(literal) + (FIELDS.get(field, "") if field is not None else "")
        for literal, field, _, _ in string.Formatter().parse(pattern)
    ]
    return re.fullmatch("".join(parts), number) is not None


async def series_for(session: AsyncSession, actor: Actor | None, default: str) -> Series:
    """The numbering of the actor's department, else the default pattern."""
    if actor is None or actor.inspector_id is None:
        return Series(default)
    row = (
        await session.execute(
            select(Department.code, Department.notice_pattern)
            .join(Inspector, Inspector.department_id == Department.id)
            .where(Inspector.id == actor.inspector_id)
        )
    ).first()
    if row is None or not row.notice_pattern:
        return Series(default)
    return Series(row.notice_pattern, row.code)


async def set_department_pattern(
    session: AsyncSession, actor: Actor | None, code: str, raw: str | None, now: datetime
) -> Department:
    """Set (None: clear) a department's notice pattern (admins and the command line)."""
    if actor is not None:
        require_role(actor, "admin")
    department = await session.scalar(
        select(Department).where(Department.code == code).with_for_update()
    )
    if department is None:
        raise NotFound("notice.unknown_department", code=code)
    pattern = None if raw is None else check_pattern(raw)
    before, department.notice_pattern = department.notice_pattern, pattern
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="department.notice_pattern",
        object_type="department",
        object_id=department.id,
        before={"notice_pattern": before},
        after={"notice_pattern": pattern},
    )
    return department
