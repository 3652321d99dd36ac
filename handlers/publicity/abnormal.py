"""/abnormal: proposals to list unreachable enterprises in the abnormal-operations list.

`/abnormal` lists the open proposals, `/abnormal all` every one, `/abnormal export` sends
the workbook for the registration department, `/abnormal ID listed|dropped [note]` settles
one (or its buttons do).
"""

from __future__ import annotations

from handlers.core.model import Attachment, Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Router, roles
from services.common.numbers import MAX_ID, read_int
from services.publicity import abnormal

COORD = roles("coordinator")
LIST_LIMIT = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKS = {"listed": "listed", "l": "listed", "dropped": "dropped", "d": "dropped"}


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def abnormal_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """List, export or settle proposals."""
    if not args:
        return await _listing(ctx, "open")
    word = args[0].lower()
    if word == "all" and len(args) == 1:
        return await _listing(ctx, None)
    if word in ("export", "xlsx") and len(args) == 1:
        return await _export(ctx)
    number = read_int(args[0], 1, MAX_ID)
    if number is not None and len(args) == 1:
        return await _show(ctx, number)
    if number is not None and args[1].lower() in MARKS:
        return await _mark(ctx, number, MARKS[args[1].lower()], " ".join(args[2:]))
    return [ctx.reply("abnormal.usage")]


async def _listing(ctx: Ctx, status: str | None) -> list[Reply]:
    rows = await abnormal.proposals(ctx.session, ctx.user, status)
    if not rows:
        return [ctx.reply("abnormal.none")]
    lines = [ctx.t("abnormal.head")]
    buttons: list[tuple[Button, ...]] = []
    for n, row in enumerate(rows[:LIST_LIMIT], start=1):
        lines.append(
            ctx.t(
                "abnormal.line",
                n=n,
                enterprise=row.enterprise,
                code=row.credit_code,
                department=row.department,
                proposed_on=row.proposed_on,
                due=row.due,
                status=ctx.t(f"abnormal.status.{row.status}"),
                overdue=ctx.t("objection.overdue") if row.overdue(ctx.today) else "",
            )
        )
        label = ctx.t("abnormal.button_show", enterprise=_short(row.enterprise))
        buttons.append((Button(label, f"abn:show:{row.id}"),))
    if len(rows) > LIST_LIMIT:
        lines.append(ctx.t("list.more", n=len(rows) - LIST_LIMIT))
    buttons.append((ctx.button("abnormal.button_export", "abn:xlsx:0"),))
    return [Reply("\n".join(lines)).with_buttons(*buttons)]


async def _show(ctx: Ctx, proposal_id: int) -> list[Reply]:
    row = await abnormal.proposal(ctx.session, ctx.user, proposal_id)
    text = ctx.t(
        "abnormal.card",
        id=row.id,
        enterprise=row.enterprise,
        code=row.credit_code,
        address=row.address or "-",
        department=row.department,
        checked_on=row.checked_on or "-",
        proposed_on=row.proposed_on,
        due=row.due,
        status=ctx.t(f"abnormal.status.{row.status}"),
    )
    if row.note:
        text += f"\n{row.note}"
    if row.status != "open":
        return [Reply(text)]
    return [
        Reply(text).with_buttons(
            (
                ctx.button("abnormal.button_listed", f"abn:l:{row.id}"),
                ctx.button("abnormal.button_dropped", f"abn:d:{row.id}"),
            )
        )
    ]


async def _mark(ctx: Ctx, proposal_id: int, status: str, note: str) -> list[Reply]:
    await abnormal.mark(ctx.session, ctx.user, proposal_id, status, ctx.today, ctx.now, note)
    row = await abnormal.proposal(ctx.session, ctx.user, proposal_id)
    return [
        ctx.reply(
            "abnormal.marked",
            enterprise=row.enterprise,
            status=ctx.t(f"abnormal.status.{status}"),
        )
    ]


async def _export(ctx: Ctx) -> list[Reply]:
    rows = await abnormal.proposals(ctx.session, ctx.user, None)
    name = f"经营异常名录建议-{ctx.today.isoformat()}.xlsx"
    document = Attachment(name, XLSX, abnormal.to_xlsx(rows))
    return [Reply(ctx.t("abnormal.exported", n=len(rows)), document=document)]


async def abnormal_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`abn:show|l|d:ID` and `abn:xlsx:0`."""
    if len(args) != 2 or read_int(args[1], 0, MAX_ID) is None:
        return [ctx.reply("error.unknown_button")]
    action, number = args[0], int(args[1])
    if action == "xlsx":
        return await _export(ctx)
    if action == "show":
        return await _show(ctx, number)
    if action in MARKS:
        return await _mark(ctx, number, MARKS[action], "")
    return [ctx.reply("error.unknown_button")]


def register(router: Router) -> None:
    """Register /abnormal and its buttons."""
    router.command(Command("abnormal", abnormal_command, COORD, "cmd.abnormal", private_only=True))
    router.button(ButtonKind("abn", abnormal_button, COORD))
