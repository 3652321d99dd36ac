"""Accounts for every member of staff: add, list and deactivate users.

Office staff and leaders need no certificate; only officers drawn into teams are in the
inspector directory, and their user is linked to their directory entry by the
certificate number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ROLES, Department, Inspector, PlatformAccount, User, UserRole
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.text import strip_unsafe
from services.messaging import outbox

# Typed after `console --as` and `/invite`: letters, digits and . _ - only.
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_NAME = 100


@dataclass(frozen=True)
class NewUser:
    """What `user add` asks for."""

    login: str
    name: str
    role: str
    department: str | None = None
    cert_no: str | None = None


async def add_user(session: AsyncSession, actor: Actor | None, new: NewUser, now: datetime) -> User:
    """Create a user with one role; an inspector is linked to the directory by certificate."""
    if actor is not None:
        require_role(actor, "admin")
    login, name = new.login.strip(), strip_unsafe(new.name).strip()
    if LOGIN.fullmatch(login) is None:
        raise InvalidInput("user.bad_login", login=login)
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("user.bad_name", limit=MAX_NAME)
    if new.role not in ROLES:
        raise InvalidInput("user.bad_role", role=new.role, roles=", ".join(ROLES))
    if new.role == "inspector" and not new.cert_no:
        raise InvalidInput("user.cert_required")
    if new.role == "reviewer" and not (new.department or new.cert_no):
        # A reviewer reviews their own department's parts: without one they review none.
        raise InvalidInput("user.reviewer_department")
    if await session.scalar(select(User.id).where(User.login == login)) is not None:
        raise Conflict("user.login_taken", login=login)
    inspector = None if not new.cert_no else await _inspector(session, new.cert_no.strip())
    department_id = None
    if new.department:
        department_id = await session.scalar(
            select(Department.id).where(Department.code == new.department.strip())
        )
        if department_id is None:
            raise NotFound("user.no_department", code=new.department.strip())
    if inspector is not None:
        if department_id is not None and department_id != inspector.department_id:
            raise InvalidInput("user.department_mismatch", cert=inspector.cert_no)
        department_id = inspector.department_id
    user = User(
        login=login,
        display_name=name,
        inspector_id=None if inspector is None else inspector.id,
        department_id=department_id,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    session.add(UserRole(user_id=user.id, role=new.role))
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="user.create",
        object_type="user",
        object_id=user.id,
        after={
            "login": login,
            "role": new.role,
            "department_id": department_id,
            "inspector_id": user.inspector_id,
        },
    )
    return user


async def _inspector(session: AsyncSession, cert_no: str) -> Inspector:
    inspector = await session.scalar(select(Inspector).where(Inspector.cert_no == cert_no))
    if inspector is None or inspector.status == "left":
        raise NotFound("user.no_inspector", cert=cert_no)
    holder = await session.scalar(select(User.login).where(User.inspector_id == inspector.id))
    if holder is not None:
        raise Conflict("user.cert_taken", cert=cert_no, login=holder)
    return inspector


@dataclass(frozen=True)
class UserRow:
    """One user as `user list` shows it."""

    login: str
    name: str
    roles: tuple[str, ...]
    department: str | None
    cert_no: str | None
    active: bool
    platforms: tuple[str, ...]


async def list_users(session: AsyncSession) -> list[UserRow]:
    """Every user with roles, department, certificate, status and bound platforms."""
    users = (
        await session.execute(
            select(User, Department.code, Inspector.cert_no)
            .outerjoin(Inspector, Inspector.id == User.inspector_id)
            # An inspector's department is the directory's when the user names none.
            .outerjoin(
                Department,
                Department.id == func.coalesce(User.department_id, Inspector.department_id),
            )
            .order_by(User.login)
        )
    ).all()
    roles: dict[int, list[str]] = {}
    for user_id, role in await session.execute(select(UserRole.user_id, UserRole.role)):
        roles.setdefault(user_id, []).append(role)
    platforms: dict[int, set[str]] = {}
    for user_id, platform in await session.execute(
        select(PlatformAccount.user_id, PlatformAccount.platform)
    ):
        platforms.setdefault(user_id, set()).add(platform)
    return [
        UserRow(
            login=user.login,
            name=user.display_name,
            roles=tuple(sorted(roles.get(user.id, []))),
            department=department,
            cert_no=cert_no,
            active=user.active,
            platforms=tuple(sorted(platforms.get(user.id, set()))),
        )
        for user, department, cert_no in users
    ]


async def deactivate(session: AsyncSession, actor: Actor | None, login: str, now: datetime) -> int:
    """End a user's access at once; returns how many of their queued messages were cancelled."""
    if actor is not None:
        require_role(actor, "admin")
    user = await session.scalar(select(User).where(User.login == login.strip()).with_for_update())
    if user is None:
        raise NotFound("user.not_found", login=login.strip())
    if not user.active:
        raise Conflict("user.already_inactive", login=user.login)
    user.active = False
    # Nobody can read them any more: better cancelled than retried and listed as failed.
    cancelled = await outbox.cancel_for_user(session, user.id)
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="user.deactivate",
        object_type="user",
        object_id=user.id,
        before={"active": True},
        after={"active": False, "cancelled_messages": cancelled},
    )
    return cancelled
