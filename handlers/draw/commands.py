"""/draw: choose a plan, preview, freeze, salt, draw; /verify, /void (confirmed) and /plans."""

from __future__ import annotations

import json

from handlers.core.model import Attachment, Reply
from handlers.core.router import Command, Ctx, Flow, Router, flow_button, roles
from handlers.draw import render
from models import Draw, Plan
from services.common.errors import InvalidInput
from services.common.numbers import MAX_ID, read_int
from services.draw import cancel, notify, plans, run
from services.draw import freeze as draws
from services.draw import record as draw_record
from services.messaging.conversations import State

FLOW = "draw"
VOID_FLOW = "void"
COORD = roles("coordinator")


def _int(value: str) -> int:
    number = read_int(value, 1, MAX_ID)
    if number is None:
        raise InvalidInput("draw.not_found", id=value)
    return number


async def draw_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Start the draw conversation, at the plan list or straight at a plan."""
    if args:
        return await _open_plan(ctx, _int(args[0]))
    open_plans = await plans.open_plans(ctx.session)
    if not open_plans:
        return [ctx.reply("plan.none_open")]
    await ctx.start_flow(FLOW, "choose")
    rows = [
        (
            flow_button(
                ctx.t("plan.line", id=p.id, name=p.name, start=p.check_start, end=p.check_end)[:60],
                FLOW,
                f"plan:{p.id}",
            ),
        )
        for p in open_plans
    ]
    rows.append((flow_button(ctx.t("button.cancel"), FLOW, "cancel"),))
    return [ctx.reply("draw.choose_plan").with_buttons(*rows)]


async def _open_plan(ctx: Ctx, plan_id: int) -> list[Reply]:
    plan = await plans.get_plan(ctx.session, plan_id)
    live = await draws.frozen_draw(ctx.session, plan_id)
    if live is not None:  # frozen earlier: the committed seed stays, go on to the salt
        return await _ask_salt(ctx, plan, live, announce=False)
    pv = await draws.preview(ctx.session, ctx.user, plan_id)
    await ctx.start_flow(FLOW, "preview", {"plan": plan_id})
    buttons = (
        flow_button(ctx.t("button.freeze"), FLOW, "freeze"),
        flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
    )
    return [Reply(render.preview_text(ctx, pv)).with_buttons(buttons)]


async def announce(ctx: Ctx, what: str, draw_id: int, key: str, params: dict[str, str]) -> None:
    """Queue an announcement to every configured group chat (in Chinese, as published)."""
    await notify.announce(
        ctx.session, ctx.policy.announce_chats, f"{what}:{draw_id}", key, params, ctx.now
    )


async def _ask_salt(ctx: Ctx, plan: Plan, draw: Draw, *, announce: bool) -> list[Reply]:
    await ctx.start_flow(FLOW, "salt", {"plan": plan.id, "draw": draw.id})
    replies = [Reply(render.frozen_text(ctx, plan, draw))] if announce else []
    buttons = (
        flow_button(ctx.t("button.no_salt"), FLOW, "nosalt"),
        flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
    )
    replies.append(ctx.reply("draw.ask_salt").with_buttons(buttons))
    return replies


async def draw_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One step of the draw conversation."""
    choice = ctx.choice
    if choice == "cancel":
        await ctx.end_flow()
        key = "draw.cancelled_frozen" if "draw" in state.data else "cancel.done"
        return [ctx.reply(key).replacing()]
    if state.step == "choose" and choice and choice.startswith("plan:"):
        # The list of plans turns into the chosen plan's preview.
        first, *rest = await _open_plan(ctx, _int(choice.split(":", 1)[1]))
        return [first.replacing(), *rest]
    if state.step == "preview" and choice == "freeze":
        draw = await draws.freeze(ctx.session, ctx.user, state.data["plan"], ctx.now)
        plan = await plans.get_plan(ctx.session, draw.plan_id)
        await announce(ctx, "frozen", draw.id, "draw.frozen", render.frozen_params(plan, draw))
        return await _ask_salt(ctx, plan, draw, announce=True)
    if state.step == "salt" and (choice == "nosalt" or (choice is None and ctx.incoming.text)):
        salt = "" if choice == "nosalt" else (ctx.incoming.text or "").strip()
        if len(salt) > run.MAX_SALT:
            raise InvalidInput("draw.salt_too_long", limit=run.MAX_SALT)
        await ctx.save_state(State(FLOW, "confirm", {**state.data, "salt": salt}))
        key = "draw.confirm_salt" if salt else "draw.confirm_no_salt"
        buttons = (
            flow_button(ctx.t("button.draw_go"), FLOW, "go"),
            flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
        )
        return [ctx.reply(key, salt=salt).with_buttons(buttons).replacing(choice is not None)]
    if state.step == "confirm" and choice == "go":
        # The confirmation turns into the result's first part; the rest follows.
        first, *rest = await _draw(ctx, state.data["draw"], state.data.get("salt", ""))
        return [first.replacing(), *rest]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


