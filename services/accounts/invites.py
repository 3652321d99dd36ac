"""Invite codes: issued by an admin for a person and a role, redeemed once with /bind."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ROLES, BindAttempt, Inspector, InviteCode, PlatformAccount, User, UserRole
from services.accounts.actors import Actor, audit_name, require_role
from services.accounts.users import free_login
from services.common import audit
from services.common.errors import Conflict, InvalidInput, NotFound

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 10
MAX_WRONG_TRIES = 5
WRONG_TRY_WINDOW = timedelta(hours=1)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


async def create_invite(
    session: AsyncSession,
    actor: Actor | None,
    *,
    role: str,
    now: datetime,
    ttl: timedelta,
    login: str | None = None,
    cert_no: str | None = None,
) -> str:
    """Issue a code for an existing user (login) or a directory inspector (cert number)."""
    if actor is not None:
        require_role(actor, "admin")
    if role not in ROLES:
        raise InvalidInput("invite.bad_role", role=role)
    inspector_id: int | None = None
    if cert_no is not None:
        inspector = await session.scalar(select(Inspector).where(Inspector.cert_no == cert_no))
        if inspector is None or inspector.status == "left":
            raise NotFound("invite.no_inspector", cert=cert_no)
        inspector_id = inspector.id
        user = await session.scalar(select(User).where(User.inspector_id == inspector.id))
    elif login is not None:
        user = await session.scalar(select(User).where(User.login == login))
        if user is None:
            raise NotFound("invite.no_user", login=login)
    else:
        raise InvalidInput("invite.no_target")
    if user is not None and not user.active:
        # The code would bind, and the account then be refused at every message.
        raise Conflict("invite.inactive_user", login=user.login)
    user_id = None if user is None else user.id
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    invite = InviteCode(
        code_hash=_hash(code),
        role=role,
        user_id=user_id,
        inspector_id=inspector_id,
        created_by=None if actor is None else actor.user_id,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    await session.flush()
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="invite.create",
        object_type="invite",
        object_id=invite.id,
        after={"role": role, "user_id": user_id, "inspector_id": inspector_id},
    )
    return code


class BindOutcome(StrEnum):
    """How a /bind ended."""

    BOUND = "bound"
    WRONG = "wrong"
    USED = "used"
    EXPIRED = "expired"
    LOCKED = "locked"
    ALREADY = "already"


@dataclass(frozen=True)
class BindResult:
    """The outcome, and the user's name when bound."""

    outcome: BindOutcome
    name: str | None = None


async def bind(
    session: AsyncSession,
    *,
    platform: str,
    external_id: str,
    chat_id: str,
    display_name: str,
    code: str,
    now: datetime,
) -> BindResult:
    """Redeem a code for a chat account; wrong tries are kept (the caller commits)."""
    existing = await session.scalar(
        select(PlatformAccount.id).where(
            PlatformAccount.platform == platform, PlatformAccount.external_id == external_id
        )
    )
    if existing is not None:
        return BindResult(BindOutcome.ALREADY)
    tries = await session.scalar(
        select(func.count())
        .select_from(BindAttempt)
        .where(
            BindAttempt.platform == platform,
            BindAttempt.external_id == external_id,
            BindAttempt.attempted_at > now - WRONG_TRY_WINDOW,
        )
    )
    if (tries or 0) >= MAX_WRONG_TRIES:
        return BindResult(BindOutcome.LOCKED)
    invite = await session.scalar(
        select(InviteCode).where(InviteCode.code_hash == _hash(code)).with_for_update()
    )
    failure = None
    if invite is None:
        failure = BindOutcome.WRONG
    elif invite.used_at is not None:
        failure = BindOutcome.USED
    elif invite.expires_at <= now:
        failure = BindOutcome.EXPIRED
    if failure is not None or invite is None:
        session.add(BindAttempt(platform=platform, external_id=external_id, attempted_at=now))
        return BindResult(failure or BindOutcome.WRONG)
    user = await _user_for_invite(session, invite, display_name, now)
    account = PlatformAccount(
        user_id=user.id,
        platform=platform,
        external_id=external_id,
        chat_id=chat_id,
        bound_at=now,
        last_seen_at=now,
    )
    session.add(account)
    await session.flush()
    invite.used_at, invite.used_by_account_id = now, account.id
    await audit.record(
        session,
        at=now,
        actor=f"user:{user.id}",
        action="account.bind",
        object_type="platform_account",
        object_id=account.id,
        after={"platform": platform, "role": invite.role},
    )
    # Messages that waited for this person are taken by the next delivery run
    # (`outbox.claim_due` picks waiting messages whose recipient now has an account).
    return BindResult(BindOutcome.BOUND, user.display_name)


async def _user_for_invite(
    session: AsyncSession, invite: InviteCode, display_name: str, now: datetime
) -> User:
    user = None if invite.user_id is None else await session.get(User, invite.user_id)
    if user is None:
        name, login, department_id = display_name or "user", f"u{invite.id}", None
        if invite.inspector_id is not None:
            inspector = await session.get(Inspector, invite.inspector_id)
            if inspector is not None:
                name, login = inspector.name, f"cert-{inspector.cert_no}"
                department_id = inspector.department_id
        user = User(
            login=await free_login(session, login),
            display_name=name,
            inspector_id=invite.inspector_id,
            department_id=department_id,
            created_at=now,
        )
        session.add(user)
        await session.flush()
    has_role = await session.scalar(
        select(UserRole.role).where(UserRole.user_id == user.id, UserRole.role == invite.role)
    )
    if has_role is None:
        session.add(UserRole(user_id=user.id, role=invite.role))
    return user
