"""/newplan: a guided conversation that asks every field of a plan, defaults one tap away."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from handlers.core.model import Button, Reply
from handlers.core.router import Command, Ctx, Flow, Router, flow_button, roles
from handlers.draw.render import percent
from models import Department, Enterprise, Item
from services.common.dates import parse_date
from services.common.errors import DomainError, InvalidInput
from services.common.numbers import read_int
from services.draw import plans
from services.messaging.conversations import State

FLOW = "newplan"
COORD = roles("coordinator")
_SEPARATOR = re.compile(r"\s*(?:至|到|~|～|—|–)\s*|\s+to\s+|\s+-\s+|\s+", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"[\s,，、;；]+")
# Names are not split at 、: industries such as 文化、体育和娱乐业 contain it.
_NAME_SEPARATOR = re.compile(r"[\s,，;；]+")
SKIPS = ("default", "nolimit")  # buttons that leave a field at its default
MAX_SHOWN = 30  # known names listed under a question; more would bury it

# The questions in the order asked; "ratios", "max" and "team" keep the step names of
# conversations started before the other fields were asked.
ORDER = (
    "name",
    "items",
    "window",
    "districts",
    "industries",
    "object_types",
    "ratios",
    "min_count",
    "max",
    "team",
    "experts_per_team",
    "load_cap",
    "recent_window_days",
    "allow_overlap",
    "confirm",
)
# List fields: the enterprise column whose values they name (empty list: no restriction).
LISTS = {
    "districts": Enterprise.district,
    "industries": Enterprise.industry,
    "object_types": Enterprise.object_type,
}
# Whole-number fields: (plan field, lowest, highest); the bounds are PlanSpec's.
INTS = {
    "min_count": ("min_count", 0, 100_000),
    "max": ("max_count", 1, 100_000),
    "team": ("team_size", 2, 10),
    "experts_per_team": ("experts_per_team", 0, 5),
    "load_cap": ("load_cap", 1, 100),
    "recent_window_days": ("recent_window_days", 0, 3650),
}


def default(field: str) -> Any:
    """The value a plan field takes when the coordinator skips its question."""
    info = plans.PlanSpec.model_fields[field]
    return info.get_default(call_default_factory=True)


async def newplan(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Start the plan conversation."""
    await ctx.start_flow(FLOW, "name")
    return [ctx.reply("newplan.ask_name")]


async def _items(ctx: Ctx) -> list[tuple[str, str, str]]:
    items = (await ctx.session.scalars(select(Item).where(Item.active).order_by(Item.code))).all()
    names = {d.id: d.name for d in (await ctx.session.scalars(select(Department))).all()}
    return [(i.code, i.name, names.get(i.initiating_department_id, "")) for i in items]


async def _known(ctx: Ctx, step: str) -> list[str]:
    column = LISTS[step]
    rows = await ctx.session.scalars(
        select(column).where(column.is_not(None)).distinct().order_by(column)
    )
    return [v for v in rows.all() if v]


def _default_button(ctx: Ctx) -> tuple[Button, ...]:
    return (flow_button(ctx.t("button.default"), FLOW, "default"),)


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
    if step in LISTS:
        known = await _known(ctx, step)
        shown = "；".join(known[:MAX_SHOWN]) + ("……" if len(known) > MAX_SHOWN else "")
        text = ctx.t(f"newplan.ask_{step}", known=shown or ctx.t("newplan.none_known"))
        return [Reply(text).with_buttons(_default_button(ctx))]
    if step == "team":
        row = tuple(
            flow_button(ctx.t("button.team_size", n=n), FLOW, f"team:{n}") for n in (2, 3, 4)
        )
        return [ctx.reply("newplan.ask_team").with_buttons(row, _default_button(ctx))]
    if step == "allow_overlap":
        row = (
            flow_button(ctx.t("button.yes"), FLOW, "yes"),
            flow_button(ctx.t("button.no"), FLOW, "no"),
        )
        return [ctx.reply("newplan.ask_allow_overlap").with_buttons(row, _default_button(ctx))]
    if step != "confirm":
        key = "newplan.ask_max" if step == "max" else f"newplan.ask_{step}"
        return [ctx.reply(key).with_buttons(_default_button(ctx))]
    return [_summary(ctx, data)]


