"""Administration from chat: `/invite ROLE CERT_OR_LOGIN` issues an invite code.

The role may be given by its code (inspector) or its name in either language (检查人员);
the person by a directory certificate number or, when no active inspector holds it, a login.
Only admins reach it (the router), and `services.accounts.invites.create_invite` checks again. It is
private-only: the code is never shown in a group.
"""

from __future__ import annotations

from handlers.core.i18n import LANGUAGES, t
from handlers.core.model import Reply
from handlers.core.router import Command, Ctx, Router, roles
from models import ROLES
from services.accounts import invites
from services.common.clock import local_text
from services.common.errors import NotFound

ADMIN = roles()


def role_code(value: str) -> str:
    """A role typed as its code or its name in any language; unknown values pass through."""
    wanted = value.strip().lower()
    for role in ROLES:
        names = {role, *(t(lang, f"role.{role}").lower() for lang in LANGUAGES)}
        if wanted in names:
            return role
    return wanted


async def invite(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Issue a code for a directory inspector (by certificate) or an existing user (login)."""
    if len(args) != 2:
        return [ctx.reply("invite.usage")]
    role, target = role_code(args[0]), args[1].strip()
    try:
        code = await _issue(ctx, role, cert_no=target)
    except NotFound as exc:
        if exc.key != "invite.no_inspector":
            raise
        try:
            code = await _issue(ctx, role, login=target)
        except NotFound as again:
            if again.key != "invite.no_user":
                raise
            raise NotFound("invite.unknown_target", target=target) from again
    return [
        ctx.reply(
            "invite.created",
            code=code,
            role=ctx.t(f"role.{role}"),
            target=target,
            expires=local_text(ctx.now + ctx.policy.invite_ttl),
        )
    ]


async def _issue(
    ctx: Ctx, role: str, *, cert_no: str | None = None, login: str | None = None
) -> str:
    return await invites.create_invite(
        ctx.session,
        ctx.user,
        role=role,
        now=ctx.now,
        ttl=ctx.policy.invite_ttl,
        cert_no=cert_no,
        login=login,
    )


def register(router: Router) -> None:
    """Register the admin commands."""
    router.command(Command("invite", invite, ADMIN, "cmd.invite", private_only=True))
