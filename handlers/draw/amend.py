"""After the draw: /cancel_task, /substitute (and the proposal's button), /supplement."""

from __future__ import annotations

from typing import Any

from handlers.core.model import Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from handlers.draw import render
from services.common.errors import InvalidInput
from services.common.numbers import MAX_ID, read_int
from services.draw import cancel, proposals, run, substitute, supplement
from services.draw.freeze import department_names
from services.messaging.conversations import State

COORD = roles("coordinator")
SUPP_FLOW = "supp"


def _id(value: str, key: str) -> int:
    number = read_int(value, 1, MAX_ID)
    if number is None:
        raise InvalidInput(key, id=value)
    return number


async def cancel_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Cancel one check of a final draw with a reason; its team is told."""
    if len(args) < 2:
        return [ctx.reply("cancel_task.usage")]
    assignment_id = _id(args[0], "task.not_found")
    chats = ctx.policy.announce_chats
    done = await cancel.cancel(
        ctx.session, ctx.user, assignment_id, " ".join(args[1:]), ctx.now, chats
    )
    return [ctx.reply("cancel_task.done", id=done.id)]


async def substitute_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Replace one member of a team by the published ranking."""
    if len(args) < 3:
        return [ctx.reply("sub.usage")]
    assignment_id = _id(args[0], "task.not_found")
    return await _substitute(ctx, assignment_id, args[1], " ".join(args[2:]))


async def _substitute(ctx: Ctx, assignment_id: int, member: str | int, reason: str) -> list[Reply]:
    chats = ctx.policy.announce_chats
    done = await substitute.substitute(
        ctx.session, ctx.user, assignment_id, member, reason, ctx.now, chats
    )
    return [
        ctx.reply(
            "sub.done",
            id=done.assignment_id,
            seq=done.seq,
            removed_name=done.removed_name,
            removed=done.removed,
            added_name=done.added_name,
            added=done.added,
        )
    ]


async def substitute_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`sub:ASSIGNMENT:INSPECTOR:WHY`, from a proposal: do the substitution it offers."""
    if len(args) != 3 or args[2] not in proposals.CAUSE_OF:
        return [ctx.reply("error.unknown_button")]
    assignment_id = _id(args[0], "task.not_found")
    inspector_id = _id(args[1], "task.not_found")
    return await _substitute(ctx, assignment_id, inspector_id, args[2])


async def supplement_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Start a supplementary draw, or continue one frozen earlier."""
    if len(args) != 1:
        return [ctx.reply("supp.usage")]
    draw_id = _id(args[0], "draw.not_found")
    frozen = await supplement.frozen_supplement(ctx.session, draw_id)
    if frozen is not None:  # frozen earlier: the committed seed stays, go on to the salt
        return await _ask_salt(ctx, draw_id, [_frozen_notice(ctx, draw_id, frozen.entry)])
    seen = await supplement.outlook(ctx.session, ctx.user, draw_id)
    await ctx.start_flow(SUPP_FLOW, "preview", {"draw": draw_id})
    buttons = (
        flow_button(ctx.t("button.freeze"), SUPP_FLOW, "freeze"),
        flow_button(ctx.t("button.cancel"), SUPP_FLOW, "cancel"),
    )
    text = ctx.t(
        "supp.preview",
        id=draw_id,
        short=seen.short,
        unformed=seen.unformed,
        officers=seen.officers,
        experts=seen.experts,
    )
    return [Reply(text).with_buttons(buttons)]


def _frozen_notice(ctx: Ctx, draw_id: int, entry: dict[str, Any]) -> Reply:
    return ctx.reply(
        "supp.frozen",
        id=draw_id,
        count=len(entry["inspectors"]),
        snapshot=entry["inspector_snapshot"],
        commitment=entry["commitment"],
    )


async def _ask_salt(ctx: Ctx, draw_id: int, first: list[Reply]) -> list[Reply]:
    await ctx.start_flow(SUPP_FLOW, "salt", {"draw": draw_id})
    buttons = (
        flow_button(ctx.t("button.no_salt"), SUPP_FLOW, "nosalt"),
        flow_button(ctx.t("button.cancel"), SUPP_FLOW, "cancel"),
    )
    return [*first, ctx.reply("draw.ask_salt").with_buttons(buttons)]


async def supplement_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One step of a supplementary draw: freeze (commitment published), then form."""
    choice, draw_id = ctx.choice, state.data["draw"]
    chats = ctx.policy.announce_chats
    if choice == "cancel":
        await ctx.end_flow()
        key = "supp.left_frozen" if state.step == "salt" else "cancel.done"
        return [ctx.reply(key, id=draw_id).replacing()]
    if state.step == "preview" and choice == "freeze":
        frozen = await supplement.freeze(ctx.session, ctx.user, draw_id, ctx.now, chats)
        notice = _frozen_notice(ctx, draw_id, frozen.entry)
        return await _ask_salt(ctx, draw_id, [notice.replacing()])
    if state.step == "salt" and (choice == "nosalt" or (choice is None and ctx.incoming.text)):
        salt = "" if choice == "nosalt" else (ctx.incoming.text or "")
        formed = await supplement.form(ctx.session, ctx.user, draw_id, salt, ctx.now, chats)
        await ctx.end_flow()
        teams = await run.teams_of(ctx.session, draw_id)
        names = await department_names(ctx.session)
        lines = render.supplement_lines(ctx, formed, teams, names)
        return [Reply(text) for text in render.chunk(lines)]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


def register(router: Router) -> None:
    """Register the commands that change a draw after it is final."""
    router.command(
        Command("cancel_task", cancel_command, COORD, "cmd.cancel_task", private_only=True)
    )
    router.command(
        Command("substitute", substitute_command, COORD, "cmd.substitute", private_only=True)
    )
    router.command(
        Command("supplement", supplement_command, COORD, "cmd.supplement", private_only=True)
    )
    router.button(ButtonKind("sub", substitute_button, COORD))
    router.flow(Flow(SUPP_FLOW, supplement_flow, COORD))
