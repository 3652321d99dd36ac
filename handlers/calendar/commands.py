"""/calendar YEAR: the year's days off and adjusted working days, and where they come from."""

from __future__ import annotations

from handlers.core.model import Reply
from handlers.core.router import Command, Ctx, Router
from services.common import calendar_store
from services.common.clock import local_text
from services.common.numbers import read_int

SHOWN = 60  # a notice lists a few dozen days; more would not fit a phone screen


async def calendar_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """What is known of a year (default: next year), and from where."""
    year = read_int(args[0], calendar_store.FIRST_YEAR, calendar_store.LAST_YEAR) if args else None
    if args and year is None:
        return [ctx.reply("calendar.usage")]
    info = await calendar_store.year_info(ctx.session, year or ctx.today.year + 1)
    when = local_text(info.loaded_at) if info.loaded_at else ""
    lines = [ctx.t(f"calendar.origin.{info.origin}", year=info.year, source=info.source, at=when)]
    for day, working, note in info.days[:SHOWN]:
        kind = ctx.t("calendar.workday" if working else "calendar.holiday")
        lines.append(f"{day.isoformat()} {kind} {note or ''}".rstrip())
    return [Reply("\n".join(lines))]


def register(router: Router) -> None:
    """Register /calendar."""
    router.command(Command("calendar", calendar_command, None, "cmd.calendar"))