def _summary(ctx: Ctx, given: dict[str, Any]) -> Reply:
    # Conversations begun before every field was asked lack some: those take the default.
    data = {f: default(f) for f in plans.PlanSpec.model_fields if f != "name"} | given
    ratios = " ".join(f"{r} {percent(data['ratios'][r])}" for r in "DCBA")
    every = ctx.t("newplan.any")
    text = ctx.t(
        "newplan.summary",
        name=data["name"],
        items="、".join(data["items"]),
        start=data["check_start"],
        end=data["check_end"],
        districts="；".join(data["districts"]) or every,
        industries="；".join(data["industries"]) or every,
        object_types="；".join(data["object_types"]) or every,
        ratios=ratios,
        min=data["min_count"],
        max=data.get("max_count") or ctx.t("no_limit"),
        team=data["team_size"],
        experts=data["experts_per_team"],
        cap=data["load_cap"],
        recent=data["recent_window_days"],
        overlap=ctx.t("button.yes" if data["allow_overlap"] else "button.no"),
    )
    row = (
        flow_button(ctx.t("button.create"), FLOW, "create"),
        flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
    )
    return Reply(text).with_buttons(row)


def _next(step: str) -> str:
    return ORDER[ORDER.index(step) + 1]


async def newplan_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One step of the plan conversation; a bad answer re-asks the same question."""
    data, step, choice = dict(state.data), state.step, ctx.choice
    text = (ctx.incoming.text or "").strip()
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("cancel.done")]
    if step == "confirm" and choice == "create":
        spec = plans.parse_spec(data)
        plan = await plans.create_plan(ctx.session, ctx.user, spec, ctx.now)
        await ctx.end_flow()
        return [ctx.reply("newplan.created", id=plan.id)]
    if step == "confirm" or not (text or choice):
        return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]
    skip = choice == "default"
    if step == "name" and text:
        data["name"] = text[:200]
    elif step == "items" and text:
        data["items"] = await _pick_items(ctx, text)
    elif step == "window" and text:
        start, end = _window(text, ctx.today)
        data["check_start"], data["check_end"] = start.isoformat(), end.isoformat()
        if start < ctx.today:
            # Entering a plan already under way is allowed; its draw still comes after the
            # freeze, and the coordinator is told so before going on.
            note = ctx.reply("newplan.past_start", start=start.isoformat())
            return [note, *await _ask(ctx, data, _next(step))]
    elif step in LISTS and (skip or text):
        data[step] = default(step) if skip else await _names(ctx, step, text)
    elif step == "ratios" and (skip or text):
        data["ratios"] = default("ratios") if skip else _ratios(text)
    elif step == "allow_overlap" and choice in ("yes", "no", "default"):
        data["allow_overlap"] = default("allow_overlap") if skip else choice == "yes"
    elif step in INTS and (choice in SKIPS or _team(step, choice) or (text and not choice)):
        field, low, high = INTS[step]
        picked = _team(step, choice) if choice else _number(text, low, high)
        data[field] = default(field) if picked is None else picked
        if field == "max_count" and picked is not None and picked < data["min_count"]:
            raise InvalidInput("newplan.max_below_min", min=data["min_count"])
    else:
        return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]
    return await _ask(ctx, data, _next(step))


def _team(step: str, choice: str | None) -> int | None:
    # The quick team-size buttons carry their number: "team:3".
    if step == "team" and choice and choice.startswith("team:"):
        return read_int(choice.split(":", 1)[1], 2, 10)
    return None


async def _pick_items(ctx: Ctx, text: str) -> list[str]:
    catalog = await _items(ctx)
    codes, bad = [], []
    for token in _LIST_SEPARATOR.split(text):
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


async def _names(ctx: Ctx, step: str, text: str) -> list[str]:
    """Names typed for a list field; each must occur in the object directory."""
    names = sorted({token for token in _NAME_SEPARATOR.split(text) if token})
    known = set(await _known(ctx, step))
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise InvalidInput("newplan.unknown_names", values="；".join(unknown) or text)
    return names


def _window(text: str, today: date) -> tuple[date, date]:
    parts = [p for p in _SEPARATOR.split(text) if p]
    if len(parts) != 2:
        raise InvalidInput("newplan.bad_window")
    try:
        start, end = parse_date(parts[0]), parse_date(parts[1])
    except DomainError:
        raise InvalidInput("newplan.bad_window") from None
    if end < start or end < today:
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


def _number(text: str, low: int, high: int) -> int:
    number = read_int(text, low, high)
    if number is None:
        raise InvalidInput("newplan.bad_range", low=low, high=high)
    return number


def register(router: Router) -> None:
    """Register /newplan."""
    router.command(Command("newplan", newplan, COORD, "cmd.newplan", private_only=True))
    router.flow(Flow(FLOW, newplan_flow, COORD))
