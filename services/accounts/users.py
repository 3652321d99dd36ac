"""User preferences, local (console) accounts and logins made up for people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import PlatformAccount, User
from services.accounts.actors import Actor
from services.common import audit
from services.common.errors import InvalidInput, NotFound

LANGUAGES = ("zh", "en")


async def set_language(session: AsyncSession, actor: Actor, language: str, now: datetime) -> None:
    """Set the user's language for every reply from now on."""
    if language not in LANGUAGES:
        raise InvalidInput("lang.bad", value=language)
    user = await session.get(User, actor.user_id)
    if user is None:
        raise NotFound("error.inactive")
    before = user.language
    user.language = language
    await audit.record(
        session,
        at=now,
        actor=actor.ref,
        action="user.language",
        object_type="user",
        object_id=user.id,
        before={"language": before},
        after={"language": language},
    )


async def ensure_local_account(
    session: AsyncSession, platform: str, login: str, now: datetime
) -> PlatformAccount | None:
    """The console account of a login (the console runs with database access anyway)."""
    user = await session.scalar(select(User).where(User.login == login))
    if user is None:
        return None
    account = await session.scalar(
        select(PlatformAccount).where(
            PlatformAccount.platform == platform, PlatformAccount.external_id == login
        )
    )
    if account is None:
        account = PlatformAccount(
            user_id=user.id, platform=platform, external_id=login, chat_id=login, bound_at=now
        )
        session.add(account)
        await session.flush()
    account.last_seen_at = now
    return account


async def free_login(session: AsyncSession, base: str) -> str:
    """`base`, or `base-2`, `base-3`...: the first login nobody holds yet."""
    # Logins made up by the system (cert-NUMBER, uID) may already have been taken by a
    # login an admin chose; a clash must not turn a /bind into an internal error.
    taken = set(
        (await session.scalars(select(User.login).where(User.login.startswith(base)))).all()
    )
    login, n = base, 1
    while login in taken:
        n += 1
        login = f"{base}-{n}"
    return login
