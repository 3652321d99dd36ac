"""/people: who of the directory and the staff can be reached, where, and last seen when."""

from __future__ import annotations

from handlers.core.model import Reply
from handlers.core.router import Command, Ctx, Router, roles
from services.accounts import people as directory
from services.accounts.people import Person
from services.common.clock import local_text

COORD = roles("coordinator")
MAX_LINES = 100  # a long directory is cut, with the count of the rest


def _state(ctx: Ctx, person: Person) -> str:
    if not person.active:
        return ctx.t("people.inactive")
    if person.login is None:
        return ctx.t("people.no_user")
    if not person.platforms:
        return ctx.t("people.unbound", login=person.login)
    names = ctx.t("list.sep").join(ctx.t(f"platform.{p}") for p in person.platforms)
    seen = local_text(person.last_seen) if person.last_seen else ctx.t("people.never")
    return ctx.t("people.bound", platforms=names, seen=seen)


async def people_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """/people [unbound]: each person's account, platforms and last seen; unbound first."""
    which = (args[0] if args else "").lower()
    if which not in ("", "unbound"):
        return [ctx.reply("people.usage")]
    everyone = await directory.people(ctx.session)
    if not everyone:
        return [ctx.reply("people.none")]
    unbound = [p for p in everyone if not p.bound]
    shown = unbound if which else unbound + [p for p in everyone if p.bound]
    lines = [ctx.t("people.head", total=len(everyone), bound=len(everyone) - len(unbound))]
    for person in shown[:MAX_LINES]:
        lines.append(
            ctx.t(
                "people.line",
                name=person.name,
                department=person.department or "-",
                who=person.cert_no or person.login or "-",
                state=_state(ctx, person),
            )
        )
    if len(shown) > MAX_LINES:
        lines.append(ctx.t("people.more", count=len(shown) - MAX_LINES))
    if unbound:
        lines.append(ctx.t("people.hint"))
    return [Reply("\n".join(lines))]


def register(router: Router) -> None:
    """Register /people."""
    router.command(Command("people", people_command, COORD, "cmd.people"))
