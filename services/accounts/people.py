"""Who of the directory and the staff has a chat account, on which platform, last seen when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Department, Inspector, PlatformAccount, User


@dataclass(frozen=True)
class Person:
    """One person: an inspector of the directory or a member of staff without a certificate."""

    name: str
    department: str
    cert_no: str | None
    login: str | None  # None: no user at all yet
    active: bool
    platforms: tuple[str, ...]
    last_seen: datetime | None

    @property
    def bound(self) -> bool:
        """Whether a message can reach this person now."""
        return self.active and bool(self.platforms)


async def people(session: AsyncSession) -> list[Person]:
    """Directory inspectors (not those who left) and staff users, by department and name."""
    seen: dict[int, tuple[set[str], datetime | None]] = {}
    accounts = await session.execute(
        select(PlatformAccount.user_id, PlatformAccount.platform, PlatformAccount.last_seen_at)
    )
    for user_id, platform, last in accounts:
        platforms, latest = seen.setdefault(user_id, (set(), None))
        if last is not None and (latest is None or last > latest):
            latest = last
        seen[user_id] = (platforms | {platform}, latest)

    def person(name: str, dept: str, cert: str | None, user: User | None) -> Person:
        platforms, last = seen.get(user.id, (set(), None)) if user else (set(), None)
        return Person(
            name=name,
            department=dept,
            cert_no=cert,
            login=None if user is None else user.login,
            active=user is None or user.active,
            platforms=tuple(sorted(platforms)),
            last_seen=last,
        )

    inspectors = await session.execute(
        select(Inspector.name, Department.name, Inspector.cert_no, User)
        .join(Department, Department.id == Inspector.department_id)
        .outerjoin(User, User.inspector_id == Inspector.id)
        .where(Inspector.status != "left")
    )
    out = [person(name, dept, cert, user) for name, dept, cert, user in inspectors]
    staff = await session.execute(
        select(User, Department.name)
        .outerjoin(Department, Department.id == User.department_id)
        .where(User.inspector_id.is_(None), User.active)
    )
    out += [person(user.display_name, dept or "", None, user) for user, dept in staff]
    return sorted(out, key=lambda p: (p.department, p.name, p.cert_no or "", p.login or ""))
