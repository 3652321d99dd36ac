"""The steps of /meeting for a meeting already held: attendance and minutes, no invitations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from handlers.core.model import Reply
from handlers.core.router import Ctx, flow_button
from services.common.errors import InvalidInput
from services.common.numbers import read_int
from services.meetings import past
from services.messaging.conversations import State

FLOW = "meeting"
Confirm = Callable[[Ctx, dict[str, Any]], Awaitable[list[Reply]]]


async def ask_held(ctx: Ctx, data: dict[str, Any]) -> list[Reply]:
    """A past time: offer to enter the meeting as already held."""
    await ctx.save_state(State(FLOW, "past", {**data, "past": True}))
    row = (
        flow_button(ctx.t("button.held"), FLOW, "held"),
        flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
    )
    return [ctx.reply("meeting.ask_past").with_buttons(row)]


async def ask_absent(ctx: Ctx, data: dict[str, Any]) -> list[Reply]:
    """After the departments of a held meeting: who was absent."""
    codes = data["departments"]
    assert isinstance(codes, list)
    people = await past.invitees(ctx.session, codes)
    await ctx.save_state(State(FLOW, "absent", {**data, "people": [u for u, _ in people]}))
    listing = "\n".join(f"{n}. {name}" for n, (_, name) in enumerate(people, start=1))
    row = (flow_button(ctx.t("button.all_present"), FLOW, "none"),)
    return [ctx.reply("meeting.ask_absent", people=listing).with_buttons(row)]


def _absent(text: str, people: list[int]) -> list[int]:
    tokens = [t for t in text.replace("，", " ").replace(",", " ").split() if t]
    numbers = [read_int(t, 1, len(people)) for t in tokens]
    if not tokens or None in numbers:
        raise InvalidInput("meeting.bad_departments", values=text)
    return sorted({people[n - 1] for n in numbers if n is not None})


async def step(
    ctx: Ctx, state: State, text: str, choice: str | None, confirm: Confirm
) -> list[Reply] | None:
    """One step of entering a held meeting; None when the step is not one of these."""
    data = dict(state.data)
    if state.step == "past" and choice == "held":
        await ctx.save_state(State(FLOW, "place", data))
        return [ctx.reply("meeting.ask_place")]
    if state.step == "absent" and (choice == "none" or text):
        data["absent"] = [] if choice == "none" else _absent(text, [int(u) for u in data["people"]])
        await ctx.save_state(State(FLOW, "minutes", data))
        return [ctx.reply("meeting.ask_minutes")]
    if state.step == "minutes" and text:
        data["minutes"] = text
        await ctx.save_state(State(FLOW, "decisions", data))
        return [ctx.reply("meeting.ask_decisions")]
    if state.step == "decisions" and text:
        data["decisions"] = text
        return await confirm(ctx, data)
    return None


async def create(ctx: Ctx, data: dict[str, Any]) -> list[Reply]:
    """Record the held meeting; nobody is sent anything."""
    meeting = await past.record_past(
        ctx.session,
        ctx.user,
        kind=str(data["kind"]),
        title=str(data["title"]),
        starts_at=datetime.fromisoformat(str(data["starts_at"])),
        place=str(data["place"]),
        agenda=str(data["agenda"]),
        departments=[str(c) for c in data["departments"]],
        absent_user_ids=[int(u) for u in data["absent"]],
        minutes=str(data["minutes"]),
        decisions=str(data["decisions"]),
        now=ctx.now,
    )
    await ctx.end_flow()
    absent = len(data["absent"])
    return [ctx.reply("meeting.past_recorded", id=meeting.id, absent=absent)]
