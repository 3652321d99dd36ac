"""Who is acting: the user behind a chat account, with roles, and role checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Inspector, PlatformAccount, User, UserRole
from services.common.errors import NotAllowed


@dataclass(frozen=True)
class Actor:
    """A bound, active user acting through one chat account."""

    user_id: int
    login: str
    name: str
    roles: frozenset[str]
    language: str
    account_id: int | None = None
    inspector_id: int | None = None
    # The department the actor records and reviews for: the user's own, else the
    # department of their inspector entry.
    department_id: int | None = None

    @property
    def ref(self) -> str:
        """How the audit log names this actor."""
        return f"user:{self.user_id}"

    def has(self, *roles: str) -> bool:
        """Whether the actor holds any of the roles."""
        return bool(self.roles.intersection(roles))


SYSTEM_REF = "system"
# Last seen is kept to within this much: a chat of many messages writes it once.
SEEN_EVERY = timedelta(minutes=5)


def audit_name(actor: Actor | None) -> str:
    """How the audit log names an actor; None is the command line."""
    return "cli" if actor is None else actor.ref


def require_role(actor: Actor, *roles: str) -> None:
    """Refuse unless the actor holds one of the roles (admins hold every right)."""
    if not actor.has("admin", *roles):
        raise NotAllowed("error.not_allowed")


async def load_actor(session: AsyncSession, user: User, account_id: int | None) -> Actor | None:
    """The actor for a user, or None when the user (or their inspector entry) is inactive."""
    if not user.active:
        return None
    roles = frozenset(
        (await session.scalars(select(UserRole.role).where(UserRole.user_id == user.id))).all()
    )
    department_id = user.department_id
    if user.inspector_id is not None:
        # Leaving the inspector directory ends access at once, whatever the account says.
        status, inspector_department = (
            await session.execute(
                select(Inspector.status, Inspector.department_id).where(
                    Inspector.id == user.inspector_id
                )
            )
        ).one()
        if status == "left":
            return None
        department_id = department_id or inspector_department
    return Actor(
        user_id=user.id,
        login=user.login,
        name=user.display_name,
        roles=roles,
        language=user.language,
        account_id=account_id,
        inspector_id=user.inspector_id,
        department_id=department_id,
    )


@cache
def _account_query() -> Select[*tuple[Any, ...]]:
    """Parameters: platform, external_id. One row: account id, user, inspector status, roles."""
    return (
        select(
            PlatformAccount.id,
            User.id,
            User.login,
            User.display_name,
            User.language,
            User.inspector_id,
            User.active,
            Inspector.status,
            func.aggregate_strings(UserRole.role, ","),
            PlatformAccount.last_seen_at,
            func.coalesce(User.department_id, Inspector.department_id),
        )
        .join(User, User.id == PlatformAccount.user_id)
        .outerjoin(Inspector, Inspector.id == User.inspector_id)
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .where(
            PlatformAccount.platform == bindparam("platform"),
            PlatformAccount.external_id == bindparam("external_id"),
        )
        .group_by(PlatformAccount.id, User.id, Inspector.status, Inspector.department_id)
    )


async def actor_for_account(
    session: AsyncSession, platform: str, external_id: str, now: datetime | None = None
) -> tuple[int, Actor | None] | None:
    """The id of the account bound for a platform user and its actor; None for a stranger.

    Given `now`, the account is also marked as seen (at most once every SEEN_EVERY).
    """
    # One statement, built once, of plain columns: it runs for every event.
    params = {"platform": platform, "external_id": external_id}
    row = (await session.execute(_account_query(), params)).first()
    if row is None:
        return None
    (account_id, user_id, login, name, language, inspector_id, active, status, joined, seen,
     department_id) = row  # fmt: skip
    if now is not None and (seen is None or seen < now - SEEN_EVERY):
        await session.execute(
            update(PlatformAccount).where(PlatformAccount.id == account_id).values(last_seen_at=now)
        )
    if not active or status == "left":
        return account_id, None
    return account_id, Actor(
        user_id=user_id,
        login=login,
        name=name,
        roles=frozenset(joined.split(",")) if joined else frozenset(),
        language=language,
        account_id=account_id,
        inspector_id=inspector_id,
        department_id=department_id,
    )


async def actor_for_login(session: AsyncSession, login: str) -> Actor | None:
    """The actor for a login (CLI and console), or None when unknown or inactive."""
    user = await session.scalar(select(User).where(User.login == login))
    return None if user is None else await load_actor(session, user, None)
