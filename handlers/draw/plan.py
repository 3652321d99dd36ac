"""/newplan: a guided conversation that creates a spot-check plan."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from handlers.core.model import Reply
from handlers.core.router import Command, Ctx, Flow, Router, flow_button, roles
from handlers.draw.render import percent
from models import Department, Item
from services.common.dates import parse_date
from services.common.errors import DomainError, InvalidInput
from services.common.numbers import parse_int, read_int
from services.draw import plans
from services.messaging.conversations import State

FLOW = "newplan"
COORD = roles("coordinator")
_SEPARATOR = re.compile(r"\s*(?:至|到|~|～|—|–)\s*|\s+-\s+|\s+")


async def newplan(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Start the plan conversation."""
    await ctx.start_flow(FLOW, "name")
    return [ctx.reply("newplan.ask_name")]


async def _items(ctx: Ctx) -> list[tuple[str, str, str]]:
    items = (await ctx.session.scalars(select(Item).where(Item.active).order_by(Item.code))).all()
    names = {d.id: d.name for d in (await ctx.session.scalars(select(Department))).all()}
    return [(i.code, i.name, names.get(i.initiating_department_id, "")) for i in items]


async def _ask(ctx: Ctx, data: dict[str, Any], step: str) -> list[Reply]:
    await ctx.save_state(State(FLOW, step, data))
    if step == "items":
        lines = [
            ctx.t("newplan.item_line", n=n, code=code, name=name, departments=dept)
            for n, (code, name, dept) in enumerate(await _items(ctx), start=1)
        ]
        return [ctx.reply("newplan.ask_items", items="\n".join(lines))]
    if step == "window":
        return [ctx.reply("newplan.ask_window")]
    if step == "ratios":
        default = (flow_button(ctx.t("button.default_ratios"), FLOW, "default"),)
        return [ctx.reply("newplan.ask_ratios").with_buttons(default)]
    if step == "max":
        no_limit = (flow_button(ctx.t("button.no_limit"), FLOW, "nolimit"),)
        return [ctx.reply("newplan.ask_max").with_buttons(no_limit)]
    if step == "team":
        row = tuple(
            flow_button(ctx.t("button.team_size", n=n), FLOW, f"team:{n}") for n in (2, 3, 4)
        )
        return [ctx.reply("newplan.ask_team").with_buttons(row)]
    return [_summary(ctx, data)]


def _summary(ctx: Ctx, data: dict[str, Any]) -> Reply:
    ratios = " ".join(f"{r} {percent(data['ratios'][r])}" for r in "DCBA")
    text = ctx.t(
        "newplan.summary",
        name=data["name"],
        items="、".join(data["items"]),
        start=data["check_start"],
        end=data["check_end"],
        ratios=ratios,
        max=data.get("max_count") or ctx.t("no_limit"),
        team=data["team_size"],
    )
    row = (
        flow_button(ctx.t("button.create"), FLOW, "create"),
        flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
    )
    return Reply(text).with_buttons(row)


async def newplan_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One step of the plan conversation; a bad answer re-asks the same question."""
    data, step, choice = dict(state.data), state.step, ctx.choice
    text = (ctx.incoming.text or "").strip()
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("cancel.done")]
    if step == "name" and text:
        data["name"] = text[:200]
        return await _ask(ctx, data, "items")
    if step == "items" and text:
        data["items"] = await _pick_items(ctx, text)
        return await _ask(ctx, data, "window")
    if step == "window" and text:
        start, end = _window(text, ctx.today)
        data["check_start"], data["check_end"] = start.isoformat(), end.isoformat()
        return await _ask(ctx, data, "ratios")
    if step == "ratios" and (choice == "default" or text):
        data["ratios"] = dict(plans.DEFAULT_RATIOS) if choice == "default" else _ratios(text)
        return await _ask(ctx, data, "max")
    if step == "max" and (choice == "nolimit" or text):
        data["max_count"] = None if choice == "nolimit" else _number(text)
        return await _ask(ctx, data, "team")
    if step == "team" and choice and choice.startswith("team:"):
        data["team_size"] = parse_int(choice.split(":", 1)[1], 2, 10)
        return await _ask(ctx, data, "confirm")
    if step == "confirm" and choice == "create":
        spec = plans.parse_spec(data)
        plan = await plans.create_plan(ctx.session, ctx.user, spec, ctx.now)
        await ctx.end_flow()
        return [ctx.reply("newplan.created", id=plan.id)]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


async def _pick_items(ctx: Ctx, text: str) -> list[str]:
    catalog = await _items(ctx)
    codes, bad = [], []
    for token in re.split(r"[\s,，、;；]+", text):
        if not token:
            continue
        number = read_int(token, 1, len(catalog))
        if number is not None:
            codes.append(catalog[number - 1][0])
        elif token.upper() in {code for code, _, _ in catalog}:
            codes.append(token.upper())
        else:
            bad.append(token)
    if bad or not codes:
        raise InvalidInput("newplan.bad_items", values=" ".join(bad) or text)
    return sorted(set(codes))


def _window(text: str, today: date) -> tuple[date, date]:
    parts = [p for p in _SEPARATOR.split(text) if p]
    if len(parts) != 2:
        raise InvalidInput("newplan.bad_window")
    try:
        start, end = parse_date(parts[0]), parse_date(parts[1])
    except DomainError:
        raise InvalidInput("newplan.bad_window") from None
    if end < start or start < today:
        raise InvalidInput("newplan.bad_window")
    return start, end


def _ratios(text: str) -> dict[str, str]:
    found = dict(re.findall(r"([ABCDabcd])\s*[=:：]\s*([\d.]+)\s*%?", text))
    if not found:
        raise InvalidInput("newplan.bad_ratios")
    ratios = dict(plans.DEFAULT_RATIOS)
    for risk, value in found.items():
        try:
            pct = Decimal(value)
        except InvalidOperation:
            raise InvalidInput("newplan.bad_ratios") from None
        if not 0 < pct <= 100:
            raise InvalidInput("newplan.bad_ratios")
        # Fixed-point, never "1E-7": the plan keeps ratios as plain decimals.
        ratios[risk.upper()] = format((pct / 100).normalize(), "f")
    return ratios


def _number(text: str) -> int:
    number = read_int(text, 1, 100_000)
    if number is None:
        raise InvalidInput("newplan.bad_number")
    return number


def register(router: Router) -> None:
    """Register /newplan."""
    router.command(Command("newplan", newplan, COORD, "cmd.newplan", private_only=True))
    router.flow(Flow(FLOW, newplan_flow, COORD))