async def _draw(ctx: Ctx, draw_id: int, salt: str) -> list[Reply]:
    draw = await run.execute(ctx.session, ctx.user, draw_id, salt, ctx.now)
    await ctx.end_flow()
    plan = await plans.get_plan(ctx.session, draw.plan_id)
    teams = await run.teams_of(ctx.session, draw.id)
    names = await draws.department_names(ctx.session)
    lines = render.result_lines(ctx, draw, teams, names)
    replies = [Reply(text) for text in render.chunk(lines)]
    replies.append(Reply(render.announcement(ctx, plan, draw, teams)))
    params = render.announcement_params(plan, draw, teams)
    await announce(ctx, "final", draw.id, "draw.announcement", params)
    return replies


async def verify_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Recompute a draw from its public record, and attach the record."""
    if len(args) != 1:
        return [ctx.reply("draw.usage_verify")]
    draw_id = _int(args[0])
    record = await draw_record.export_record(ctx.session, draw_id)
    differences = draw_record.verify(record)
    data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    if differences:
        return [ctx.reply("draw.verify_failed", id=draw_id, difference=differences[0])]
    document = Attachment(f"draw-{draw_id}.json", "application/json", data)
    return [Reply(ctx.t("draw.verified", id=draw_id), document=document)]


async def void_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Show what voiding a draw would end, and ask for a confirmation."""
    if len(args) < 2:
        return [ctx.reply("draw.void_reason")]
    draw_id = _int(args[0])
    reason = cancel.clean_reason(" ".join(args[1:]), "draw.void_reason")
    found = await cancel.void_outlook(ctx.session, ctx.user, draw_id)
    await ctx.start_flow(VOID_FLOW, "confirm", {"draw": draw_id, "reason": reason})
    buttons = (
        flow_button(ctx.t("button.void_go"), VOID_FLOW, "go"),
        flow_button(ctx.t("button.cancel"), VOID_FLOW, "cancel"),
    )
    return [Reply(render.losses_text(ctx, found, reason)).with_buttons(buttons)]


async def void_flow(ctx: Ctx, state: State) -> list[Reply]:
    """The confirmation of a void: void it, or leave it."""
    if ctx.choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("cancel.done").replacing()]
    if state.step == "confirm" and ctx.choice == "go":
        draw_id, reason = state.data["draw"], state.data["reason"]
        chats = ctx.policy.announce_chats
        draw = await cancel.void(ctx.session, ctx.user, draw_id, reason, ctx.now, chats)
        await ctx.end_flow()
        return [ctx.reply("draw.voided", id=draw.id, reason=reason).replacing()]
    return [ctx.reply("error.unknown_button" if ctx.choice else "error.not_understood")]


async def plans_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """List the plans waiting for a draw."""
    open_plans = await plans.open_plans(ctx.session)
    if not open_plans:
        return [ctx.reply("plan.none_open")]
    return [
        Reply(
            "\n".join(
                ctx.t("plan.line", id=p.id, name=p.name, start=p.check_start, end=p.check_end)
                for p in open_plans
            )
        )
    ]


def register(router: Router) -> None:
    """Register the draw commands and flow."""
    router.command(Command("plans", plans_command, COORD, "cmd.plans"))
    router.command(Command("draw", draw_command, COORD, "cmd.draw", private_only=True))
    router.command(Command("verify", verify_command, None, "cmd.verify"))
    router.command(Command("void", void_command, COORD, "cmd.void", private_only=True))
    router.flow(Flow(FLOW, draw_flow, COORD))
    router.flow(Flow(VOID_FLOW, void_flow, COORD))
